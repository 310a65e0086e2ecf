import pytest

from common.nombres import entier, entiers


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [("0", 0), ("42", 42), ("007", 7), ("999999999", 999_999_999), (12, 12)],
)
def test_entier_reads_ascii_digits(valeur, attendu):
    assert entier(valeur) == attendu


@pytest.mark.parametrize(
    "valeur",
    [
        "",
        None,
        "²",
        "³",
        "١٢",
        "-1",
        "+1",
        "1e3",
        "1.5",
        " 1",
        "1 ",
        "abc",
        "1234567890",
        "99999999999999999999",
    ],
)
def test_entier_rejects_anything_else(valeur):
    assert entier(valeur) is None


def test_entier_limits_the_number_of_digits():
    assert entier("123456", chiffres=6) == 123456
    assert entier("1234567", chiffres=6) is None


def test_entiers_keeps_the_well_formed_ids_once_in_their_order():
    assert entiers(["3", "²", "1", "3", "99999999999999999999", "", "2"]) == [3, 1, 2]
