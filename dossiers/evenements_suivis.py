"""The followers' daily digest as a notifications event (C14): `dossier.suivi_resume`,
its variables, and the default mail template an admin edits in CRM › Messages.

The digest is a list of dossiers, each with its list of changes: the template walks
them with the template language's loops (common/gabarits.py), e.g.

    {% for dossier in dossiers %}
    {{ dossier.reference }} : {{ dossier.lien }}
    {% for changement in dossier.changements %}
      - {{ changement.quand }} : {{ changement.libelle }}
    {% endfor %}
    {% endfor %}

The default template is installed published and mapped by a data migration (so admins
can adapt it before the first digest) and again on first need if a flushed database
lost it (`modele_par_defaut_installer`), unless a template for the event exists: an
admin who wants no digest mail unmaps or deactivates it rather than deleting it.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.gabarits import Variable
from notifications.models import Canal, Correspondance, ModeleMessage
from notifications.registry import Evenement, register_evenement

EVENEMENT = "dossier.suivi_resume"

AGENT = Variable(
    "agent",
    "L’agent qui suit les dossiers",
    (
        Variable("prenom", "Prénom", exemple="Claire"),
        Variable("nom", "Nom", exemple="Moreau"),
        Variable("nom_complet", "Nom complet (ou adresse)", exemple="Claire Moreau"),
        Variable("email", "Adresse électronique", exemple="claire.moreau@exemple.fr"),
    ),
)
CHANGEMENT = (
    Variable("quand", "Date et heure", exemple="2 mars 2026 à 14 h 05"),
    Variable("nature", "Nature du changement", exemple="Changement de statut"),
    Variable("libelle", "Ce qui a changé", exemple="Déposé → En instruction"),
    Variable("par", "Auteur (vide : le système)", exemple="Paul Girard"),
)
DOSSIERS = Variable(
    "dossiers",
    "Les dossiers suivis qui ont changé",
    (
        Variable("reference", "Référence", exemple="2026-SUB-000123"),
        Variable("dispositif", "Dispositif", exemple="Subvention aux associations"),
        Variable("statut", "Statut", exemple="Déposé"),
        Variable(
            "lien",
            "Lien vers le dossier dans le CRM",
            exemple="https://guichet.belleville-sur-loire.fr/crm/dossiers/42/",
        ),
        Variable("changements", "Ses changements, du plus ancien au plus récent", CHANGEMENT, True),
    ),
    liste=True,
)

# The preview's sample: two dossiers that differ, the second with one change.
EXEMPLE = {
    "nombre": 3,
    "nombre_dossiers": 2,
    "dossiers": [
        {
            "reference": "2026-SUB-000123",
            "dispositif": "Subvention aux associations",
            "statut": "En instruction",
            "lien": "https://guichet.belleville-sur-loire.fr/crm/dossiers/42/",
            "changements": [
                {
                    "quand": "2 mars 2026 à 9 h 12",
                    "nature": "Changement de statut",
                    "libelle": "Déposé → En instruction",
                    "par": "Paul Girard",
                },
                {
                    "quand": "2 mars 2026 à 16 h 40",
                    "nature": "Message",
                    "libelle": "Nouveau message de l’usager",
                    "par": "",
                },
            ],
        },
        {
            "reference": "2026-SAL-000057",
            "dispositif": "Location d’une salle municipale",
            "statut": "Déposé",
            "lien": "https://guichet.belleville-sur-loire.fr/crm/dossiers/57/",
            "changements": [
                {
                    "quand": "2 mars 2026 à 11 h 03",
                    "nature": "Justificatif",
                    "libelle": "Justificatif « Attestation d’assurance » déposé à nouveau",
                    "par": "",
                }
            ],
        },
    ],
}


def evenement() -> Evenement:
    return Evenement(
        code=EVENEMENT,
        libelle=_("Résumé quotidien des dossiers suivis (agent)"),
        description=_(
            "Chaque matin, pour chaque agent qui suit des dossiers : ce que d’autres y ont "
            "changé depuis son résumé précédent. Rien de changé : rien n’est envoyé. "
            "Parcourez les dossiers avec {% for dossier in dossiers %}…{% endfor %}, puis "
            "leurs changements avec {% for changement in dossier.changements %}…{% endfor %}."
        ),
        variables=(
            AGENT,
            Variable("nombre", "Nombre de changements", exemple=3),
            Variable("nombre_dossiers", "Nombre de dossiers concernés", exemple=2),
            DOSSIERS,
            Variable(
                "lien_preferences",
                "Lien vers « Mes dossiers suivis » (choisir la fréquence du résumé)",
                exemple="https://guichet.belleville-sur-loire.fr/crm/suivis/",
            ),
        ),
        exemple=EXEMPLE,
    )


def register() -> None:
    register_evenement(evenement())


NOM = "Résumé quotidien des dossiers suivis — courriel"
SUJET = "Vos dossiers suivis : {{ nombre }} changement{% if nombre > 1 %}s{% endif %}"
CORPS = """Bonjour {{ agent.nom_complet }},

{% if nombre > 1 %}
Voici les {{ nombre }} changements survenus depuis votre dernier résumé sur les dossiers que vous suivez.
{% else %}
Voici le changement survenu depuis votre dernier résumé sur les dossiers que vous suivez.
{% endif %}
{% for dossier in dossiers %}

{{ dossier.reference }} — {{ dossier.dispositif }} ({{ dossier.statut }})
{% for changement in dossier.changements %}
  - {{ changement.quand }} : {{ changement.libelle }}
{% if changement.par %}
    par {{ changement.par }}
{% endif %}
{% endfor %}
  {{ dossier.lien }}
{% endfor %}

Pour recevoir ce résumé à chaque changement, ou ne plus le recevoir : {{ lien_preferences }}

{{ autorite }}"""


def modele_par_defaut_installer(modeles=ModeleMessage, correspondances=Correspondance) -> None:
    """The default template, published and mapped, unless a template for the event
    exists. The data migration passes its historical models."""
    if modeles.objects.filter(evenement=EVENEMENT).exists():
        return
    modele, cree = modeles.objects.get_or_create(
        nom=NOM,
        defaults={
            "canal": Canal.EMAIL,
            "evenement": EVENEMENT,
            "sujet": SUJET,
            "corps": CORPS,
            "sujet_publie": SUJET,
            "corps_publie": CORPS,
            "publie_le": timezone.now(),
        },
    )
    if cree:
        correspondances.objects.get_or_create(evenement=EVENEMENT, modele=modele)
