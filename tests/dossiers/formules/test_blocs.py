"""Repeatable blocks (F12) in the two languages: the aggregates nombre(), moyenne(),
somme(), min(), max() over a block, the condition pseudo-value "nombre(bloc)", on the
server, on generated data (hypothesis) and in the page (formules.js agrees)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers.formules import (
    ErreurCalcul,
    analyser,
    evaluer,
    evaluer_condition,
    valider_calcul,
    valider_condition,
)
from dossiers.formules.calculs import MOYENNE_DE_RIEN, Champ, Fonction
from tests.dossiers.formules import strategies as s
from tests.dossiers.formules.test_accord_navigateur import (  # the page, in Chromium
    accord_calculs,
    accord_conditions,
    onglet,  # noqa: F401  (a fixture)
)

JOUR = datetime.date(2026, 3, 12)
REGLAGES = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DEVIS = {
    "devis": [
        {"fournisseur": "A", "montant": "1200.50", "quantite": 2},
        {"fournisseur": "B", "montant": "800", "quantite": None},
        {"fournisseur": "C", "montant": "", "quantite": "3"},
    ],
    "vide": [],
}


def calcul(formule, data=DEVIS):
    return evaluer(analyser(formule), data, aujourdhui=JOUR)


@pytest.mark.parametrize(
    ("formule", "attendu"),
    [
        ("nombre(devis)", "3"),
        ("nombre(vide)", "0"),
        ("nombre(absent)", "0"),
        ("somme(devis.montant)", "2000.50"),
        ("somme(vide.montant)", "0"),
        ("min(devis.montant)", "0"),  # an empty amount counts as 0, as everywhere
        ("max(devis.montant)", "1200.50"),
        ("moyenne(devis.montant)", "1000.25"),  # the non-empty ones only
        ("moyenne(devis.quantite)", "2.5"),
        ("moyenne(1, 2, 4)", "2.333333333333333333333333333"),
        ("nombre(devis) * 35", "105"),
        ("si(nombre(devis) >= 3, 30, 35) * nombre(devis)", "90"),
        ("nb(devis.montant)", "2"),
    ],
)
def test_aggregates(formule, attendu):
    assert calcul(formule) == Decimal(attendu)


@pytest.mark.parametrize(
    ("formule", "message"),
    [
        ("moyenne(vide.montant)", MOYENNE_DE_RIEN),
        ("moyenne(devis.absent)", MOYENNE_DE_RIEN),
        ("nombre(12)", "nombre() compte les éléments d’un bloc répétable : nombre(enfants)."),
        ("nombre(devis.fournisseur)", None),  # a list: 3 values
        ("somme(devis.fournisseur)", "Le champ « devis.fournisseur » ne contient pas un nombre."),
        ("devis + 1", "Le champ « devis » contient plusieurs valeurs"),
    ],
)
def test_aggregate_errors_are_french_never_exceptions(formule, message):
    if message is None:
        assert calcul(formule) == 3
        return
    with pytest.raises(ErreurCalcul) as erreur:
        calcul(formule)
    assert erreur.value.message.startswith(message)


def test_arity_and_references():
    assert valider_calcul("nombre(enfants) * 35", {"enfants"}) == []
    assert valider_calcul("moyenne(devis.montant)", {"devis"}) == []
    assert "attend 1 argument" in valider_calcul("nombre(a, b)", {"a", "b"})[0]
    assert "« enfants »" in valider_calcul("nombre(enfants)", set())[0]


def test_condition_on_the_element_count():
    condition = {"champ": "nombre(devis)", "op": "≥", "valeur": 3}
    assert evaluer_condition(condition, DEVIS)
    assert not evaluer_condition({**condition, "valeur": 4}, DEVIS)
    assert evaluer_condition({"champ": "nombre(vide)", "op": "=", "valeur": 0}, DEVIS)
    assert evaluer_condition({"champ": "nombre(absent)", "op": "=", "valeur": 0}, DEVIS)
    assert evaluer_condition({"champ": "nombre(devis)", "op": "rempli"}, DEVIS)
    noms = {"devis": "bloc_repetable", "total": "montant"}
    assert valider_condition(condition, noms) == []
    assert valider_condition({"champ": "nombre(inconnu)", "op": "vide"}, noms) == [
        "La condition porte sur le champ « nombre(inconnu) », qui n’existe plus dans le modèle."
    ]
    assert (
        "n’en est pas un"
        in valider_condition({"champ": "nombre(total)", "op": ">", "valeur": 1}, noms)[0]
    )
    assert "doit être un nombre" in valider_condition({**condition, "valeur": "x"}, noms)[0]


# --- generated blocks ----------------------------------------------------------------------

elements = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "montant": st.one_of(st.none(), st.just(""), s.nombres),
            "nom": st.one_of(st.none(), s.textes),
        },
    ),
    max_size=6,
)
blocs = st.fixed_dictionaries({"devis": elements}, optional={"a": s.nombres})
AGREGATS = ["somme", "min", "max", "moyenne"]
arbres_blocs = st.one_of(
    st.just(Fonction("nombre", (Champ("devis"),))),
    st.sampled_from(AGREGATS).map(lambda nom: Fonction(nom, (Champ("devis.montant"),))),
    st.sampled_from(AGREGATS).map(lambda nom: Fonction(nom, (Champ("devis.nom"),))),
)
conditions_blocs = st.builds(
    lambda op, valeur: {"champ": "nombre(devis)", "op": op, "valeur": valeur},
    st.sampled_from(["=", "≠", "<", "≤", ">", "≥"]),
    st.one_of(st.integers(-1, 7), s.nombres, s.textes),
)


@REGLAGES
@given(arbres_blocs, blocs)
def test_aggregates_over_any_block_raise_only_calcul_errors(ast, data):
    try:
        resultat = evaluer(ast, data, aujourdhui=JOUR)
    except ErreurCalcul as erreur:
        assert erreur.message
        return
    if ast.nom == "nombre":
        assert resultat == len(data["devis"])


@REGLAGES
@given(st.lists(st.fixed_dictionaries({"montant": s.nombres}), min_size=1, max_size=6))
def test_the_mean_lies_between_the_min_and_the_max(devis):
    data = {"devis": devis}
    moyenne = evaluer(analyser("moyenne(devis.montant)"), data)
    assert (
        evaluer(analyser("min(devis.montant)"), data)
        <= moyenne
        <= evaluer(analyser("max(devis.montant)"), data)
    )


@REGLAGES
@given(conditions_blocs, blocs)
def test_count_conditions_compare_the_number_of_elements(condition, data):
    attendu = evaluer_condition(
        {"champ": "n", "op": condition["op"], "valeur": condition["valeur"]},
        {"n": len(data["devis"])},
    )
    assert evaluer_condition(condition, data) is attendu


# --- the page agrees -----------------------------------------------------------------------


@pytest.mark.browser
def test_unit_cases_agree_in_the_page(onglet):  # noqa: F811  (the imported fixture)
    formules = [
        "nombre(devis)",
        "nombre(vide) + nombre(absent)",
        "somme(devis.montant) + moyenne(devis.montant)",
        "moyenne(devis.quantite)",
        "moyenne(1, 2, 4)",
        "moyenne(vide.montant)",
        "nombre(12)",
        "si(nombre(devis) >= 3, 30, 35) * nombre(devis)",
    ]
    accord_calculs(onglet, [(analyser(f), DEVIS) for f in formules])
    conditions = [
        {"champ": "nombre(devis)", "op": "≥", "valeur": 3},
        {"champ": "nombre(vide)", "op": "=", "valeur": 0},
        {"champ": "nombre(absent)", "op": "<", "valeur": 1},
        {"champ": "nombre(devis)", "op": "rempli"},
        {"champ": "nombre(Devis)", "op": "vide"},
    ]
    accord_conditions(onglet, [(c, DEVIS, None) for c in conditions])


@pytest.mark.browser
@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(st.tuples(arbres_blocs, blocs), min_size=1, max_size=15),
    st.lists(st.tuples(conditions_blocs, blocs), min_size=1, max_size=15),
)
def test_generated_aggregates_agree_in_the_page(onglet, calculs, conditions):  # noqa: F811
    accord_calculs(onglet, calculs)
    accord_conditions(onglet, [(c, d, None) for c, d in conditions])
