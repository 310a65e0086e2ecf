"""Read queries of correction requests (I10), for the portal and the CRM."""

from __future__ import annotations

from django.db.models import QuerySet

from instruction.models import DemandeCorrection


def correction_ouverte(dossier) -> DemandeCorrection | None:
    return (
        DemandeCorrection.objects.filter(dossier_id=dossier.pk, etat=DemandeCorrection.Etat.OUVERTE)
        .select_related("demandee_par")
        .first()
    )


def corrections_ouvertes(dossiers: QuerySet) -> QuerySet[DemandeCorrection]:
    """The open requests on `dossiers` (a scoped queryset: one query in all)."""
    return (
        DemandeCorrection.objects.filter(
            etat=DemandeCorrection.Etat.OUVERTE, dossier__in=dossiers.values("pk")
        )
        .select_related("dossier__dispositif")
        .order_by("echeance", "created_at")
    )


def corrections(dossier, limite: int = 20) -> list[DemandeCorrection]:
    """The dossier's requests, newest first (the CRM's Instruction tab)."""
    return list(
        DemandeCorrection.objects.filter(dossier_id=dossier.pk).select_related(
            "demandee_par", "repondue_par"
        )[:limite]
    )
