"""Demo document templates (issue 6) for Belleville-sur-Loire, published as version 1:
an acknowledgement of receipt for every dossier, the grant decision (arrêté) for the
association grant, the hire agreement (convention) for the municipal rooms."""

from editique import services
from editique.models import ModeleDocument

PIED = (
    '<p class="petit centre">{{ collectivite.nom }} — 1 place de la Mairie, 18240 '
    "Belleville-sur-Loire — 02 48 00 00 00 — mairie@belleville-sur-loire.fr</p>"
)

ACCUSE = """<p class="droite">Belleville-sur-Loire, le {{ aujourdhui }}</p>
<p>{{ demandeur.nom_complet }}<br>{{ demandeur.adresse }}{% if demandeur.complement_adresse %}<br>{{ demandeur.complement_adresse }}{% endif %}<br>{{ demandeur.code_postal }} {{ demandeur.commune }}</p>
<h1>Accusé de réception</h1>
<p><strong>Objet :</strong> {{ dossier.dispositif }} — dossier n° {{ dossier.reference }}</p>
<p>{% if demandeur.civilite == "Madame" %}Madame{% elif demandeur.civilite == "Monsieur" %}Monsieur{% else %}Madame, Monsieur{% endif %},</p>
<p class="justifie">Nous accusons réception de votre demande, déposée le {{ dossier.depose_le }} sous la
référence <strong>{{ dossier.reference }}</strong>. Rappelez cette référence dans toute
correspondance.</p>
<p class="justifie">Votre dossier va être instruit par nos services. Si une pièce manque, nous
vous le ferons savoir dans votre espace en ligne. En l’absence de réponse dans un délai de deux
mois, votre demande sera réputée rejetée (article L. 231-4 du code des relations entre le public
et l’administration).</p>
<p>Nous vous prions d’agréer l’expression de nos salutations distinguées.</p>
<p class="signature">Pour le maire,<br>{{ agent.nom_complet|default("Le service instructeur") }}</p>"""

ARRETE = """<h1 class="centre">Arrêté n° {{ dossier.reference }}</h1>
<p class="centre"><strong>portant attribution d’une subvention à l’association
{{ dossier.champs.nom_association }}</strong></p>
<p>Le maire de Belleville-sur-Loire,</p>
<p>Vu le code général des collectivités territoriales, notamment son article L. 2311-7 ;</p>
<p>Vu la loi n° 2000-321 du 12 avril 2000, notamment son article 10 ;</p>
<p>Vu la demande déposée le {{ dossier.depose_le }} par l’association
{{ dossier.champs.nom_association }} (RNA {{ dossier.champs.rna }}) ;</p>
<p>Considérant l’intérêt local {% if dossier.valeurs.nature_demande == "projet" %}du projet
« {{ dossier.champs.titre_projet|default("présenté") }} »{% else %}des activités de
l’association{% endif %} ;</p>
<h2 class="centre">Arrête</h2>
<p><strong>Article 1er.</strong> Une subvention de <strong>{{ dossier.valeurs.montant_demande|montant }}</strong>
est attribuée à l’association {{ dossier.champs.nom_association }}
{% if dossier.valeurs.nature_demande == "projet" %}pour la réalisation de son projet, dont le
budget total s’élève à {{ dossier.champs.budget_total }}{% else %}pour son fonctionnement{% endif %}.</p>
<p><strong>Article 2.</strong> La subvention sera versée en une fois sur le compte
{{ dossier.champs.iban }} ({{ dossier.champs.bic }}).</p>
{% if dossier.valeurs.montant_demande and dossier.valeurs.montant_demande > 23000 %}
<p><strong>Article 3.</strong> Son montant dépassant 23 000 €, une convention précise l’objet,
le montant et les conditions d’utilisation de la subvention.</p>
{% endif %}
<p><strong>Article {% if dossier.valeurs.montant_demande and dossier.valeurs.montant_demande > 23000 %}4{% else %}3{% endif %}.</strong>
Le présent arrêté peut faire l’objet d’un recours devant le tribunal administratif d’Orléans
dans un délai de deux mois à compter de sa notification.</p>
<p class="signature">Fait à Belleville-sur-Loire, le {{ aujourdhui }}<br>Le maire</p>"""

