"""oui_non, case_a_cocher, choix_unique_radio, choix_unique_liste, choix_multiple, civilite."""

import pytest
from django import forms

from dossiers.champs import get
from tests.dossiers.champs.outils import aller_retour, definition, propre, refus, sorties

CHOIX = (("velo", "Vélo"), ("bus", "Bus"), ("pied", "À pied"))
INCONNU = "Ce choix ne fait pas partie de la liste : sélectionnez l’une des options proposées."


@pytest.mark.parametrize(
    ("raw", "attendu"),
    [("oui", True), ("non", False), ("Oui", True), (True, True), (False, False), ("", None)],
)
def test_yes_no_input(raw, attendu):
    assert propre("oui_non", raw) is attendu


def test_yes_no_no_is_an_answer():
    assert propre("oui_non", "non", obligatoire=True) is False
    assert refus("oui_non", "", obligatoire=True) == "Répondez par oui ou par non."
    assert refus("oui_non", "peut-être") == "Répondez par oui ou par non."
    assert sorties("oui_non", True) == ("Oui", "Oui", "oui", "Oui")
    assert sorties("oui_non", False) == ("Non", "Non", "non", "Non")
    assert not get("oui_non").est_vide(False)
    assert aller_retour("oui_non", False) is False
    champ = get("oui_non").form_field(definition("oui_non"))
    assert isinstance(champ.widget, forms.RadioSelect)
    assert champ.prepare_value(True) == "oui"


def test_checkbox():
    assert propre("case_a_cocher", "on") is True
    assert propre("case_a_cocher", "") is False
    assert propre("case_a_cocher", "false") is False
    assert refus("case_a_cocher", "", obligatoire=True) == "Cochez cette case pour continuer."
    assert sorties("case_a_cocher", False) == ("Non", "Non", "non", "Non")
    assert sorties("case_a_cocher", True)[0] == "Oui"
    assert aller_retour("case_a_cocher", True) is True


@pytest.mark.parametrize("code", ["choix_unique_radio", "choix_unique_liste"])
def test_single_choice(code):
    assert propre(code, "bus", choix=CHOIX) == "bus"
    assert refus(code, "avion", choix=CHOIX) == INCONNU
    assert refus(code, ["bus"], choix=CHOIX) == (
        "Cette valeur n’est pas valide : une seule réponse est attendue."
    )
    assert refus(code, "", choix=CHOIX, obligatoire=True) == "Sélectionnez une réponse."
    assert propre(code, "", choix=CHOIX) is None
    assert sorties(code, "pied", choix=CHOIX) == ("À pied", "À pied", "pied", "À pied")
    # A key no longer among the choices (an older version of the form) is shown as it is.
    assert sorties(code, "train", choix=CHOIX)[0] == "train"
    assert aller_retour(code, "bus") == "bus"


def test_drop_down_list_starts_with_an_empty_option():
    champ = get("choix_unique_liste").form_field(definition("choix_unique_liste", choix=CHOIX))
    assert isinstance(champ.widget, forms.Select)
    assert list(champ.choices)[0] == ("", "Sélectionner une option")


def test_multiple_choice_keeps_keys_in_the_order_of_the_choices():
    assert propre("choix_multiple", ["pied", "velo", "pied"], choix=CHOIX) == ["velo", "pied"]
    assert propre("choix_multiple", "bus", choix=CHOIX) == ["bus"]
    assert propre("choix_multiple", [], choix=CHOIX) == []
    assert refus("choix_multiple", ["velo", "avion"], choix=CHOIX) == INCONNU
    assert refus("choix_multiple", [["velo"]], choix=CHOIX) == INCONNU
    assert refus("choix_multiple", {"velo": True}, choix=CHOIX) == (
        "Cette valeur n’est pas valide : une seule réponse est attendue."
    )
    assert (
        refus("choix_multiple", [], choix=CHOIX, obligatoire=True) == "Cochez au moins une option."
    )


def test_multiple_choice_counts():
    options = {"min_choix": 2, "max_choix": 2}
    assert refus("choix_multiple", ["bus"], choix=CHOIX, options=options) == (
        "Cochez au moins 2 options."
    )
    assert refus("choix_multiple", ["bus", "velo", "pied"], choix=CHOIX, options=options) == (
        "Cochez au plus 2 options."
    )
    assert not get("choix_multiple").Options(data={"min_choix": 3, "max_choix": 1}).is_valid()


def test_multiple_choice_outputs():
    stocke = ["velo", "pied"]
    assert sorties("choix_multiple", stocke, choix=CHOIX) == (
        "Vélo, À pied",
        "Vélo | À pied",
        "velo | pied",
        "Vélo, À pied",
    )
    assert get("choix_multiple").est_vide([])
    assert sorties("choix_multiple", [], choix=CHOIX) == ("", "", "", "")
    assert aller_retour("choix_multiple", stocke) == stocke
    champ = get("choix_multiple").form_field(definition("choix_multiple", choix=CHOIX))
    assert isinstance(champ.widget, forms.CheckboxSelectMultiple)


def test_civilite_has_its_own_choices():
    assert propre("civilite", "mme") == "mme"
    assert refus("civilite", "mx") == INCONNU
    assert sorties("civilite", "m") == ("Monsieur", "Monsieur", "m", "Monsieur")
