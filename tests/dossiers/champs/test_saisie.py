"""texte (mask, length), texte_long, texte_riche, texte_formate."""

import pytest
from django import forms
from django.utils.safestring import SafeString

from dossiers.champs import get
from tests.dossiers.champs.outils import aller_retour, definition, propre, refus, sorties

TELEPHONE = {"masque": "99 99 99 99 99"}
CAF = {
    "regex": "[0-9]{7}",
    "message": "Saisissez les 7 chiffres de votre numéro (exemple : 1234567).",
}


def test_text_is_stripped_and_kept():
    assert propre("texte", "  Camille Martin ") == "Camille Martin"
    assert propre("texte", 42) == "42"
    assert aller_retour("texte", "Camille") == "Camille"
    assert sorties("texte", "Camille") == ("Camille", "Camille", "Camille", "Camille")


def test_text_length_limit_says_how_long():
    assert refus("texte", "x" * 256) == (
        "Ce texte est trop long : 255 caractères au plus (il en compte 256)."
    )
    assert refus("texte", "abcdef", options={"max_longueur": 5}) == (
        "Ce texte est trop long : 5 caractères au plus (il en compte 6)."
    )


def test_required_text_and_empty_text():
    assert refus("texte", "   ", obligatoire=True) == "Ce champ est obligatoire."
    assert propre("texte", "") == ""
    assert get("texte").est_vide("")
    assert sorties("texte", "") == ("", "", "", "")


@pytest.mark.parametrize("raw", [["a"], {"a": 1}, b"octets", object()])
def test_anything_but_one_value_is_refused(raw):
    assert refus("texte", raw) == "Cette valeur n’est pas valide : une seule réponse est attendue."


def test_null_character_is_refused():
    assert refus("texte", "a\x00b") == "Le caractère nul n’est pas autorisé."


def test_masked_text_is_fitted_and_explained():
    assert propre("texte", "0612345678", options=TELEPHONE) == "06 12 34 56 78"
    assert refus("texte", "06 12 34", options=TELEPHONE) == (
        "Saisissez la valeur au format « 99 99 99 99 99 », où 9 est un chiffre "
        "(exemple : 12 34 56 78 90)."
    )
    champ = get("texte").form_field(definition("texte", options=TELEPHONE, aide="Votre fixe."))
    assert champ.help_text == "Votre fixe. Exemple : 12 34 56 78 90"
    assert champ.widget.attrs["data-masque"] == "99 99 99 99 99"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"masque": "--"}, "Le masque doit contenir au moins un 9"),
        ({"max_longueur": 5000}, "Un texte court compte au plus 1 000 caractères"),
        ({"max_longueur": 0}, "supérieure ou égale à 1"),
    ],
)
def test_text_options_are_checked(options, message):
    formulaire = get("texte").Options(data=options)
    assert not formulaire.is_valid()
    assert message in str(formulaire.errors)


def test_long_text_keeps_lines():
    assert propre("texte_long", "Ligne 1\r\nLigne 2\rLigne 3\n") == "Ligne 1\nLigne 2\nLigne 3"
    assert refus("texte_long", "x" * 10_001).startswith("Ce texte est trop long : 10000")
    assert sorties("texte_long", "a\nb")[0] == "a\nb"
    champ = get("texte_long").form_field(definition("texte_long"))
    assert isinstance(champ.widget, forms.Textarea)


def test_rich_text_is_cleaned_and_displayed_as_safe_html():
    sale = (
        '<p onclick="x()">Bonjour <strong>toi</strong><script>alert(1)</script></p><p>a &amp; b</p>'
    )
    stocke = propre("texte_riche", sale)
    assert stocke == "<p>Bonjour <strong>toi</strong></p><p>a &amp; b</p>"
    affichage, export, export_cles, variable = sorties("texte_riche", stocke)
    assert affichage == stocke and isinstance(affichage, SafeString)
    assert export == export_cles == "Bonjour toi\na & b"
    assert variable == stocke
    # What was stored elsewhere than through clean() is cleaned again when shown.
    assert sorties("texte_riche", "<p>x</p><script>y</script>")[0] == "<p>x</p>"
    assert aller_retour("texte_riche", stocke) == stocke


def test_rich_text_without_any_text_is_empty():
    assert refus("texte_riche", "<p> </p><script>x</script>", obligatoire=True) == (
        "Ce champ est obligatoire."
    )
    assert propre("texte_riche", "<p></p>") == ""


def test_formatted_text_uses_the_admins_message():
    assert propre("texte_formate", " 1234567 ", options=CAF) == "1234567"
    assert refus("texte_formate", "123456", options=CAF) == CAF["message"]
    assert refus("texte_formate", "12345678", options=CAF) == CAF["message"]  # whole match
    assert sorties("texte_formate", "1234567", options=CAF)[0] == "1234567"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"regex": "[0-9", "message": "x"}, "Cette expression régulière n’est pas valide"),
        ({"regex": r"(a)\1", "message": "x"}, "références arrière"),  # RE2 has none
        ({"regex": r"(?=a)a", "message": "x"}, "références arrière"),
        ({"regex": "[0-9]+"}, "Ce champ est obligatoire"),
        ({"message": "x"}, "Ce champ est obligatoire"),
    ],
)
def test_formatted_text_options_are_checked(options, message):
    formulaire = get("texte_formate").Options(data=options)
    assert not formulaire.is_valid()
    assert message in str(formulaire.errors)


def test_formatted_text_cannot_hang_on_a_catastrophic_expression():
    """(a+)+$ backtracks exponentially in `re`; RE2 answers at once (a hang would time the
    test out rather than pass)."""
    options = {"regex": "(a+)+", "message": "Que des « a »."}
    assert refus("texte_formate", "a" * 200 + "b", options=options) == "Que des « a »."
    assert propre("texte_formate", "a" * 200, options=options) == "a" * 200


def test_a_regex_saved_before_re2_leaves_the_field_out_of_the_wizard():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        get("texte_formate").form_field(
            definition("texte_formate", options={"regex": r"(a)\1", "message": "x"})
        )


def test_options_store_as_json():
    formulaire = get("texte").Options(data={"masque": "AA-999", "max_longueur": ""})
    assert formulaire.is_valid()
    assert formulaire.en_json() == {"masque": "AA-999"}
