"""How a dossier's state is shown (P10, C2, C3): its label and colour, to the citizen or
to agents, and its lifeline (ligne de vie).

The instruction guide (the instruction issue) registers its own provider with
`register_fournisseur()` from its AppConfig.ready(); until then, and for dispositifs
without a guide, the dossier's life cycle (draft, filed, closed) gives them. Lists call
`etats()` once for a whole page, so a provider answers in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier


@dataclass(frozen=True)
class EtatAffiche:
    libelle: str
    # A DSFR badge kind: "new", "info", "success", "warning", "error" (or "" for grey).
    couleur: str = ""
    en_retard: bool = False


@dataclass(frozen=True)
class EtapeVie:
    libelle: str
    # "faite", "en_cours" or "a_venir".
    etat: str
    depuis: datetime | None = None
    # Over the étape's target duration (the instruction guide's délai).
    en_retard: bool = False


@dataclass(frozen=True)
class DetailsSuivi:
    """What exports add to the state: the current étape and its deadline."""

    etape: str = ""
    echeance: date | None = None


class Fournisseur(Protocol):
    def etats(self, dossiers: list[Dossier], *, usager: bool) -> dict[int, EtatAffiche]:
        """The state shown for each dossier, by pk; missing pks fall back to the life cycle."""

    def ligne_de_vie(self, dossier: Dossier, *, usager: bool) -> list[EtapeVie] | None:
        """The lifeline, or None to fall back to the life cycle's."""

    # Optional (looked up with getattr, so older providers need not define them):
    # def usager_peut_modifier(self, dossier) -> bool | None: may the citizen modify
    #     this filed dossier (F10)? None: no opinion, the next provider or the default.
    # def appliquer_statut(self, dossier, code: str) -> bool: give the dossier the
    #     guide's status `code` (F10's repeated modifications); True when applied.
    # def details(self, dossiers) -> dict[int, DetailsSuivi]: the étape and its
    #     deadline of each dossier (exports), in a fixed number of queries.


_ETATS_CYCLE = {
    Dossier.Statut.BROUILLON: EtatAffiche(_("Brouillon"), ""),
    Dossier.Statut.DEPOSE: EtatAffiche(_("Déposé"), "info"),
    Dossier.Statut.CLOS: EtatAffiche(_("Clôturé"), "success"),
}

_fournisseurs: list[Fournisseur] = []


def register_fournisseur(fournisseur: Fournisseur) -> None:
    _fournisseurs.append(fournisseur)


def etat_du_cycle(dossier: Dossier) -> EtatAffiche:
    # The fallback is built only when needed: exports call this for every row.
    etat = _ETATS_CYCLE.get(dossier.statut)
    return etat if etat is not None else EtatAffiche(dossier.get_statut_display())


def etats(dossiers: Iterable[Dossier], *, usager: bool = True) -> dict[int, EtatAffiche]:
    """The state shown for each dossier of a page, by pk."""
    dossiers = list(dossiers)
    resultat: dict[int, EtatAffiche] = {}
    for fournisseur in _fournisseurs:
        restants = [d for d in dossiers if d.pk not in resultat]
        if not restants:
            break
        resultat.update(fournisseur.etats(restants, usager=usager))
    for dossier in dossiers:
        resultat.setdefault(dossier.pk, etat_du_cycle(dossier))
    return resultat


def details(dossiers: Iterable[Dossier]) -> dict[int, DetailsSuivi]:
    """The étape and deadline of each dossier, by pk (exports, ICS). Without a provider's
    answer: no étape, no deadline."""
    dossiers = list(dossiers)
    resultat: dict[int, DetailsSuivi] = {}
    for fournisseur in _fournisseurs:
        lire = getattr(fournisseur, "details", None)
        restants = [d for d in dossiers if d.pk not in resultat]
        if lire is None or not restants:
            continue
        resultat.update(lire(restants))
    return resultat


def etat(dossier: Dossier, *, usager: bool = True) -> EtatAffiche:
    return etats([dossier], usager=usager)[dossier.pk]


def ligne_de_vie(dossier: Dossier, *, usager: bool = True) -> list[EtapeVie]:
    for fournisseur in _fournisseurs:
        etapes = fournisseur.ligne_de_vie(dossier, usager=usager)
        if etapes is not None:
            return etapes
    return ligne_du_cycle(dossier)


def ligne_du_cycle(dossier: Dossier) -> list[EtapeVie]:
    """Filed → being processed → closed, from the life cycle's dates."""
    depose = dossier.statut != Dossier.Statut.BROUILLON
    clos = dossier.statut == Dossier.Statut.CLOS
    return [
        EtapeVie(_("Demande déposée"), "faite" if depose else "en_cours", dossier.depose_le),
        EtapeVie(
            _("Demande en cours de traitement"),
            "faite" if clos else ("en_cours" if depose else "a_venir"),
            dossier.depose_le if depose else None,
        ),
        EtapeVie(_("Décision"), "faite" if clos else "a_venir", dossier.clos_le if clos else None),
    ]


def usager_peut_modifier(dossier: Dossier) -> bool:
    """May the citizen modify this filed dossier (F10, « Modifier ma demande »)? The
    first provider with an opinion decides (the instruction guide's « modifiable by the
    citizen » status property); by default: filed and no agent assigned yet."""
    for fournisseur in _fournisseurs:
        decide = getattr(fournisseur, "usager_peut_modifier", None)
        reponse = decide(dossier) if decide is not None else None
        if reponse is not None:
            return bool(reponse)
    return dossier.statut == Dossier.Statut.DEPOSE and dossier.agent_id is None


def appliquer_statut(dossier: Dossier, code: str) -> bool:
    """Give the dossier the guide's status `code` through the first provider able to;
    False when none registered one (the life cycle has no such statuses)."""
    for fournisseur in _fournisseurs:
        applique = getattr(fournisseur, "appliquer_statut", None)
        if applique is not None and applique(dossier, code):
            return True
    return False


def onglets_vue(dossier: Dossier, vue: str) -> dict[str, dict]:
    """This dossier's overrides of its form's tabs in `vue` (the instruction guide's
    « Onglet par vue » action): {tab title: {"visible": bool, "modifiable": bool}}, a
    missing key leaving the form model's own rule. {} without a provider's opinion."""
    for fournisseur in _fournisseurs:
        lire = getattr(fournisseur, "onglets_vue", None)
        surcharges = lire(dossier, vue) if lire is not None else None
        if surcharges is not None:
            return surcharges
    return {}


def onglet_masque(surcharges: dict[str, dict], onglet) -> bool:
    return (surcharges.get(onglet.titre) or {}).get("visible") is False


def onglet_ferme(surcharges: dict[str, dict], onglet) -> bool:
    """Hidden or read-only for this dossier: not offered for modification."""
    regle = surcharges.get(onglet.titre) or {}
    return regle.get("visible") is False or regle.get("modifiable") is False
