"""Reads of the dashboard's counters (dossiers/models/compteurs.py, and the bannettes' in
instruction) within an agent's scope: the same dossiers as `dossiers_visible_to(agent)`
— the rights' dispositifs, the territoires — counted from a few rows per dispositif and
territoire instead of every dossier (the rows appended since the last compaction are
summed here)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet, Sum

from dossiers.models import CompteurDepots
from dossiers.selectors_droits import portee


def dans_la_portee(compteurs: QuerySet, agent) -> QuerySet:
    """`compteurs` narrowed as dossiers_visible_to(agent) narrows dossiers."""
    if (
        agent is None
        or not agent.is_authenticated
        or not agent.can_use_crm
        or not agent.has_perm("dossiers.instruire_dossiers")
    ):
        return compteurs.none()
    scope = portee(agent)
    dispositifs = scope.dispositifs_pour("voir")
    if dispositifs is not None:
        if not dispositifs:
            return compteurs.none()
        compteurs = compteurs.filter(dispositif_id__in=sorted(dispositifs))
    if scope.territoires is not None:
        compteurs = compteurs.filter(territoire_id__in=sorted(scope.territoires))
    return compteurs


def depots_depuis(agent, jour: datetime.date) -> dict[int, int]:
    """Dossiers filed per dispositif on `jour` (UTC) and after. One query."""
    lignes = (
        dans_la_portee(CompteurDepots.objects.filter(jour__gte=jour), agent)
        .values("dispositif_id")
        .annotate(n=Sum("nombre"))
        .filter(n__gt=0)
        .order_by()
    )
    return {ligne["dispositif_id"]: ligne["n"] for ligne in lignes}
