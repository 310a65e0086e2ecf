"""Reads of justificatifs shared by the portal and the CRM; each in a fixed number of
queries whatever the number of pieces or dossiers."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from common.expressions import ParmiLesValeurs
from dossiers.models import Dossier, Justificatif, TypeJustificatif, VersionJustificatif
from dossiers.selectors import dossiers_of

Statut = Justificatif.Statut


def _versions() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=VersionJustificatif.objects.select_related("depose_par").order_by(
            "-created_at", "-pk"
        ),
    )


def justificatifs_du_dossier(dossier: Dossier, *, usager: bool) -> list[Justificatif]:
    """The dossier's pieces with their versions (newest first); the citizen sees only
    those visible to them. Three queries."""
    qs = dossier.justificatifs.select_related("type", "decide_par").prefetch_related(
        _versions(), "type__regles"
    )
    if usager:
        qs = qs.filter(visible_usager=True)
    justificatifs = list(qs.order_by("-obligatoire", "pk"))
    for justificatif in justificatifs:
        justificatif.dossier = dossier
    return justificatifs


def documents_reutilisables(dossier: Dossier) -> dict[int, list[VersionJustificatif]]:
    """type pk → the latest version of each still good document (received or validated,
    not past its validity) on the demandeur's profil. One query."""
    if dossier.demandeur_profil_id is None:
        return {}
    aujourd_hui = timezone.localdate()
    versions = (
        VersionJustificatif.objects.filter(
            justificatif__profil_id=dossier.demandeur_profil_id,
            justificatif__statut__in=(Statut.RECU, Statut.VALIDE),
        )
        .filter(
            Q(justificatif__expire_le__isnull=True) | Q(justificatif__expire_le__gte=aujourd_hui)
        )
        .select_related("justificatif")
        .order_by("justificatif_id", "-created_at", "-pk")
        .distinct("justificatif_id")
    )
    par_type: dict[int, list[VersionJustificatif]] = defaultdict(list)
    for version in versions:
        par_type[version.justificatif.type_id].append(version)
    return dict(par_type)


def documents_du_profil(profil) -> list[Justificatif]:
    """A profil's own documents with their versions. Two queries."""
    return list(
        profil.justificatifs.select_related("type")
        .prefetch_related(_versions())
        .order_by("type__libelle")
    )


def types_pour_profil() -> QuerySet[TypeJustificatif]:
    return TypeJustificatif.objects.filter(actif=True).order_by("libelle")


def a_fournir_compteur(dossier: Dossier, user=None) -> int:
    """The pieces waiting for the citizen on this dossier (the portal tab's count)."""
    return dossier.justificatifs.filter(
        visible_usager=True, statut__in=Justificatif.A_FOURNIR
    ).count()


def a_examiner_compteur(dossier: Dossier, user=None) -> int:
    """The pieces received and not yet decided (the CRM tab's count)."""
    return dossier.justificatifs.filter(statut=Statut.RECU).count()


def justificatifs_manquants(user) -> QuerySet[Justificatif]:
    """The mandatory pieces missing on the citizen's dossiers (« Mon compte », P9):
    expected, refused or expired; not the optional ones. One query."""
    return (
        Justificatif.objects.filter(
            # Not `dossier__in`: the planner would scan every justificatif (common.expressions).
            ParmiLesValeurs(
                "dossier", dossiers_of(user).exclude(statut=Dossier.Statut.BROUILLON).values("pk")
            ),
            obligatoire=True,
            visible_usager=True,
            statut__in=Justificatif.A_FOURNIR,
        )
        .select_related("type", "dossier__dispositif")
        .order_by("dossier_id", "pk")
    )


def version_pour_usager(request_dossiers: QuerySet[Dossier], profils, pk: int):
    """The version `pk` when it belongs to a visible piece of one of these dossiers, or
    to a document of one of these profils; else None."""
    return (
        VersionJustificatif.objects.filter(pk=pk)
        .filter(
            Q(
                justificatif__dossier__in=request_dossiers.values("pk"),
                justificatif__visible_usager=True,
            )
            | Q(justificatif__profil__in=profils.values("pk"))
        )
        .first()
    )


def version_pour_agent(dossier: Dossier, pk: int):
    return VersionJustificatif.objects.filter(pk=pk, justificatif__dossier=dossier).first()


def compteurs_par_statut(dossier: Dossier) -> dict[str, int]:
    return dict(
        dossier.justificatifs.values_list("statut")
        .annotate(n=Count("pk"))
        .values_list("statut", "n")
    )
