"""The one registry through which apps and optional modules plug into the front-ends
(ARCHITECTURE.md): the tabs of a dossier's page, on the portal and in the CRM, and what
« Mon compte » lists as waiting for the citizen (P9). Register from an AppConfig.ready();
removing the app from INSTALLED_APPS removes its entries.

    from common.extensions import OngletDossier, register_onglet_portail
    register_onglet_portail(OngletDossier(
        code="messages", libelle=_("Messages"), url_name="portal:dossier_messages", ordre=30))

A tab's view lives at its `url_name`, reversed with the dossier's pk; its template
extends the page frame of its front-end (`portal/dossiers/dossier_base.html`,
`crm/dossiers/dossier_base.html`) and fills its `onglet` block.

    from common.extensions import AFaire, register_a_faire
    register_a_faire("justificatifs", justificatifs_a_fournir)  # fn(user) -> list[AFaire]

Each provider answers for one account in a fixed number of queries.

    from common.extensions import Dashlet, register_dashlet
    register_dashlet(Dashlet(code="taches", libelle=_("Mes tâches"),
        template="crm/tableau_de_bord/taches.html", contexte=taches_du_tableau))

adds a block that agents may put on their CRM dashboard (C1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OngletDossier:
    code: str
    libelle: Any  # a lazy translation
    url_name: str
    ordre: int = 50
    # Shown for this dossier and user? (e.g. the conversation only once opened)
    visible: Callable[[Any, Any], bool] | None = None
    # A count shown beside the label (unread messages…), or None.
    compteur: Callable[[Any, Any], int | None] | None = None


@dataclass(frozen=True)
class AFaire:
    """One thing waiting for the citizen, with the page where it is done."""

    libelle: str
    url: str
    categorie: str = ""  # "justificatifs", "messages", "factures", "rendez-vous"…
    detail: str = ""


_onglets_portail: dict[str, OngletDossier] = {}
_onglets_crm: dict[str, OngletDossier] = {}
_a_faire: dict[str, Callable[[Any], list[AFaire]]] = {}


def register_onglet_portail(onglet: OngletDossier) -> None:
    _onglets_portail[onglet.code] = onglet


def register_onglet_crm(onglet: OngletDossier) -> None:
    _onglets_crm[onglet.code] = onglet


def _visibles(onglets: dict[str, OngletDossier], dossier, user) -> list[OngletDossier]:
    return [
        onglet
        for onglet in sorted(onglets.values(), key=lambda o: (o.ordre, o.code))
        if onglet.visible is None or onglet.visible(dossier, user)
    ]


def onglets_portail(dossier, user) -> list[OngletDossier]:
    return _visibles(_onglets_portail, dossier, user)


def onglets_crm(dossier, user) -> list[OngletDossier]:
    return _visibles(_onglets_crm, dossier, user)


def register_a_faire(code: str, provider: Callable[[Any], list[AFaire]]) -> None:
    _a_faire[code] = provider


def a_faire(user) -> list[AFaire]:
    """Everything waiting for this account, providers in registration order."""
    items: list[AFaire] = []
    for provider in _a_faire.values():
        items.extend(provider(user))
    return items


# --- The CRM dashboard's dashlets (C1) ---------------------------------------------------


@dataclass(frozen=True)
class Dashlet:
    """One block of the agent's dashboard. `contexte(agent)` gives its template's
    context in a fixed number of queries; `visible(agent)` says whether the agent may
    have it at all (a right); `ordre` places it in the default dashboard."""

    code: str
    libelle: Any  # a lazy translation
    template: str
    contexte: Callable[[Any], dict]
    description: Any = ""
    ordre: int = 50
    visible: Callable[[Any], bool] | None = None


_dashlets: dict[str, Dashlet] = {}


def register_dashlet(dashlet: Dashlet) -> None:
    _dashlets[dashlet.code] = dashlet


def tous_les_dashlets() -> list[Dashlet]:
    """Every registered dashlet, in the default order (a profil's dashboard, C1)."""
    return sorted(_dashlets.values(), key=lambda d: (d.ordre, d.code))


def codes_des_dashlets() -> list[str]:
    return [d.code for d in tous_les_dashlets()]


def dashlets_disponibles(agent) -> list[Dashlet]:
    """The dashlets this agent may have, in their default order."""
    return [
        dashlet
        for dashlet in sorted(_dashlets.values(), key=lambda d: (d.ordre, d.code))
        if dashlet.visible is None or dashlet.visible(agent)
    ]


# Who proposes an agent's default dashboard (C1): the dossiers app registers the agent's
# profils métier (their `tableau_de_bord`); an empty answer: every dashlet they may have.
_tableau_par_defaut: list[Callable[[Any], Sequence[str]]] = []


def register_tableau_par_defaut(source: Callable[[Any], Sequence[str]]) -> None:
    if source not in _tableau_par_defaut:
        _tableau_par_defaut.append(source)


def tableau_par_defaut(agent) -> list[str]:
    """The dashlet codes proposed to `agent` by the registered sources, in order, once."""
    return list(dict.fromkeys(code for source in _tableau_par_defaut for code in source(agent)))
