"""F4 calculs: the parser, its French errors, the evaluator, text and JSON forms."""

import datetime
from decimal import Decimal

import pytest

from dossiers.formules import (
    ErreurCalcul,
    ErreurFormule,
    analyser,
    ast_depuis_json,
    ast_en_json,
    en_texte,
    evaluer,
    references,
    texte_decimal,
    valider_calcul,
)
from dossiers.formules.calculs import Binaire, Champ, Fonction, Nombre, Texte, Unaire

JOUR = datetime.date(2026, 3, 12)


def calcul(formule, **data):
    return evaluer(analyser(formule), data, aujourdhui=JOUR)


def test_the_example_of_the_brief():
    formule = 'montant_demande - (nb_enfants * 50) + si(situation = "marie", 100, 0)'
    data = {"montant_demande": "1000.50", "nb_enfants": 2, "situation": "marie"}
    assert evaluer(analyser(formule), data) == Decimal("1000.50")
    assert evaluer(analyser(formule), {**data, "situation": "pacse"}) == Decimal("900.50")
    assert calcul("arrondi(total / 3, 2)", total="100") == Decimal("33.33")


@pytest.mark.parametrize(
    "formule, attendu",
    [
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("10 - 4 - 3", "3"),
        ("100 / 10 / 5", "2"),
        ("2 * 3 / 4", "1.5"),
        ("-2 * 3", "-6"),
        ("--2", "2"),
        ("- (1 + 2)", "-3"),
        ("1 - -1", "2"),
        ("0.1 + 0.2", "0.3"),
        ("1.10 * 3", "3.3"),
        ("1 / 3", "0.3333333333333333333333333333"),
        ("2 / 3", "0.6666666666666666666666666667"),
        ("10 / 4", "2.5"),
        ("123456789012345678901234567890 * 10", "1234567890123456789012345678900"),
        ("99999999999999999999.99 + 0.01", "100000000000000000000"),
        # comparisons give 1 or 0 in arithmetic
        ("1 < 2", "1"),
        ("2 ≤ 2", "1"),
        ("3 > 4", "0"),
        ("3 ≥ 4", "0"),
        ("3 = 3.0", "1"),
        ("3 ≠ 3", "0"),
        ("3 != 4", "1"),
        ("3 <> 3", "0"),
        ("3 <= 2", "0"),
        ("3 >= 2", "1"),
        ("3 == 3", "1"),
        ('"abc" < "abd"', "1"),
        ('"2024-01-31" < "2024-02-01"', "1"),
        # et / ou / non and their precedence: non > et > ou, comparisons bind tighter
        ("1 < 2 et 2 < 3", "1"),
        ("1 < 2 et 3 < 2", "0"),
        ("1 > 2 ou 2 < 3", "1"),
        ("non 1 > 2", "1"),
        ("non 1 < 2 ou 1 < 2", "1"),
        ("non (1 < 2 ou 1 < 2)", "0"),
        ("1 ou 0 et 0", "1"),
        ("(1 ou 0) et 0", "0"),
        # functions
        ("si(1 < 2, 10, 20)", "10"),
        ("si(0, 10, 20)", "20"),
        ('si("", 10, 20)', "20"),
        ('si("x", 10, 20)', "10"),
        ("si(1, 5, 1 / 0)", "5"),  # only the chosen branch is computed
        ("min(3, 1, 2)", "1"),
        ("max(3, 1, 2)", "3"),
        ("max(-3, -1)", "-1"),
        ("abs(-2.5)", "2.5"),
        ("arrondi(2.345, 2)", "2.35"),
        ("arrondi(2.5)", "3"),
        ("arrondi(-2.5)", "-3"),
        ("arrondi(-2.345, 2)", "-2.35"),
        ("arrondi(2.344999, 2)", "2.34"),
        ("arrondi(1 / 3, 10)", "0.3333333333"),
        ("arrondi(7, 2)", "7"),
        ("somme(1, 2, 3)", "6"),
        ("nb(1, 2, 3)", "3"),
        ('contient("bonjour", "jour")', "1"),
    ],
)
def test_arithmetic_precedence_and_functions(formule, attendu):
    assert texte_decimal(calcul(formule)) == attendu


def test_rounding_keeps_the_requested_decimals():
    assert str(calcul("arrondi(7, 2)")) == "7.00"
    assert str(calcul("arrondi(10 / 4, 1)")) == "2.5"
    assert str(calcul("arrondi(0.125, 2)")) == "0.13"  # half up, not half even


