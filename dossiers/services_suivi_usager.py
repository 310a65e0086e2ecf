"""After submission (P8): the acknowledgement of receipt — an email carrying a PDF
receipt, both from templates admins edit in the CRM (messages and éditique screens).

`dossier_deposer` calls `accuse_reception(dossier)` once, inside its transaction. The
receipt is produced and the event raised by a task once that transaction commits: the
deposit never waits on nor fails because of the PDF renderer, and a replayed task is
harmless (the receipt is produced once per dossier, the event keyed by the dossier).

Built-in defaults, installed at first need (`modeles_par_defaut_installer`, also run by
`load_demo`): when no document template has the code `accuse-reception`, one is created
and published (deposited in the citizen's space, so the receipt is also listed in the
dossier's « Documents » tab); when no mail template is written for `dossier.depose`, the
mail « Accusé de réception — courriel » is created, published and mapped, with « joindre
les documents ». From then on they are ordinary templates admins edit in the CRM (éditique,
messages): switch the mapping off to send no mail, deactivate the document template to
send the mail without a receipt. Not a data migration: rows every test database would
carry, and every screen listing templates would start non-empty.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.gabarits import Variable
from dossiers.models import Dossier, Historique
from notifications.registry import Evenement

logger = logging.getLogger(__name__)

EVENEMENT_DEPOSE = "dossier.depose"
# The éditique template of the receipt (its `code`).
MODELE_ACCUSE = "accuse-reception"
NOM_COURRIEL = "Accusé de réception — courriel"

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


def modeles_par_defaut_installer() -> None:
    """Creates and publishes the built-in receipt and mail when none is configured (two
    deposits at once: the second finds them made)."""
    try:
        with transaction.atomic():
            _installer()
    except IntegrityError:
        logger.info("Default acknowledgement templates installed meanwhile")


def _installer() -> None:
    from editique import services as editique_services
    from editique.models import ModeleDocument
    from notifications import services as notifications_services
    from notifications.models import Canal, ModeleMessage

    if not ModeleDocument.objects.filter(code=MODELE_ACCUSE).exists():
        document = ModeleDocument.objects.create(
            code=MODELE_ACCUSE,
            nom="Accusé de réception",
            description="Joint au courriel d’accusé de réception de tout dossier déposé.",
            contexte="dossier",
            corps=CORPS_DOCUMENT,
            pied=PIED_DOCUMENT,
            deposer_usager=True,
        )
        editique_services.modele_publier(modele=document, par=None)
    if not ModeleMessage.objects.filter(evenement=EVENEMENT_DEPOSE).exists():
        courriel = ModeleMessage.objects.create(
            nom=NOM_COURRIEL,
            canal=Canal.EMAIL,
            evenement=EVENEMENT_DEPOSE,
            sujet=SUJET_COURRIEL,
            corps=CORPS_COURRIEL,
            joindre_documents=True,
        )
        notifications_services.modele_publier(courriel)
        notifications_services.correspondance_enregistrer(
            evenement=EVENEMENT_DEPOSE, modele=courriel
        )


_PERSONNE = Variable(
    "demandeur",
    "Le demandeur",
    (
        Variable("nom_complet", "Nom complet", exemple="Mme Léa Durand"),
        Variable("prenom", "Prénom", exemple="Léa"),
        Variable("nom", "Nom (ou raison sociale)", exemple="Durand"),
        Variable("email", "Adresse électronique", exemple="lea.durand@exemple.fr"),
    ),
)


def evenement_depose() -> Evenement:
    return Evenement(
        code=EVENEMENT_DEPOSE,
        libelle=gettext_lazy("Dossier déposé (accusé de réception)"),
        description=gettext_lazy(
            "Un usager vient de déposer une demande. Cochez « joindre les documents » pour "
            "joindre l’accusé de réception PDF (modèle de document « accuse-reception »)."
        ),
        variables=(
            Variable(
                "dossier",
                "Le dossier",
                (
                    Variable("reference", "Référence", exemple="2026-SUB-000123"),
                    Variable("dispositif", "Démarche", exemple="Subvention aux associations"),
                    Variable("depose_le", "Date de dépôt", exemple="2 mars 2026 à 14 h 05"),
                ),
            ),
            _PERSONNE,
            Variable(
                "lien",
                "Lien vers le suivi de la demande",
                exemple="https://guichet.belleville-sur-loire.fr/mon-compte/demandes/42/",
            ),
        ),
    )


def accuse_reception(dossier: Dossier) -> None:
    """Called once by `dossier_deposer`, in its transaction: the receipt and the mail
    follow when it commits (a worker; in process without a broker). Nothing when
    GUICHET_ACCUSE_RECEPTION is off."""
    if not settings.GUICHET_ACCUSE_RECEPTION:
        return
    pk = dossier.pk

    def lancer():
        from dossiers.tasks import accuse_reception as tache

        try:
            tache.delay(pk)
        except Exception:  # noqa: BLE001 - the deposit is saved; the receipt can be replayed
            logger.exception("Dossier %s: acknowledgement not enqueued", pk)

    transaction.on_commit(lancer)


def _lien(dossier: Dossier) -> str:
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse("portal:dossier", args=[dossier.pk])


def _destinataire(dossier: Dossier) -> str:
    if dossier.cree_par is not None and dossier.cree_par.email:
        return dossier.cree_par.email
    return dossier.email_suivi


def recu_existant(dossier: Dossier):
    """The receipt already produced for this dossier, if any."""
    from dossiers.editique import documents

    return documents(dossier).filter(modele__code=MODELE_ACCUSE).first()


@transaction.atomic
def accuse_reception_envoyer(pk: int):
    """The task's body: produce the receipt (once) and raise `dossier.depose` with it
    attached. Returns the receipt (None when its template is missing, inactive or not
    published: the mail still leaves, without it)."""
    from dossiers import editique
    from editique.models import ModeleDocument
    from notifications.services import notifier

    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related(
            "dispositif", "modele", "demandeur_individu", "demandeur_profil", "cree_par"
        )
        .filter(pk=pk)
        .exclude(statut=Dossier.Statut.BROUILLON)
        .first()
    )
    if dossier is None:
        return None
    modeles_par_defaut_installer()
    recu = recu_existant(dossier)
    if recu is None:
        modele = ModeleDocument.objects.filter(code=MODELE_ACCUSE, actif=True).first()
        if modele is not None and modele.versions.exists():
            try:
                recu = editique.document_generer(dossier=dossier, modele=modele)
            except Exception:  # noqa: BLE001 - a broken template must not stop the mail
                logger.exception("Dossier %s: the receipt could not be produced", pk)
            else:
                Historique.objects.create(
                    dossier=dossier,
                    nature=Historique.Nature.DOCUMENT,
                    libelle=_("Accusé de réception disponible dans vos documents"),
                    details={"document": recu.pk},
                    visible_usager=True,
                )
    demandeur = editique.personne(dossier)
    depose_le = timezone.localtime(dossier.depose_le) if dossier.depose_le else None
    notifier(
        EVENEMENT_DEPOSE,
        contexte={
            "dossier": {
                "reference": dossier.reference,
                "dispositif": dossier.dispositif.titre,
                "depose_le": depose_le,
            },
            "demandeur": {k: demandeur[k] for k in ("nom_complet", "prenom", "nom", "email")},
            "lien": _lien(dossier),
        },
        email=_destinataire(dossier),
        usager=dossier.cree_par,
        concerne=dossier,
        lien=reverse("portal:dossier", args=[dossier.pk]),
        pieces_jointes=[recu] if recu is not None else [],
        cle=f"{EVENEMENT_DEPOSE}:{dossier.pk}",
    )
    return recu
