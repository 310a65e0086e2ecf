"""calcul (F4): options, the server's value, its error, display and export, the widget."""

import json
from decimal import Decimal

import pytest

from dossiers.champs import get
from dossiers.formules import analyser, ast_en_json
from tests.dossiers.champs.outils import definition, propre, refus, sorties

PART = {"formule": "arrondi(montant_demande / budget_total * 100, 1)", "decimales": 1, "unite": "%"}
DIVISION_PAR_ZERO = "Le calcul divise par zéro : vérifiez les valeurs saisies."


def _calcul(**options):
    return get("calcul"), definition("calcul", options=options)


def test_type():
    calcul = get("calcul")
    assert (str(calcul.libelle), calcul.categorie, calcul.calcule) == ("Calcul", "Nombres", True)
    assert get("age").calcule and not get("montant").calcule


def test_options_valid():
    formulaire = get("calcul").Options(data=PART)
    assert formulaire.is_valid(), formulaire.errors
    assert formulaire.en_json() == PART


@pytest.mark.parametrize(
    ("options", "champ"),
    [
        ({}, "formule"),
        ({"formule": "a +"}, "formule"),
        ({"formule": "montant * (2"}, "formule"),
        ({"formule": "a + b", "decimales": 7}, "decimales"),
        ({"formule": "a + b", "decimales": -1}, "decimales"),
    ],
)
def test_options_refused(options, champ):
    formulaire = get("calcul").Options(data=options)
    assert not formulaire.is_valid()
    assert champ in formulaire.errors


def test_formula_error_is_french():
    formulaire = get("calcul").Options(data={"formule": "a +"})
    assert not formulaire.is_valid()
    message = formulaire.errors["formule"][0]
    assert "caractère" in message and message[0].isupper()


def test_default_decimals_are_two():
    calcul, champ = _calcul(formule="a / 3")
    assert calcul.calculer(champ, {"a": "10"}) == "3.33"


def test_calculer_with_good_data():
    calcul, champ = _calcul(**PART)
    donnees = {"budget_total": "12000.00", "montant_demande": "3000.00"}
    assert calcul.calculer(champ, donnees) == "25.0"
    assert calcul.message(champ, donnees) == ""
    assert calcul.calculer(champ, {"budget_total": "3", "montant_demande": "1"}) == "33.3"


def test_rounding_is_half_up():
    calcul, champ = _calcul(formule="a", decimales=1)
    assert calcul.calculer(champ, {"a": "0.25"}) == "0.3"
    assert calcul.calculer(champ, {"a": "-0.25"}) == "-0.3"
    assert calcul.calculer(champ, {"a": "-0.01"}) == "0.0"  # never "-0.0"


def test_choice_keys():
    calcul, champ = _calcul(formule='si(nature = "projet", 100, 0)', decimales=0)
    assert calcul.calculer(champ, {"nature": "projet"}) == "100"
    assert calcul.calculer(champ, {"nature": "fonctionnement"}) == "0"


def test_division_by_zero_gives_none_and_a_message():
    calcul, champ = _calcul(**PART)
    for donnees in ({}, {"budget_total": "0.00", "montant_demande": "10.00"}):
        assert calcul.calculer(champ, donnees) is None
        assert calcul.message(champ, donnees) == DIVISION_PAR_ZERO


def test_bad_value_gives_none_and_a_message():
    calcul, champ = _calcul(formule="a * 2")
    assert calcul.calculer(champ, {"a": "beaucoup"}) is None
    assert calcul.message(champ, {"a": "beaucoup"}) == "Le champ « a » ne contient pas un nombre."
    assert calcul.calculer(champ, {"a": ["1", "2"]}) is None


def test_display_and_export():
    assert sorties("calcul", "1234.5", options=PART) == (
        "1\u202f234,5\u00a0%",
        "1234.5",
        "1234.5",
        "1\u202f234,5\u00a0%",
    )
    assert sorties("calcul", "1234567.25", options={"formule": "a"})[:2] == (
        "1\u202f234\u202f567,25",
        "1234567.25",
    )
    assert sorties("calcul", None, options=PART) == ("", "", "", "")
    assert sorties("calcul", "illisible", options=PART)[0] == "illisible"


def test_clean_of_an_imported_value():
    assert propre("calcul", "12,345", options=PART) == "12.3"
    assert propre("calcul", "", options=PART) is None
    assert refus("calcul", "douze", options=PART) == "Saisissez un nombre (exemple : 12,5)."


def test_form_field_carries_the_formula():
    calcul, champ = _calcul(**PART)
    field = calcul.form_field(champ)
    assert field.disabled and not field.required
    attrs = field.widget.attrs
    assert json.loads(attrs["data-calcul"]) == ast_en_json(analyser(PART["formule"]))
    assert attrs["data-decimales"] == "1" and attrs["readonly"]
    html = field.widget.render("part", "25.0", attrs={"id": "id_part"})
    assert 'data-calcul-erreur="id_part"' in html and " hidden" in html
    field.widget.message = DIVISION_PAR_ZERO
    html = field.widget.render("part", None, attrs={"id": "id_part"})
    assert DIVISION_PAR_ZERO in html and " hidden" not in html
    assert Decimal(calcul.from_json("25.0")) == Decimal("25.0")