CONVENTION = """<h1 class="centre">Convention de mise à disposition d’une salle municipale</h1>
<p class="centre">Dossier n° {{ dossier.reference }}</p>
<p><strong>Entre</strong> la commune de Belleville-sur-Loire, représentée par son maire,</p>
<p><strong>et</strong> {{ demandeur.nom_complet }}, {{ demandeur.adresse }},
{{ demandeur.code_postal }} {{ demandeur.commune }}{% if dossier.champs.siret_organisateur %}
(SIRET {{ dossier.champs.siret_organisateur }}){% endif %}, ci-après « l’occupant »,</p>
<h2>Article 1 — Objet</h2>
<p>La commune met à disposition de l’occupant la salle suivante :
<strong>{{ dossier.champs.salles|first }}</strong>, pour l’événement suivant :
{{ dossier.champs.type_evenement|lower }}, réunissant
au plus {{ dossier.champs.nb_personnes }} personnes.</p>
<h2>Article 2 — Durée</h2>
<table>
<tr><th scope="row">Début</th><td>{{ dossier.champs.debut }}</td></tr>
<tr><th scope="row">Fin</th><td>{{ dossier.champs.fin }}</td></tr>
<tr><th scope="row">Nombre de jours</th><td>{{ dossier.champs.nb_jours }}</td></tr>
</table>
<h2>Article 3 — Équipements</h2>
<ul>
<li>Tables et chaises de la salle</li>
{% if dossier.valeurs.sonorisation %}<li>Sonorisation (forfait de 50 €)</li>{% endif %}
{% if dossier.valeurs.buvette %}<li>Buvette : l’occupant obtient au préalable une autorisation
de débit de boissons temporaire</li>{% endif %}
</ul>
<h2>Article 4 — Tarif</h2>
<p>Le tarif {% if dossier.valeurs.resident %}« habitant » {% else %}« extérieur » {% endif %}
s’applique : <strong>{{ dossier.champs.tarif }}</strong>, payable à la remise des clés.</p>
<div class="saut-de-page"></div>
<h2>Article 5 — Obligations de l’occupant</h2>
<ol>
<li>Respecter la capacité de la salle et les consignes de sécurité affichées.</li>
<li>Rendre la salle rangée et nettoyée ; l’état des lieux est fait à l’entrée et à la sortie.</li>
<li>Justifier d’une assurance responsabilité civile couvrant l’événement.</li>
<li>Respecter la tranquillité du voisinage, notamment après 22 heures.</li>
</ol>
<table>
<tr><th scope="col">Pour la commune</th><th scope="col">L’occupant</th></tr>
<tr><td>Le {{ aujourdhui }}<br>{{ agent.nom_complet }}<br><br><br></td><td>Lu et approuvé<br>{{ demandeur.nom_complet }}<br><br><br></td></tr>
</table>"""

MODELES = [
    {
        "code": "accuse-reception",
        "nom": "Accusé de réception",
        "description": "Pour tout dossier déposé ; variables communes seulement.",
        "cible": "",
        "corps": ACCUSE,
        "pied": PIED,
        "deposer_usager": True,
    },
    {
        "code": "arrete-subvention",
        "nom": "Arrêté d’attribution de subvention",
        "description": "Décision archivée (PDF/A) pour la subvention aux associations.",
        "cible": "subvention-associations",
        "corps": ARRETE,
        "pied": PIED,
        "archivage": True,
        "deposer_usager": True,
    },
    {
        "code": "convention-salle",
        "nom": "Convention de mise à disposition de salle",
        "description": "Pour la location d’une salle municipale ; deux pages, à signer.",
        "cible": "location-salle-municipale",
        "corps": CONVENTION,
        "entete": '<p class="droite petit">Convention n° {{ dossier.reference }}</p>',
        "pied": PIED,
    },
]


def load_editique() -> None:
    """Creates and publishes the demo templates once (an admin's edits are kept)."""
    for donnees in MODELES:
        if ModeleDocument.objects.filter(code=donnees["code"]).exists():
            continue
        modele = ModeleDocument.objects.create(contexte="dossier", **donnees)
        services.modele_publier(modele=modele, par=None)


# Two submitted dossiers, so templates can be previewed and produced on real data.
DOSSIERS = [
    (
        "location-salle-municipale",
        "usager@demo.guichet.fr",
        {
            "salles": ["salle-des-fetes", "salle-polyvalente"],
            "nature_evenement": "familial",
            "type_evenement": "anniversaire",
            "debut": "2026-06-13T14:00:00+02:00",
            "fin": "2026-06-14T02:00:00+02:00",
            "nb_personnes": 80,
            "description_evenement": "Les 40 ans de Camille, repas et soirée dansante.",
            "sonorisation": True,
            "buvette": False,
            "resident": True,
            "nb_jours": 1,
            "telephone": "+33612345678",
            "reglement": True,
        },
    ),
]


def load_dossiers_editique() -> None:
    """Submits the demo dossiers through the portal's own service, once."""
    from accounts.models import User
    from dossiers import services as dossiers_services
    from dossiers.models import Dispositif, Dossier

    for slug, email, donnees in DOSSIERS:
        dispositif = Dispositif.objects.filter(slug=slug).first()
        user = User.objects.filter(email=email).first()
        if dispositif is None or user is None:
            continue
        if Dossier.objects.filter(dispositif=dispositif, cree_par=user).exists():
            continue
        dossier = dossiers_services.dossier_commencer(dispositif=dispositif, user=user)
        dossier.donnees = {**dossier.donnees, **donnees}
        dossiers_services.dossier_deposer(dossier=dossier, user=user)
