"""The bannettes' counter (C1 dashboard, issue 9's benchmark): dossiers in progress per
dispositif, territoire and statut of the guide, so that the bannettes and the
dispositifs dashlet read a few rows per dispositif and territoire of the agent's scope
instead of every dossier in progress (hundreds of thousands at scale).

Written by PostgreSQL itself (migration 0010): a trigger on the dossier table (filed,
closed, trashed, restored, moved to another dispositif or territoire) and one on the
suivi (the statut changed), each reading the other table's row, so every write path —
change_status, the lots, `update()`, imports, raw SQL — keeps it. A change only
appends rows (+1 / −1), never updates one: no writer waits for another on a counter,
no deadlock. `instruction.services_compteurs.compacter()` (a Celery beat task every
five minutes) sums them back to one row per key, `recompter()` (the command
`recompter_compteurs`) rebuilds them from the dossiers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models.compteurs import CompteurParPortee


class CompteurBannette(CompteurParPortee):
    """Dossiers filed and in progress (statut « déposé », not in the trash) of a
    dispositif and territoire (NULL: none) in a statut of its guide (NULL: outside any
    guide). Plain ids, no constraint: counts, not relations."""

    statut = models.ForeignKey(
        "instruction.Statut",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta(CompteurParPortee.Meta):
        verbose_name = _("compteur de bannette")
        verbose_name_plural = _("compteurs de bannettes")
        indexes = [
            models.Index(fields=["dispositif", "territoire"], name="compteur_bannette_cle"),
        ]

    def __str__(self) -> str:
        return f"{self.dispositif_id} / {self.territoire_id} / {self.statut_id}: {self.nombre}"
