"""Read queries of instruction shared by the provider (dossiers.suivi) and the CRM tab."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from dossiers.models import Dossier
from instruction.models import ChangementStatut, Etape, SuiviInstruction

# The dossier's reverse one-to-one cache: a page asking for the state, then the lifeline,
# then « modifiable ? » of one dossier reads its SuiviInstruction once.
_CACHE = Dossier.suivi_instruction.related


def suivi_de(dossier) -> SuiviInstruction | None:
    if _CACHE.is_cached(dossier):
        return _CACHE.get_cached_value(dossier)
    suivi = (
        SuiviInstruction.objects.select_related("statut__etape")
        .filter(dossier_id=dossier.pk)
        .first()
    )
    memoriser(dossier, suivi)
    return suivi


def memoriser(dossier, suivi: SuiviInstruction | None) -> None:
    _CACHE.set_cached_value(dossier, suivi)


def suivis(dossiers: list) -> dict[int, SuiviInstruction]:
    """At most one query for a page of dossiers (each remembers its own)."""
    connus = [d for d in dossiers if _CACHE.is_cached(d)]
    inconnus = [d for d in dossiers if not _CACHE.is_cached(d)]
    trouves = {d.pk: _CACHE.get_cached_value(d) for d in connus}
    if inconnus:
        lus = {
            s.dossier_id: s
            for s in SuiviInstruction.objects.select_related("statut__etape").filter(
                dossier_id__in=[d.pk for d in inconnus]
            )
        }
        for dossier in inconnus:
            memoriser(dossier, lus.get(dossier.pk))
        trouves.update(lus)
    return {pk: suivi for pk, suivi in trouves.items() if suivi is not None}


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