def test_fields_missing_empty_and_stored_as_strings():
    assert calcul("a + 1") == 1  # missing: 0
    assert calcul("a + 1", a="") == 1
    assert calcul("a + 1", a=None) == 1
    assert calcul("a * 2", a="1234.50") == Decimal("2469")
    assert calcul("a * 2", a=1.5) == 3
    assert calcul("a + b", a=True, b=False) == 1  # a checkbox counts 1 or 0
    assert calcul("a = 0", a="") == 0  # in comparisons empty is empty, not zero
    assert calcul('a = ""', a="") == 1
    assert calcul("a > 0", a=None) == 0
    assert calcul('situation = "marie"') == 0
    assert calcul('situation ≠ "marie"') == 1


def test_lists_blocks_and_their_functions():
    data = {
        "depenses": ["100.50", "20", 3],
        "enfants": [{"age": 4}, {"age": 12}, {"age": None}],
        "aides": ["apl", "rsa"],
        "vide": [],
    }
    assert evaluer(analyser("somme(depenses)"), data) == Decimal("123.50")
    assert evaluer(analyser("somme(depenses, 1) / nb(depenses)"), data) == Decimal("41.5")
    assert evaluer(analyser("max(enfants.age)"), data) == 12
    assert evaluer(analyser("min(enfants.age)"), data) == 0  # an empty cell counts 0
    assert evaluer(analyser("nb(enfants.age)"), data) == 2  # nb counts filled values
    assert evaluer(analyser("nb(enfants)"), data) == 3
    assert evaluer(analyser('si(contient(aides, "rsa"), 50, 0)'), data) == 50
    assert evaluer(analyser("somme(vide) + max(vide) + nb(vide)"), data) == 0
    assert evaluer(analyser("somme(absent)"), data) == 0


def test_age():
    assert calcul("age(naissance)", naissance="2000-03-12") == 26
    assert calcul("age(naissance)", naissance="2000-03-13") == 25
    assert calcul("age(naissance)", naissance="2008-02-29") == 18
    assert calcul("age(naissance)", naissance="") == 0
    assert calcul('age("1990-06-01T10:00:00")') == 35
    assert evaluer(analyser("age(n)"), {"n": "2000-01-01"}) >= 26  # today, by default


@pytest.mark.parametrize(
    "formule, data, message",
    [
        ("a / b", {"a": 1, "b": 0}, "Le calcul divise par zéro : vérifiez les valeurs saisies."),
        ("a / b", {"a": 1}, "Le calcul divise par zéro : vérifiez les valeurs saisies."),
        ("a / (b - 2)", {"b": "2.00"}, "Le calcul divise par zéro : vérifiez les valeurs saisies."),
        (
            "situation + 1",
            {"situation": "marie"},
            "Le champ « situation » ne contient pas un nombre.",
        ),
        ("situation", {"situation": "marie"}, "Le champ « situation » ne contient pas un nombre."),
        (
            "depenses * 2",
            {"depenses": ["1", "2"]},
            "Le champ « depenses » contient plusieurs valeurs : utilisez somme(depenses) ou "
            "nb(depenses).",
        ),
        ("somme(x)", {"x": ["1", "deux"]}, "Le champ « x » ne contient pas un nombre."),
        ('"abc" * 2', {}, "Le texte « abc » n’est pas un nombre."),
        ('si(1, "abc", 0) + 1', {}, "Le calcul utilise une valeur qui n’est pas un nombre."),
        ("a + 1", {"a": {"rue": "x"}}, "Le champ « a » ne contient pas un nombre."),
        (
            "arrondi(1, 11)",
            {},
            "Le nombre de décimales d’arrondi() doit être un entier de 0 à 10.",
        ),
        (
            "arrondi(1, 1.5)",
            {},
            "Le nombre de décimales d’arrondi() doit être un entier de 0 à 10.",
        ),
        ("arrondi(1, -1)", {}, "Le nombre de décimales d’arrondi() doit être un entier de 0 à 10."),
        ("age(n)", {"n": "2023-02-29"}, "Le champ « n » ne contient pas une date valide."),
        ("age(n)", {"n": "12/03/2000"}, "Le champ « n » ne contient pas une date valide."),
        ("age(n)", {"n": 2000}, "Le champ « n » ne contient pas une date valide."),
        ('age("0000-01-01")', {}, "age() attend une date au format AAAA-MM-JJ."),
    ],
)
def test_calculation_errors(formule, data, message):
    with pytest.raises(ErreurCalcul) as erreur:
        evaluer(analyser(formule), data, aujourdhui=JOUR)
    assert erreur.value.message == message == str(erreur.value)


