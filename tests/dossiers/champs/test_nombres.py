"""entier, decimal, montant: French input, exact storage, French display, plain export."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossiers.champs import get
from tests.dossiers.champs.outils import aller_retour, definition, propre, refus, sorties

FINE, INSECABLE = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("raw", "attendu"),
    [
        ("12", 12),
        (" 1 234 ", 1234),
        ("-5", -5),
        ("+7", 7),
        (42, 42),
        ("1\u202f000", 1000),
        ("3,", 3),
    ],
)
def test_integer_input(raw, attendu):
    stocke = propre("entier", raw)
    assert stocke == attendu and type(stocke) is int


@pytest.mark.parametrize("raw", ["12,5", "12.5", "douze", "1e3", "--1", True, 1.5])
def test_integer_refuses_what_is_not_a_whole_number(raw):
    assert refus("entier", raw) == "Saisissez un nombre entier, sans virgule (exemple : 12)."


def test_integer_bounds_and_size():
    options = {"min": 1, "max": 10}
    assert refus("entier", "0", options=options) == "Saisissez une valeur supérieure ou égale à 1."
    assert (
        refus("entier", "11", options=options) == "Saisissez une valeur inférieure ou égale à 10."
    )
    assert refus("entier", "1" * 16) == (
        "Ce nombre est trop grand : 15 chiffres au plus avant la virgule."
    )
    assert refus("entier", "9" * 5000) == "Saisissez un nombre entier, sans virgule (exemple : 12)."


def test_integer_outputs():
    assert sorties("entier", 1234) == (f"1{FINE}234", 1234, 1234, f"1{FINE}234")
    assert sorties("entier", 0)[0] == "0"  # 0 is an answer, not an empty field
    assert not get("entier").est_vide(0)
    assert aller_retour("entier", -12) == -12
    assert sorties("entier", None) == ("", "", "", "")


def test_bounds_in_options_are_checked():
    formulaire = get("entier").Options(data={"min": 10, "max": 1})
    assert not formulaire.is_valid()
    assert "Le minimum doit être inférieur ou égal au maximum." in str(formulaire.errors)


@pytest.mark.parametrize(
    ("raw", "options", "attendu"),
    [
        ("12,5", {}, "12.5"),
        ("12,50", {}, "12.5"),
        ("1 234,5", {"decimales": 2}, "1234.50"),
        ("0,125", {"decimales": 3}, "0.125"),
        ("-0", {"decimales": 2}, "0.00"),
        (".5", {}, "0.5"),
        ("100", {}, "100"),
        (Decimal("2.50"), {}, "2.5"),
        (3, {"decimales": 1}, "3.0"),
    ],
)
def test_decimal_input_is_stored_as_an_exact_string(raw, options, attendu):
    assert propre("decimal", raw, options=options) == attendu


def test_decimal_refusals_say_what_is_expected():
    assert refus("decimal", "douze") == (
        "Saisissez un nombre, avec une virgule pour les décimales (exemple : 12,5)."
    )
    assert refus("decimal", "1,5", options={"decimales": 0}) == (
        "Saisissez un nombre entier, sans virgule (exemple : 12)."
    )
    assert refus("decimal", "1,555", options={"decimales": 2}) == (
        "Saisissez un nombre avec au plus 2 chiffres après la virgule (exemple : 12,12)."
    )
    assert refus("decimal", "1,5", options={"min": "2"}) == (
        "Saisissez une valeur supérieure ou égale à 2."
    )
    assert refus("decimal", "1 000,5", options={"max": "999.9"}) == (
        "Saisissez une valeur inférieure ou égale à 999,9."
    )
    assert refus("decimal", float("inf")).startswith("Saisissez un nombre")


def test_decimal_outputs():
    options = {"decimales": 2, "unite": "m²"}
    assert sorties("decimal", "1234.50", options=options) == (
        f"1{FINE}234,50{INSECABLE}m²",
        "1234.50",
        "1234.50",
        f"1{FINE}234,50{INSECABLE}m²",
    )
    assert sorties("decimal", "-0.5")[0] == "-0,5"
    assert get("decimal").from_json("12.5") == Decimal("12.5")
    champ = get("decimal").form_field(definition("decimal", options=options))
    assert champ.help_text == "En m²."
    assert champ.prepare_value(Decimal("1234.50")) == "1234,50"


@pytest.mark.parametrize(
    ("raw", "attendu"),
    [
        ("1234,5", "1234.50"),
        ("1 234,50 €", "1234.50"),
        (f"1{FINE}234,50{INSECABLE}€", "1234.50"),
        ("-1 234,5", "-1234.50"),
        ("\u22121 234,5", "-1234.50"),  # the minus sign of word processors
        ("0", "0.00"),
        (19.99, "19.99"),
    ],
)
def test_amount_input(raw, attendu):
    assert propre("montant", raw) == attendu


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "12.500",
            "Saisissez un montant avec au plus 2 chiffres après la virgule (exemple : 1 234,50).",
        ),
        ("1.234,50", "Saisissez un montant en euros (exemple : 1 234,50)."),
        ("€", "Saisissez un montant en euros (exemple : 1 234,50)."),
        ("12 $", "Saisissez un montant en euros (exemple : 1 234,50)."),
        (float("nan"), "Saisissez un montant en euros (exemple : 1 234,50)."),
    ],
)
def test_amount_refusals(raw, message):
    assert refus("montant", raw) == message


def test_amount_bounds_are_shown_in_euros():
    assert refus("montant", "10", options={"min": "1000"}) == (
        f"Saisissez une valeur supérieure ou égale à 1{FINE}000{INSECABLE}€."
    )


def test_amount_display_and_export():
    assert sorties("montant", "-1234.50") == (
        f"-1{FINE}234,50{INSECABLE}€",
        "-1234.50",
        "-1234.50",
        f"-1{FINE}234,50{INSECABLE}€",
    )
    assert sorties("montant", "1234567.00")[0] == f"1{FINE}234{FINE}567,00{INSECABLE}€"
    assert sorties("montant", "5.00")[0] == f"5,00{INSECABLE}€"
    assert get("montant").from_json("1234.50") == Decimal("1234.50")


def test_unreadable_stored_value_is_shown_as_it_is():
    assert sorties("montant", "pas un nombre")[:2] == ("pas un nombre", "pas un nombre")


# --- properties -------------------------------------------------------------------------
MONTANTS = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(MONTANTS)
def test_amount_round_trips(montant):
    type_champ, champ = get("montant"), definition("montant")
    stocke = type_champ.clean(champ, str(montant))
    assert stocke == format(montant if montant else abs(montant), "f")
    assert type_champ.from_json(stocke) == montant
    assert type_champ.to_json(type_champ.from_json(stocke)) == stocke
    # What is shown, exported or typed the French way reads back to the same value.
    assert type_champ.clean(champ, type_champ.affichage(champ, stocke)) == stocke
    assert type_champ.clean(champ, type_champ.export(champ, stocke)) == stocke
    assert type_champ.clean(champ, str(montant).replace(".", ",")) == stocke
    assert " " not in type_champ.export(champ, stocke) and FINE not in type_champ.export(
        champ, stocke
    )


@given(
    st.decimals(
        min_value=Decimal("-99999999.999999"),
        max_value=Decimal("99999999.999999"),
        places=6,
        allow_nan=False,
        allow_infinity=False,
    ),
    st.one_of(st.none(), st.integers(min_value=6, max_value=6)),
)
def test_decimal_round_trips(nombre, decimales):
    options = {} if decimales is None else {"decimales": decimales}
    type_champ, champ = get("decimal"), definition("decimal", options=options)
    stocke = type_champ.clean(champ, format(nombre, "f"))
    assert type_champ.from_json(stocke) == nombre
    assert type_champ.to_json(type_champ.from_json(stocke)) == stocke
    assert type_champ.clean(champ, type_champ.affichage(champ, stocke)) == stocke
    assert type_champ.clean(champ, stocke) == stocke
    affiche = type_champ.form_field(champ).prepare_value(type_champ.from_json(stocke))
    assert type_champ.clean(champ, affiche) == stocke


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_integer_round_trips(nombre):
    type_champ, champ = get("entier"), definition("entier")
    assert type_champ.clean(champ, str(nombre)) == nombre
    assert type_champ.clean(champ, type_champ.affichage(champ, nombre)) == nombre
    # What the input shows back when the usager returns to the step is accepted as it is.
    champ_saisie = type_champ.form_field(champ)
    affiche = champ_saisie.prepare_value(type_champ.from_json(nombre))
    assert type_champ.clean(champ, affiche) == nombre


def test_stored_value_out_of_range_is_not_expanded():
    assert sorties("decimal", "1E+999999999")[0] == "1E+999999999"
    assert sorties("montant", "NaN")[0] == "NaN"
