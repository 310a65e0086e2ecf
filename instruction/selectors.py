"""Read queries of instruction shared by the provider (dossiers.suivi) and the CRM tab."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from instruction.models import ChangementStatut, Etape, SuiviInstruction


def suivi_de(dossier) -> SuiviInstruction | None:
    return (
        SuiviInstruction.objects.select_related("statut__etape", "version")
        .filter(dossier_id=dossier.pk)
        .first()
    )


def suivis(dossier_pks) -> dict[int, SuiviInstruction]:
    """One query for a page of dossiers."""
    return {
        s.dossier_id: s
        for s in SuiviInstruction.objects.select_related("statut__etape").filter(
            dossier_id__in=list(dossier_pks)
        )
    }


@dataclass(frozen=True)
class EtapeLigne:
    etape: Etape
    etat: str  # "faite", "en_cours", "a_venir"
    depuis: datetime | None = None
    jours: int | None = None  # days spent in the current étape
    en_retard: bool = False


def ligne_de_vie(suivi: SuiviInstruction) -> list[EtapeLigne]:
    """The étapes of the dossier's guide version: done, current (since when, how long,
    late against the target duration) or to come; a closing statut completes its étape."""
    courante = suivi.statut.etape
    maintenant = timezone.now()
    lignes = []
    for etape in Etape.objects.filter(version_id=suivi.version_id).order_by("ordre", "pk"):
        if (etape.ordre, etape.pk) < (courante.ordre, courante.pk):
            lignes.append(EtapeLigne(etape, "faite"))
        elif etape.pk == courante.pk:
            if suivi.statut.cloture:
                lignes.append(EtapeLigne(etape, "faite", suivi.entre_le))
            else:
                lignes.append(
                    EtapeLigne(
                        etape,
                        "en_cours",
                        suivi.etape_entree_le,
                        (maintenant - suivi.etape_entree_le).days,
                        suivi.en_retard(maintenant),
                    )
                )
        else:
            lignes.append(EtapeLigne(etape, "a_venir"))
    return lignes


def changements(dossier):
    return ChangementStatut.objects.filter(dossier_id=dossier.pk).select_related(
        "de", "vers__etape", "par"
    )
