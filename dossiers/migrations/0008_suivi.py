"""After submission (P8): the default acknowledgement of receipt, editable in the CRM —
the éditique template « Accusé de réception » (deposited in the citizen's space) and the
mail template mapped to `dossier.depose` that attaches it. Installed once: an admin's
template of the same code or name is kept."""

from django.db import migrations
from django.utils import timezone

CODE_DOCUMENT = "accuse-reception"
NOM_COURRIEL = "Accusé de réception — courriel"
EVENEMENT = "dossier.depose"

CORPS_DOCUMENT = """<p class="droite">{{ collectivite.nom }}, le {{ aujourdhui }}</p>
<p>{{ demandeur.nom_complet }}<br>{{ demandeur.adresse }}{% if demandeur.complement_adresse %}<br>{{ demandeur.complement_adresse }}{% endif %}<br>{{ demandeur.code_postal }} {{ demandeur.commune }}</p>
<h1>Accusé de réception</h1>
<p><strong>Objet :</strong> {{ dossier.dispositif }} — dossier n° {{ dossier.reference }}</p>
<p>Madame, Monsieur,</p>
<p class="justifie">Nous accusons réception de votre demande, déposée le {{ dossier.depose_le }} sous la
référence <strong>{{ dossier.reference }}</strong>. Rappelez cette référence dans toute
correspondance.</p>
<p class="justifie">Votre dossier va être instruit par nos services. Si une pièce manque, nous
vous le ferons savoir dans votre espace en ligne, où vous suivez aussi l’avancement de votre
demande.</p>
<p>Nous vous prions d’agréer l’expression de nos salutations distinguées.</p>
<p class="signature">{{ collectivite.nom }}</p>"""

PIED_DOCUMENT = '<p class="petit centre">{{ collectivite.nom }}</p>'

SUJET_COURRIEL = "Votre demande {{ dossier.reference }} est bien reçue"
CORPS_COURRIEL = """Bonjour {{ demandeur.nom_complet }},

Nous avons bien reçu votre demande « {{ dossier.dispositif }} », déposée le {{ dossier.depose_le }} sous la référence {{ dossier.reference }}.

Vous trouverez l’accusé de réception en pièce jointe. Suivez l’avancement de votre demande, échangez avec nos services et retrouvez vos documents depuis votre espace : {{ lien }}

Le service relation usagers de {{ autorite }}"""


def installer(apps, schema_editor):
    ModeleDocument = apps.get_model("editique", "ModeleDocument")
    VersionModeleDocument = apps.get_model("editique", "VersionModeleDocument")
    ModeleMessage = apps.get_model("notifications", "ModeleMessage")
    Correspondance = apps.get_model("notifications", "Correspondance")

    if not ModeleDocument.objects.filter(code=CODE_DOCUMENT).exists():
        mise_en_page = {
            "corps": CORPS_DOCUMENT,
            "entete": "",
            "pied": PIED_DOCUMENT,
            "orientation": "portrait",
            "marge_mm": 20,
            "logo": True,
            "archivage": False,
        }
        modele = ModeleDocument.objects.create(
            code=CODE_DOCUMENT,
            nom="Accusé de réception",
            description="Joint au courriel d’accusé de réception de tout dossier déposé.",
            contexte="dossier",
            cible="",
            deposer_usager=True,
            actif=True,
            **mise_en_page,
        )
        VersionModeleDocument.objects.create(modele=modele, numero=1, **mise_en_page)

    if not ModeleMessage.objects.filter(nom=NOM_COURRIEL).exists():
        courriel = ModeleMessage.objects.create(
            nom=NOM_COURRIEL,
            canal="email",
            evenement=EVENEMENT,
            sujet=SUJET_COURRIEL,
            corps=CORPS_COURRIEL,
            joindre_documents=True,
            sujet_publie=SUJET_COURRIEL,
            corps_publie=CORPS_COURRIEL,
            publie_le=timezone.now(),
        )
        if not Correspondance.objects.filter(evenement=EVENEMENT).exists():
            Correspondance.objects.create(evenement=EVENEMENT, modele=courriel, actif=True)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_dossier_f8"),
        ("editique", "0001_modeles_et_documents"),
        ("notifications", "0002_cadence_globale_par_canal"),
    ]

    operations = [migrations.RunPython(installer, migrations.RunPython.noop)]
