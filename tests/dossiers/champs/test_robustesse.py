"""Whatever a browser, an API or an import sends, a type either returns a JSON value that
reads back to itself or refuses it with a ValidationError: never another exception (a
500), never a value that cleans differently the second time."""

import json

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dossiers.champs import get, types
from tests.dossiers.champs.outils import definition
from tests.dossiers.champs.test_registre import CHOIX, OPTIONS

CODES = sorted(code for code, type_champ in types().items() if type_champ.stocke_valeur)
OPTIONS_EN_PLUS = {"texte": {"masque": "AA-999"}, "decimal": {"decimales": 2, "unite": "kg"}}

_SCALAIRES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.sampled_from(
        [
            "a",
            "b",
            "oui",
            "non",
            "on",
            "0612345678",
            "1 234,50 €",
            "-0",
            "12/03/2026",
            "2026-03-29T02:30",
            "2026-03-12T10:30:00+02:00",
            "9999-12-31T23:59:59-12:00",
            "FR7630006000011234567890189",
            "73282932000074",
            "<p>x</p>",
            "AB-123",
            "1234567",
            "nom@exemple.fr",
            "\x00",
            "1e400",
            "9" * 5000,
        ]
    ),
)
VALEURS = st.recursive(
    _SCALAIRES,
    lambda enfants: st.lists(enfants, max_size=3) | st.dictionaries(st.text(), enfants, max_size=3),
    max_leaves=6,
)


def _definition(code):
    options = {**OPTIONS.get(code, {}), **OPTIONS_EN_PLUS.get(code, {})}
    return definition(code, options=options, choix=CHOIX)


@pytest.mark.parametrize("code", CODES)
@given(raw=VALEURS)
def test_any_input_is_cleaned_or_refused(code, raw):
    type_champ, champ = get(code), _definition(code)
    try:
        stocke = type_champ.clean(champ, raw)
    except ValidationError as erreur:
        assert all(message.strip() for message in erreur.messages)
        return
    assert json.loads(json.dumps(stocke)) == stocke
    assert type_champ.clean(champ, stocke) == stocke
    if not type_champ.est_vide(stocke):
        assert type_champ.to_json(type_champ.from_json(stocke)) == stocke
    assert isinstance(type_champ.affichage(champ, stocke), str)
    type_champ.export(champ, stocke)
    type_champ.export(champ, stocke, libelles=False)
    type_champ.variable(champ, stocke)


@pytest.mark.parametrize("code", CODES)
@given(stocke=VALEURS)
def test_any_stored_value_displays_without_error(code, stocke):
    """A hand-edited or migrated row is shown, maybe as it is, but never breaks a page."""
    type_champ, champ = get(code), _definition(code)
    assert isinstance(type_champ.affichage(champ, stocke), str)
    type_champ.export(champ, stocke)
    type_champ.variable(champ, stocke)