@pytest.mark.parametrize(
    "formule, message, position",
    [
        ("a + @", "Caractère inattendu « @ » en position 5.", 5),
        ("montant_demande - 12 # 3", "Caractère inattendu « # » en position 22.", 22),
        ("1,5 + a", "« , » inattendu en position 2.", 2),
        ("", "La formule est vide.", None),
        ("   ", "La formule est vide.", None),
        ("a +", "La formule est incomplète : une valeur est attendue en position 4.", 4),
        ("a * (b + c", "La parenthèse ouverte en position 5 n’est jamais fermée.", 5),
        ("(a b)", "« b » inattendu en position 4 : « ) » est attendue.", 4),
        ("a b", "« b » inattendu en position 3.", 3),
        ("a )", "« ) » inattendu en position 3.", 3),
        ("* 2", "« * » inattendu en position 1 : une valeur est attendue.", 1),
        ("+ 2", "« + » inattendu en position 1 : une valeur est attendue.", 1),
        ("a et", "La formule est incomplète : une valeur est attendue en position 5.", 5),
        ("non", "La formule est incomplète : une valeur est attendue en position 4.", 4),
        (
            "12.",
            "Nombre mal écrit « 12. » en position 1 : des chiffres sont attendus après le point.",
            1,
        ),
        (
            "1.a",
            "Nombre mal écrit « 1. » en position 1 : des chiffres sont attendus après le point.",
            1,
        ),
        ('"abc', "Texte non terminé : le guillemet ouvert en position 1 n’est jamais fermé.", 1),
        (
            "x = 'abc",
            "Texte non terminé : le guillemet ouvert en position 5 n’est jamais fermé.",
            5,
        ),
        (
            "a < b < c",
            "Deux comparaisons se suivent en position 7 : ajoutez des parenthèses ou utilisez « et ».",
            7,
        ),
        (
            "2 * racine(4)",
            "Fonction inconnue « racine » en position 5 (fonctions connues : si, min, max, somme, "
            "nb, arrondi, abs, age, contient, nombre, moyenne).",
            5,
        ),
        ("si(a, 1)", "La fonction « si » (position 1) attend 3 arguments, pas 2.", 1),
        ("abs(1, 2)", "La fonction « abs » (position 1) attend 1 argument, pas 2.", 1),
        (
            "arrondi(1, 2, 3)",
            "La fonction « arrondi » (position 1) attend 1 ou 2 arguments, pas 3.",
            1,
        ),
        ("max()", "« ) » inattendu en position 5 : une valeur est attendue.", 5),
        ("a.", "Caractère inattendu « . » en position 2.", 2),
        ("montant €", "Caractère inattendu « € » en position 9.", 9),
        ("âge + 1", "Caractère inattendu « â » en position 1.", 1),
    ],
)
def test_syntax_errors_in_french_with_their_position(formule, message, position):
    with pytest.raises(ErreurFormule) as erreur:
        analyser(formule)
    assert erreur.value.message == message
    assert erreur.value.position == position


def test_limits_raise_formula_errors_not_recursion_errors():
    with pytest.raises(ErreurFormule, match="trop imbriquée en position 41"):
        analyser("(" * 1000 + "1" + ")" * 1000)
    with pytest.raises(ErreurFormule, match="trop longue ou trop imbriquée"):
        analyser(" + ".join(["a"] * 300))
    with pytest.raises(ErreurFormule, match="trop longue ou trop imbriquée"):
        analyser("-" * 400 + "1")
    with pytest.raises(ErreurFormule, match="5000 caractères au plus"):
        analyser("1" * 5001)
    assert calcul(" + ".join(["1"] * 100)) == 100
    assert calcul("somme(" + ", ".join(["1"] * 1000) + ")") == 1000


