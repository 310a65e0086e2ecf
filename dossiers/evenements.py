"""The notification events dossiers raises (registered by DossiersConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from common.gabarits import Variable
from notifications.registry import Evenement, register_evenement


def register() -> None:
    register_evenement(
        Evenement(
            code="dossier.justificatif_refuse",
            libelle=_("Justificatif refusé"),
            description=_(
                "Un agent a refusé une pièce justificative : l’usager doit en déposer une "
                "nouvelle version."
            ),
            variables=(
                Variable(
                    "dossier",
                    "Dossier",
                    (
                        Variable("reference", "Référence", exemple="2026-SUB-000123"),
                        Variable("dispositif", "Démarche", exemple="Subvention aux associations"),
                    ),
                ),
                Variable(
                    "justificatif",
                    "Justificatif",
                    (
                        Variable("libelle", "Libellé", exemple="Justificatif de domicile"),
                        Variable(
                            "commentaire",
                            "Motif du refus",
                            exemple="Le document date de plus de trois mois.",
                        ),
                    ),
                ),
                Variable(
                    "lien",
                    "Lien vers les justificatifs du dossier",
                    exemple="/mon-compte/demandes/42/justificatifs/",
                ),
            ),
        )
    )
