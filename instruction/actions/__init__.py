"""Status actions (I2): what happens automatically when a dossier enters a statut.

Each type is a class with a `code`, a `libelle`, a config form (a Django form: the admin
validates `ActionStatut.config` with it) and `executer(dossier, config, contexte)`, run by
`instruction.services.change_status` inside its transaction, in the statut's order.
An action refuses with ValidationError (a French message): the whole change rolls back.
Modules add types with `register(MonAction)` from their AppConfig.ready().
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms


@dataclass(frozen=True)
class Contexte:
    """What an action knows about the change that runs it."""

    par: Any  # the agent (None: the system)
    statut: Any  # instruction.models.Statut entered
    changement: Any  # instruction.models.ChangementStatut written
    motif: str = ""


class TypeAction:
    code: ClassVar[str]
    libelle: ClassVar[Any]
    form_class: ClassVar[type[forms.Form]] = forms.Form

    @classmethod
    def config_depuis(cls, cleaned_data: dict) -> dict:
        """The JSON stored from the form's cleaned data (model instances → pks)."""
        return {cle: getattr(valeur, "pk", valeur) for cle, valeur in cleaned_data.items()}

    def executer(self, dossier, config: dict, contexte: Contexte) -> None:
        raise NotImplementedError

    def decrire(self, config: dict) -> str:
        """What the action would do, in French, for the dry run (instruction.essais):
        « Envoie le courriel « Dossier recevable » à l’usager ». The type's name by
        default; types say more from their config."""
        return str(self.libelle)


_types: dict[str, type[TypeAction]] = {}


def register(cls: type[TypeAction]) -> type[TypeAction]:
    _types[cls.code] = cls
    return cls


def type_action(code: str) -> type[TypeAction] | None:
    return _types.get(code)


def choix() -> list[tuple[str, str]]:
    return sorted(((code, str(cls.libelle)) for code, cls in _types.items()), key=lambda c: c[1])


def register_builtins() -> None:
    from instruction.actions import (
        attribuer,
        champs,
        conversation,
        correction,
        courriel,
        document,
        doublons,
        justificatif,
        onglets,
        sauter,
        sms,
        suivi,
        usager,
    )

    for module in (
        champs,
        suivi,
        attribuer,
        courriel,
        conversation,
        correction,
        justificatif,
        onglets,
    ):
        register(module.Action)
    for module in (sms, document, sauter, doublons, usager):
        register(module.Action)
