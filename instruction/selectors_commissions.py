"""Reads of the commission and meeting screens (I6). Agenda lines and meetings show only
the dossiers the agent may see (`dossiers_visible_to`): a séance mixing dossiers of
several scopes shows each agent their own lines (and how many others there are)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from instruction.models import Commission, PointOrdreDuJour, Reunion, Seance


def commissions() -> QuerySet[Commission]:
    return Commission.objects.filter(active=True).prefetch_related("dispositifs")


def seances() -> QuerySet[Seance]:
    """Every séance, newest first, with its number of agenda lines."""
    return Seance.objects.select_related("commission").annotate(nombre=Count("points"))


def seances_ouvertes() -> QuerySet[Seance]:
    return (
        Seance.objects.exclude(etat=Seance.Etat.CLOSE)
        .select_related("commission")
        .order_by("date", "pk")
    )


def seances_ouvertes_pour(dossier: Dossier) -> QuerySet[Seance]:
    """The open séances of the commissions deciding on this dossier's dispositif."""
    return seances_ouvertes().filter(commission__dispositifs=dossier.dispositif_id)


def _visibles(agent):
    return dossiers_visible_to(agent).filter(pk=OuterRef("dossier_id"))


def points_visibles(seance: Seance, agent) -> QuerySet[PointOrdreDuJour]:
    return seance.points.filter(Exists(_visibles(agent))).select_related("dossier")


def points(seance: Seance, agent) -> list[PointOrdreDuJour]:
    """The séance's agenda lines the agent may see, in order, with what the page shows
    (one query whatever their number)."""
    return list(
        seance.points.filter(Exists(_visibles(agent)))
        .select_related(
            "dossier__dispositif",
            "dossier__demandeur_individu",
            "dossier__demandeur_profil",
            "rapporteur",
            "decide_par",
        )
        .order_by("ordre", "pk")
    )


def points_hors_perimetre(seance: Seance, agent) -> int:
    return seance.points.exclude(Exists(_visibles(agent))).count()


def points_du_dossier(dossier: Dossier) -> list[PointOrdreDuJour]:
    return list(
        dossier.points_commission.select_related("seance__commission", "decide_par").order_by(
            "-seance__date"
        )
    )


def reunions(agent) -> QuerySet[Reunion]:
    """Meetings, newest first, with the number of dossiers the agent may see."""
    return (
        Reunion.objects.select_related("cree_par")
        .annotate(
            nombre=Count("dossiers", filter=Q(dossiers__in=dossiers_visible_to(agent).values("pk")))
        )
        .order_by("-date", "-pk")
    )


def reunions_du_dossier(dossier: Dossier) -> list[Reunion]:
    return list(dossier.reunions.order_by("-date"))
