"""The events that exist today (accounts), registered by NotificationsConfig.ready().

Later issues register theirs from their own AppConfig.ready() (dossier filed, status
changed, message received…), see notifications/registry.py.
"""

from django.utils.translation import gettext_lazy as _

from common.gabarits import Variable
from notifications.registry import Evenement, register_evenement

USAGER = Variable(
    "usager",
    "Titulaire du compte",
    (
        Variable("prenom", "Prénom", exemple="Camille"),
        Variable("nom", "Nom", exemple="Martin"),
        Variable("email", "Adresse électronique", exemple="camille.martin@exemple.fr"),
    ),
)


def register() -> None:
    register_evenement(
        Evenement(
            code="compte.cree",
            libelle=_("Compte créé sur le portail"),
            description=_(
                "Un usager vient de créer son compte (avant la vérification de son adresse)."
            ),
            variables=(
                USAGER,
                Variable(
                    "lien_connexion",
                    "Lien vers la page de connexion",
                    exemple="https://guichet.belleville-sur-loire.fr/compte/connexion/",
                ),
            ),
        )
    )
    register_evenement(
        Evenement(
            code="compte.mot_de_passe_modifie",
            libelle=_("Mot de passe modifié"),
            description=_("Le titulaire du compte a changé son mot de passe."),
            variables=(
                USAGER,
                Variable("date", "Date et heure du changement", exemple="2 décembre 2026 à 9 h 41"),
            ),
        )
    )
