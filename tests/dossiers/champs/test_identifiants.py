"""nir, siret, siren, rna, iban, bic: typed with spaces, stored compact, shown grouped."""

import pytest

from tests.dossiers.champs.outils import aller_retour, propre, refus, sorties


@pytest.mark.parametrize(
    ("code", "raw", "stocke", "affiche"),
    [
        ("nir", "2 95 10 99 126 111 93", "295109912611193", "2 95 10 99 126 111 93"),
        ("nir", "1 80 05 2a 123 456 84", "180052A12345684", "1 80 05 2A 123 456 84"),
        ("siret", "732 829 320 00074", "73282932000074", "732 829 320 00074"),
        ("siret", "732.829.320.00074", "73282932000074", "732 829 320 00074"),
        ("siren", "732 829 320", "732829320", "732 829 320"),
        ("rna", " w751234567 ", "W751234567", "W751234567"),
        (
            "iban",
            "fr76 3000 6000 0112 3456 7890 189",
            "FR7630006000011234567890189",
            "FR76 3000 6000 0112 3456 7890 189",
        ),
        (
            "iban",
            "DE89 3704 0044 0532 0130 00",
            "DE89370400440532013000",
            "DE89 3704 0044 0532 0130 00",
        ),
        ("bic", "bdfe fr pp cct", "BDFEFRPPCCT", "BDFEFRPPCCT"),
        ("bic", "BNPAFRPP", "BNPAFRPP", "BNPAFRPP"),
    ],
)
def test_identifier_is_stored_compact_and_shown_grouped(code, raw, stocke, affiche):
    assert propre(code, raw) == stocke
    assert sorties(code, stocke) == (affiche, stocke, stocke, affiche)
    assert aller_retour(code, stocke) == stocke
    assert propre(code, affiche) == stocke


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        (
            "nir",
            "2 95 10 99 126 111 94",
            "Ce numéro de sécurité sociale n’est pas valide : saisissez ses 13 chiffres suivis de la clé à 2 chiffres (exemple : 2 95 10 99 126 111 93).",
        ),
        ("nir", "2 95 10 99 126 111", "Ce numéro de sécurité sociale n’est pas valide"),
        (
            "siret",
            "732 829 320 00075",
            "Ce numéro SIRET n’est pas valide : il compte 14 chiffres (exemple : 732 829 320 00074).",
        ),
        # The common validator reads digits only; a letter in the middle is still refused.
        ("siret", "73282932000074A", "Ce numéro SIRET n’est pas valide"),
        (
            "siren",
            "732 829 321",
            "Ce numéro SIREN n’est pas valide : il compte 9 chiffres (exemple : 732 829 320).",
        ),
        ("siren", "732a829320", "Ce numéro SIREN n’est pas valide"),
        (
            "rna",
            "W12345",
            "Ce numéro RNA n’est pas valide : il commence par W suivi de 9 caractères (exemple : W751234567).",
        ),
        (
            "iban",
            "FR76 3000 6000 0112 3456 7890 188",
            "Cet IBAN n’est pas valide : vérifiez sa saisie (exemple : FR76 3000 6000 0112 3456 7890 189).",
        ),
        ("iban", "FR76-3000-ÉÉÉ", "Cet IBAN n’est pas valide"),
        (
            "bic",
            "BDF",
            "Ce BIC n’est pas valide : il compte 8 ou 11 caractères (exemple : BDFEFRPPCCT).",
        ),
    ],
)
def test_identifier_refusals_give_an_example(code, raw, message):
    assert refus(code, raw).startswith(message)


def test_identifier_required_and_empty():
    assert refus("siret", "", obligatoire=True) == "Ce champ est obligatoire."
    assert propre("siret", "  ") == ""
    assert sorties("siret", "") == ("", "", "", "")
