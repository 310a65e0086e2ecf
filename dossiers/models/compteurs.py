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


class CompteurParPortee(models.Model):
    """What every dashboard counter is keyed by — the dispositif and territoire (NULL:
    none) the agents' scope filters on — and its count. Plain ids, no constraint: counts,
    not relations. Subclasses add their own key and indexes."""

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
    nombre = models.IntegerField(default=0)

    class Meta:
        abstract = True
        default_permissions = ("view",)


class CompteurDepots(CompteurParPortee):
    """Dossiers filed (déposé or clôturé, not in the trash) of a dispositif and
    territoire on a day (UTC) of `depose_le`: « déposés cette semaine »."""

    jour = models.DateField()

    class Meta(CompteurParPortee.Meta):
        verbose_name = _("compteur de dépôts par jour")
        verbose_name_plural = _("compteurs de dépôts par jour")
        indexes = [
            models.Index(fields=["jour", "dispositif"], name="compteur_depots_jour"),
        ]

    def __str__(self) -> str:
        return f"{self.dispositif_id} / {self.territoire_id} / {self.jour}: {self.nombre}"


# The map's grid at zoom 13 (dossiers.selectors_carte: 80 px at 256 px per 360°/2^13),
# in degrees; every coarser zoom's grid step is this one times a power of two.
PAS_CARTE = 360.0 / 2**13 * 80 / 256


class CompteurCarte(CompteurParPortee):
    """Dossiers on the CRM map (filed, not in the trash, with a position) of a dispositif
    and territoire in one cell of the zoom-13 grid (`cx`, `cy`: floor(longitude /
    PAS_CARTE), floor(latitude / PAS_CARTE)), with the sums of their coordinates for the
    groups' mean position. The map without filters reads these cells for zoom 13 and
    coarser (dossiers.selectors_carte.donnees_carte_comptees) instead of grouping every
    dossier of the box. Kept by the trigger `dossiers_compteur_carte` (migration 0022)."""

    cx = models.IntegerField()
    cy = models.IntegerField()
    somme_lat = models.FloatField(default=0)
    somme_lon = models.FloatField(default=0)

    class Meta(CompteurParPortee.Meta):
        verbose_name = _("compteur de la carte")
        verbose_name_plural = _("compteurs de la carte")
        indexes = [models.Index(fields=["cx", "cy"], name="compteur_carte_cellule")]

    def __str__(self) -> str:
        return (
            f"{self.dispositif_id} / {self.territoire_id} / ({self.cx}, {self.cy}): {self.nombre}"
        )
