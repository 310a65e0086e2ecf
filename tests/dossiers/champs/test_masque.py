"""The input mask language of `texte` (9 a digit, A a letter, * either, \\ a literal)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dossiers.champs.natifs.masque import CASES, Masque


@pytest.mark.parametrize(
    ("masque", "saisie", "attendu"),
    [
        ("99 99 99 99 99", "06 12 34 56 78", "06 12 34 56 78"),
        ("99 99 99 99 99", "0612345678", "06 12 34 56 78"),
        ("99 99 99 99 99", "06.12.34.56.78", "06 12 34 56 78"),
        ("99 99 99 99 99", " 06-12-34-56-78 ", "06 12 34 56 78"),
        ("AA-999-AA", "AB-123-CD", "AB-123-CD"),
        ("AA-999-AA", "ab 123 cd", "ab-123-cd"),
        ("+33 9 99 99 99 99", "612345678", "+33 6 12 34 56 78"),
        ("+33 9 99 99 99 99", "+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("***", "a1É", "a1É"),
        ("\\9\\A-9", "9A-5", "9A-5"),
        ("\\9\\A-9", "5", "9A-5"),
    ],
)
def test_value_is_fitted_to_the_mask(masque, saisie, attendu):
    assert Masque.lire(masque).appliquer(saisie) == attendu


@pytest.mark.parametrize(
    ("masque", "saisie"),
    [
        ("99 99 99 99 99", "06 12 34 56"),  # too short
        ("99 99 99 99 99", "06 12 34 56 78 9"),  # one digit too many
        ("99 99 99 99 99", "06 12 34 56 7A"),  # a letter for a digit
        ("AA-999", "A1-234"),
        ("99", "٣٣"),  # digits of another script are not 0-9
        ("99", ""),
    ],
)
def test_value_that_does_not_fit_is_refused(masque, saisie):
    assert Masque.lire(masque).appliquer(saisie) is None


@pytest.mark.parametrize(
    ("masque", "message"),
    [
        ("--", "Le masque doit contenir au moins un 9"),
        ("", "Le masque doit contenir au moins un 9"),
        ("\\9\\A", "Le masque doit contenir au moins un 9"),
        ("99\\", "Le masque se termine par « \\ »"),
    ],
)
def test_mask_itself_is_checked(masque, message):
    with pytest.raises(ValidationError) as erreur:
        Masque.lire(masque)
    assert message in erreur.value.messages[0]


def test_example_and_legend_explain_the_mask():
    masque = Masque.lire("AA-999-**")
    assert masque.exemple() == "AB-123-X1"
    assert masque.legende() == "9 est un chiffre, A une lettre et * une lettre ou un chiffre"
    assert Masque.lire("99 99").legende() == "9 est un chiffre"
    assert masque.appliquer(masque.exemple()) == masque.exemple()


# --- properties -------------------------------------------------------------------------
_LITTERAUX = st.sampled_from(list(" -./()+#:") + list("xyz"))
_ELEMENT = st.one_of(
    st.sampled_from(sorted(CASES)).map(lambda c: (True, c)),
    _LITTERAUX.map(lambda c: (False, c)),
)


@st.composite
def masque_et_valeur(draw, litteraux=_LITTERAUX):
    elements = draw(st.lists(_ELEMENT, min_size=1, max_size=12))
    if not any(case for case, _c in elements):
        elements.append((True, "9"))
    texte = "".join(c if case or c not in CASES else "\\" + c for case, c in elements)
    valeur = ""
    for case, c in elements:
        if not case:
            valeur += c
        elif c == "9":
            valeur += draw(st.sampled_from("0123456789"))
        elif c == "A":
            valeur += draw(st.sampled_from("abcXYZéÉç"))
        else:
            valeur += draw(st.sampled_from("0123456789abcXYZé"))
    return Masque.lire(texte), valeur


@given(masque_et_valeur())
def test_a_value_that_fits_is_kept_as_it_is(masque_valeur):
    masque, valeur = masque_valeur
    assert masque.appliquer(valeur) == valeur


@given(masque_et_valeur())
def test_the_places_alone_are_enough_when_literals_are_separators(masque_valeur):
    masque, valeur = masque_valeur
    if all(case or not c.isalnum() for case, c in masque.elements):
        places = "".join(c for c in valeur if c.isalnum())
        assert masque.appliquer(places) == valeur


@given(st.sampled_from(["99 99 99 99 99", "AA-999-AA", "+33 9 99", "***", "9\\9A"]), st.text())
def test_fitting_never_fails_and_is_idempotent(texte, saisie):
    masque = Masque.lire(texte)
    ajuste = masque.appliquer(saisie)
    if ajuste is not None:
        assert len(ajuste) == len(masque.elements)
        assert masque.appliquer(ajuste) == ajuste
        for (case, c), caractere in zip(masque.elements, ajuste, strict=True):
            assert CASES[c](caractere) if case else caractere == c
