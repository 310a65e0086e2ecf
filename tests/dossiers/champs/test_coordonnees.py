"""email and telephone."""

import pytest

from dossiers.champs import get
from tests.dossiers.champs.outils import aller_retour, definition, propre, refus, sorties

MESSAGE_EMAIL = "Saisissez une adresse électronique valide (exemple : nom@exemple.fr)."
MESSAGE_TELEPHONE = (
    "Ce numéro de téléphone n’est pas valide (exemple : 06 12 34 56 78 ou +33 6 12 34 56 78)."
)


def test_email_is_lower_cased():
    assert propre("email", " Camille.Martin@Exemple.FR ") == "camille.martin@exemple.fr"
    assert sorties("email", "c@exemple.fr") == ("c@exemple.fr",) * 4
    assert aller_retour("email", "c@exemple.fr") == "c@exemple.fr"


@pytest.mark.parametrize("raw", ["camille", "camille@", "@exemple.fr", "a b@exemple.fr", 12])
def test_email_refusals(raw):
    assert refus("email", raw) == MESSAGE_EMAIL


def test_email_too_long():
    assert refus("email", "a" * 250 + "@exemple.fr") == (
        "Cette adresse électronique est trop longue : 254 caractères au plus."
    )


@pytest.mark.parametrize(
    ("raw", "stocke", "affiche"),
    [
        ("06 12 34 56 78", "+33612345678", "06 12 34 56 78"),
        ("0612345678", "+33612345678", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "+33612345678", "06 12 34 56 78"),
        ("+32 470 12 34 56", "+32470123456", "+32 470 12 34 56"),
    ],
)
def test_phone_is_stored_in_e164_and_shown_french_style(raw, stocke, affiche):
    assert propre("telephone", raw) == stocke
    assert sorties("telephone", stocke) == (affiche, affiche, affiche, affiche)
    assert aller_retour("telephone", stocke) == stocke


@pytest.mark.parametrize("raw", ["06 12 34", "bonjour", "+33 6 12 34 56 78 90", "1" * 500])
def test_phone_refusals(raw):
    assert refus("telephone", raw) == MESSAGE_TELEPHONE


def test_phone_field_is_a_tel_input_showing_the_national_format():
    champ = get("telephone").form_field(definition("telephone"))
    assert champ.widget.input_type == "tel"
    assert champ.prepare_value("+33612345678") == "06 12 34 56 78"
