"""A counter of the CRM dashboard (C1), so that its « dispositifs » dashlet costs the
same with a million dossiers as with ten thousand (issue 9's benchmark): the dossiers
filed per dispositif, territoire and day, read for the last seven days instead of
counting every dossier filed meanwhile. Its sibling for the bannettes, keyed by the
guide's statut, is `instruction.models_compteurs.CompteurBannette`.

Written by PostgreSQL itself (trigger `dossiers_compteur_depots` on the dossier table,
migration 0020): every write path — services, `update()`, imports, raw SQL — keeps it,
as the map's coordinates are kept. The trigger only appends a row (+1 or −1) per change,
never updates one: two transactions never wait for each other on a counter, and no
deadlock is possible. `instruction.services_compteurs.compacter()` (a Celery beat task
every five minutes) sums the rows back to one per key; `recompter()` (the command
`recompter_compteurs`) rebuilds them from the dossiers: after a load that bypassed the
triggers (`session_replication_role = replica`), or to repair.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompteurDepots(models.Model):
    """Dossiers filed (déposé or clôturé, not in the trash) of a dispositif and
    territoire on a day (UTC) of `depose_le`: « déposés cette semaine »."""

    dispositif = models.ForeignKey(
        "dossiers.Dispositif",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    territoire = models.ForeignKey(
        "dossiers.Territoire",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    jour = models.DateField()
    nombre = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de dépôts par jour")
        verbose_name_plural = _("compteurs de dépôts par jour")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["jour", "dispositif"], name="compteur_depots_jour"),
        ]

    def __str__(self) -> str:
        return f"{self.dispositif_id} / {self.territoire_id} / {self.jour}: {self.nombre}"
