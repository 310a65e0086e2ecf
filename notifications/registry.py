"""Registries through which apps above notifications plug in, without upward imports.

Events (the mapping screen lists them; templates are checked against their variables):

    from notifications.registry import Evenement, register_evenement

    register_evenement(Evenement(
        code="dossier.depose",
        libelle=_("Dossier déposé"),
        variables={"dossier.reference": _("Référence du dossier"), ...},
        exemple={"dossier": {"reference": "2026-SUB-000123"}, ...},
    ))

Call it from the app's `AppConfig.ready()`; then raise the event in the service, inside
its transaction: `notifications.services.notifier("dossier.depose", contexte=…,
destinataire=…, concerne=dossier)`. Every event also gets the common variables
(`autorite`, `site_url`).

Inbound replies (a citizen answers a notification mail): the handler of the concerned
object's kind ("app_label.model") receives the reply, e.g. dossiers registers
`register_reponse("dossiers.dossier", ajouter_message_conversation)`:

    handler(objet_id: str, *, expediteur: str, sujet: str, texte: str,
            pieces_jointes: list[tuple[str, bytes, str]], message: Message) -> None
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Evenement:
    code: str
    libelle: str
    # Dotted variable name → what it holds (shown beside the editor).
    variables: dict[str, str] = field(default_factory=dict)
    # A realistic sample context: the preview renders on it, the test mail uses it.
    exemple: dict[str, Any] = field(default_factory=dict)
    description: str = ""


VARIABLES_COMMUNES = {
    "autorite": _("Nom de la collectivité"),
    "site_url": _("Adresse du portail"),
}

_evenements: dict[str, Evenement] = {}
_reponses: dict[str, Callable[..., None]] = {}


def register_evenement(evenement: Evenement) -> None:
    _evenements[evenement.code] = evenement


def evenements() -> list[Evenement]:
    return sorted(_evenements.values(), key=lambda e: str(e.libelle))


def evenement(code: str) -> Evenement | None:
    return _evenements.get(code)


def register_reponse(type_objet: str, handler: Callable[..., None]) -> None:
    """`type_objet` is "app_label.model" of what the answered message concerns."""
    _reponses[type_objet.lower()] = handler


def reponse_handler(type_objet: str) -> Callable[..., None] | None:
    return _reponses.get(type_objet.lower())
