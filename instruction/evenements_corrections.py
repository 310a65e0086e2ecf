"""The notification event of correction requests (I10), listed in the event → template
mapping (notifications.registry)."""

from django.utils.translation import gettext_lazy as _

from common.gabarits import Variable
from notifications.registry import Evenement, register_evenement


def register() -> None:
    register_evenement(
        Evenement(
            code="dossier.correction_demandee",
            libelle=_("Correction demandée à l’usager"),
            description=_(
                "Un agent (ou une action du guide d’instruction) demande à l’usager de "
                "corriger certains champs de sa demande."
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
                    "demandeur",
                    "Le demandeur",
                    (
                        Variable("nom_complet", "Nom complet", exemple="Mme Léa Durand"),
                        Variable("prenom", "Prénom", exemple="Léa"),
                        Variable("nom", "Nom (ou raison sociale)", exemple="Durand"),
                    ),
                ),
                Variable(
                    "correction",
                    "La demande de correction",
                    (
                        Variable(
                            "motif",
                            "Motif",
                            exemple="Le montant demandé ne correspond pas au budget joint.",
                        ),
                        Variable("champs", "Champs à corriger", exemple="Montant, Téléphone"),
                        Variable("echeance", "À corriger avant le", exemple="15 mars 2026"),
                    ),
                ),
                Variable(
                    "lien",
                    "Lien vers le formulaire de correction",
                    exemple="https://guichet.belleville-sur-loire.fr/mon-compte/demandes/42/correction/",
                ),
            ),
        )
    )
