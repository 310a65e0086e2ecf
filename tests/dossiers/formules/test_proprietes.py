"""Properties of the formula language, checked on generated input (hypothesis)."""

import contextlib
import datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dossiers.formules import (
    ErreurCalcul,
    ErreurFormule,
    analyser,
    ast_depuis_json,
    ast_en_json,
    en_texte,
    evaluer,
    evaluer_condition,
    references,
)
from dossiers.formules.calculs import DIVISION_PAR_ZERO
from tests.dossiers.formules import strategies as s

REGLAGES = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
JOUR = datetime.date(2026, 3, 12)
# Text that looks like formulas: their pieces, shuffled.
MORCEAUX = st.sampled_from(
    [
        "a", "b1", "x.y", "12", "0.5", "3.", '"t', '"x"', "'y'", "\\", "(", ")", ",", " ",
        "+", "-", "*", "/", "=", "≠", "<", "≤", ">", "≥", "<=", ">=", "!=", "<>", "==",
        "et", "ou", "non", "si(", "max(", "arrondi(", "somme(", "age(", "foo(", "@", "é", ".",
    ]
)  # fmt: skip


@REGLAGES
@given(st.one_of(st.text(), st.lists(MORCEAUX, max_size=30).map("".join)))
@example("(" * 500)
@example("-" * 3000 + "1")
@example("non " * 1000 + "1")
@example("a+" * 2000 + "a")
@example("si(" * 300)
def test_the_parser_raises_only_formula_errors(texte):
    try:
        ast = analyser(texte)
    except ErreurFormule as erreur:
        assert erreur.message
        assert erreur.position is None or 1 <= erreur.position <= len(texte) + 1
        return
    # Whatever it reads, it can write back and compute without crashing.
    assert analyser(en_texte(ast)) == ast
    with contextlib.suppress(ErreurCalcul):
        evaluer(ast, {}, aujourdhui=JOUR)


@REGLAGES
@given(s.arbres, s.donnees)
def test_any_tree_on_any_data_raises_only_calcul_errors(ast, data):
    try:
        evaluer(ast, data, aujourdhui=JOUR)
    except ErreurCalcul as erreur:
        assert erreur.message


@REGLAGES
@given(s.arbres_numeriques, s.donnees_numeriques)
def test_well_typed_trees_on_numbers_fail_only_dividing_by_zero(ast, data):
    try:
        evaluer(ast, data, aujourdhui=JOUR)
    except ErreurCalcul as erreur:
        assert erreur.message == DIVISION_PAR_ZERO


@REGLAGES
@given(st.one_of(s.arbres, s.arbres_numeriques))
def test_text_and_json_round_trip(ast):
    texte = en_texte(ast)
    assert analyser(texte) == ast
    assert en_texte(analyser(texte)) == texte
    assert ast_depuis_json(ast_en_json(ast)) == ast
    assert references(analyser(texte)) == references(ast)


@REGLAGES
@given(s.conditions, s.donnees, s.profils)
def test_conditions_never_raise(condition, data, profil):
    assert evaluer_condition(condition, data, profil=profil) in (True, False)
