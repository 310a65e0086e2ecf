"""Status actions (I2): what happens automatically when a dossier enters a statut.

Each type is a class with a `code`, a `libelle`, a config form (a Django form: the admin
validates `ActionStatut.config` with it) and `executer(dossier, config, contexte)`, run by
`instruction.services.change_status` inside its transaction, in the statut's order;
optionally `executer_lot` for a chunk of dossiers moved together (`par_lot`).
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

    def par_lot(self, config: dict) -> bool:
        """Whether `executer_lot` runs this config (a chunk of dossiers moved together,
        instruction.services_statut_lot); otherwise each dossier entering the statut is
        moved by change_status alone. No by default: a module's type works unchanged."""
        return False

    def executer_lot(self, dossiers: list, config: dict, contextes: list[Contexte]) -> None:
        """`executer` for each dossier (with its own `contextes[i]`), in a few set-based
        statements: the same rows, in the same order for each dossier. The dossiers are
        locked and read afresh in this transaction. Any exception (a refusal of one
        dossier included) rolls the whole chunk back; it is then moved dossier by
        dossier by change_status, which isolates the one refused."""
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