def test_tree_shapes():
    assert analyser("a - b - c") == Binaire("-", Binaire("-", Champ("a"), Champ("b")), Champ("c"))
    assert analyser("a + b * c") == Binaire("+", Champ("a"), Binaire("*", Champ("b"), Champ("c")))
    assert analyser("-a * b") == Binaire("*", Unaire("-", Champ("a")), Champ("b"))
    assert analyser("non a = b") == Unaire("non", Binaire("=", Champ("a"), Champ("b")))
    assert analyser("a != 'x'") == Binaire("≠", Champ("a"), Texte("x"))
    assert analyser('"a\\"b\\\\c"') == Texte('a"b\\c')
    assert analyser("enfants.age") == Champ("enfants.age")
    assert analyser("max") == Champ("max")  # a function name without "(" is a field
    assert analyser("max (a)") == Fonction("max", (Champ("a"),))
    assert analyser("non_eligible et non x") == Binaire(
        "et", Champ("non_eligible"), Unaire("non", Champ("x"))
    )
    assert analyser("1.50") == Nombre(Decimal("1.50"))


def test_references():
    ast = analyser('montant - somme(enfants.age) + si(situation = "marie", max(a, b), 0)')
    assert references(ast) == {"montant", "enfants", "situation", "a", "b"}
    assert references(analyser("1 + 2")) == set()


def test_validation_for_the_builder():
    champs = {"montant": "montant", "situation": "radio"}
    assert valider_calcul("montant * 2", champs) == []
    assert valider_calcul("montant * revenu + x", champs) == [
        "Le calcul utilise le champ « revenu », qui n’existe pas dans le modèle.",
        "Le calcul utilise le champ « x », qui n’existe pas dans le modèle.",
    ]
    assert valider_calcul("montant *", champs) == [
        "La formule est incomplète : une valeur est attendue en position 10."
    ]


@pytest.mark.parametrize(
    "formule, texte",
    [
        ("(a + b) * c", "(a + b) * c"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("a / (b * c)", "a / (b * c)"),
        ("-(a + b)", "-(a + b)"),
        ("(a < b) = (c < d)", "(a < b) = (c < d)"),
        ("non (a et b)", "non (a et b)"),
        ("(non a) et b", "non a et b"),
        ("a = (non b)", "a = (non b)"),
        ("-(non a)", "-(non a)"),
        ("si(a>=1,'x',\"y\")", 'si(a ≥ 1, "x", "y")'),
        ("0.50 + 000", "0.50 + 0"),
    ],
)
def test_en_texte_writes_back_only_the_needed_parentheses(formule, texte):
    assert en_texte(analyser(formule)) == texte
    assert analyser(texte) == analyser(formule)


def test_json_of_the_tree():
    ast = analyser('-a + si(b ≠ "x", 1.50, non c)')
    assert ast_en_json(ast) == {
        "type": "binaire",
        "op": "+",
        "gauche": {"type": "unaire", "op": "-", "terme": {"type": "champ", "nom": "a"}},
        "droite": {
            "type": "fonction",
            "nom": "si",
            "args": [
                {
                    "type": "binaire",
                    "op": "≠",
                    "gauche": {"type": "champ", "nom": "b"},
                    "droite": {"type": "texte", "valeur": "x"},
                },
                {"type": "nombre", "valeur": "1.50"},
                {"type": "unaire", "op": "non", "terme": {"type": "champ", "nom": "c"}},
            ],
        },
    }
    assert ast_depuis_json(ast_en_json(ast)) == ast


@pytest.mark.parametrize(
    "donnees",
    [
        None,
        {"type": "nombre", "valeur": "1e5"},
        {"type": "nombre", "valeur": 3},
        {"type": "champ", "nom": ""},
        {"type": "binaire", "op": "^", "gauche": {}, "droite": {}},
        {"type": "fonction", "nom": "si", "args": []},
        {"type": "fonction", "nom": "eval", "args": []},
        {"type": "unaire", "op": "+", "terme": {"type": "nombre", "valeur": "1"}},
    ],
)
def test_json_that_is_not_a_tree(donnees):
    with pytest.raises(ErreurFormule, match="L’arbre de calcul enregistré est invalide."):
        ast_depuis_json(donnees)


def test_no_eval_anywhere():
    import re
    from pathlib import Path

    racine = Path(__file__).resolve().parents[3]
    interdit = re.compile(r"(?<![\w.])(eval|exec|compile|Function)\s*\(|new\s+Function")
    sources = [*(racine / "dossiers" / "formules").glob("*.py"), racine / "static/js/formules.js"]
    for chemin in sources:
        assert not interdit.search(chemin.read_text()), chemin
