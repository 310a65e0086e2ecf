"""The notification event of the guide (I7), listed in the event → template mapping."""

from django.utils.translation import gettext_lazy as _

from common.gabarits import Variable
from notifications.registry import Evenement, register_evenement


def register() -> None:
    register_evenement(
        Evenement(
            code="dossier.statut_change",
            libelle=_("Statut du dossier changé"),
            description=_(
                "Un dossier vient de passer dans un statut du guide d’instruction qui a un "
                "libellé usager. Aussi le contexte des actions « Envoyer un courriel »."
            ),
            variables=(
                Variable(
                    "dossier",
                    "Le dossier",
                    (
                        Variable("reference", "Référence", exemple="2026-SUB-000123"),
                        Variable("dispositif", "Démarche", exemple="Subvention aux associations"),
                    ),
                ),
                Variable(
                    "statut",
                    "Le nouveau statut",
                    (
                        Variable(
                            "libelle",
                            "Libellé usager",
                            exemple="Votre demande est en cours d’examen",
                        ),
                        Variable("etape", "Étape", exemple="Instruction"),
                    ),
                ),
                Variable(
                    "demandeur",
                    "Le demandeur",
                    (
                        Variable("nom_complet", "Nom complet", exemple="Mme Léa Durand"),
                        Variable("prenom", "Prénom", exemple="Léa"),
                        Variable("nom", "Nom (ou raison sociale)", exemple="Durand"),
                    ),
                ),
                Variable(
                    "lien",
                    "Lien vers le suivi de la demande",
                    exemple="https://guichet.belleville-sur-loire.fr/mon-compte/demandes/42/",
                ),
            ),
        )
    )
