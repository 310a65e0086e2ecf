"""Registries through which apps above notifications plug in, without upward imports.

Events (the mapping screen lists them; templates are checked against their variables):

    from notifications.registry import Evenement, register_evenement

    register_evenement(Evenement(
        code="dossier.depose",
        libelle=_("Dossier déposé"),
        variables=(
            Variable("dossier", "Dossier", (
                Variable("reference", "Référence", exemple="2026-SUB-000123"), ...)),
            ...
        ),
    ))

(`Variable` is `common.gabarits.Variable`: the schema templates are checked against, and
the sample context of the preview, built from each leaf's `exemple`.)

Call it from the app's `AppConfig.ready()`; then raise the event in the service, inside
its transaction: `notifications.services.notifier("dossier.depose", contexte=…,
destinataire=…, concerne=dossier)`. Every event also gets the common variables
(`autorite`, `site_url`). Attachments: the context's `pieces_jointes` key (or
`notifier(pieces_jointes=…)`) lists the files a mail template with « joindre les
documents » carries — generated documents straight from éditique, stored files, or
{"nom", "fichier", "type"} dicts — e.g. issue 7's decision mail:

    document = dossiers.editique.document_generer(dossier=…, modele=arrete, par=agent)
    notifier("dossier.decision", contexte={**contexte, "pieces_jointes": [document]},
             email=…, concerne=dossier)

Produce them in the same transaction (see `services.notifier`).

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

from common.gabarits import Variable


@dataclass(frozen=True)
class Evenement:
    code: str
    libelle: str
    # The context schema templates of this event may use (beside the common variables).
    variables: tuple[Variable, ...] = ()
    description: str = ""
    # Extra values of the sample context, over those the schema's `exemple`s give.
    exemple: dict[str, Any] = field(default_factory=dict)


VARIABLES_COMMUNES = (
    Variable("autorite", "Nom de la collectivité", exemple="Ville de Belleville-sur-Loire"),
    Variable("site_url", "Adresse du portail", exemple="https://guichet.belleville-sur-loire.fr"),
)

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
