"""Helpers for the field type tests: a definition, a cleaned value, a refusal's message."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from dossiers.champs import Definition, get


def definition(code: str, **kwargs: Any) -> Definition:
    kwargs.setdefault("nom", "champ")
    kwargs.setdefault("libelle", "Champ")
    return Definition(type=code, **kwargs)


def propre(code: str, raw: Any, **kwargs: Any) -> Any:
    return get(code).clean(definition(code, **kwargs), raw)


def refus(code: str, raw: Any, **kwargs: Any) -> str:
    """The French message a refused value gets (all messages, joined)."""
    with pytest.raises(ValidationError) as erreur:
        propre(code, raw, **kwargs)
    return " ".join(erreur.value.messages)


def sorties(code: str, stored: Any, **kwargs: Any) -> tuple[str, Any, Any, Any]:
    """(affichage, export with labels, export with keys, variable) of a stored value."""
    type_champ, champ = get(code), definition(code, **kwargs)
    return (
        type_champ.affichage(champ, stored),
        type_champ.export(champ, stored),
        type_champ.export(champ, stored, libelles=False),
        type_champ.variable(champ, stored),
    )


def aller_retour(code: str, stored: Any) -> Any:
    type_champ = get(code)
    return type_champ.to_json(type_champ.from_json(stored))
