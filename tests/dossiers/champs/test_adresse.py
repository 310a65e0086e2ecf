"""adresse: the parts typed or suggested, geolocated with the BAN adapter of the settings
(the local fake here), displayed on one line, exported in one column."""

import pytest
from django import forms

from dossiers.champs import get
from dossiers.formules import evaluer_condition
from dossiers.formules.conditions import nature_du_type, valider_condition
from tests.dossiers.champs.outils import aller_retour, definition, propre, refus, sorties

TANNEURS = {
    "numero_voie": "12 rue des Tanneurs",
    "complement": "Bâtiment B",
    "code_postal": "18240",
    "commune": "Belleville-sur-Loire",
}


def _liste(**parties):
    """What the wizard's widget gives: the eight parts, in order."""
    valeurs = {**dict.fromkeys(("code_insee", "lon", "lat", "ban_id"), ""), **parties}
    return [
        valeurs.get(cle, "")
        for cle in (
            "numero_voie",
            "complement",
            "code_postal",
            "commune",
            "code_insee",
            "lon",
            "lat",
            "ban_id",
        )
    ]


def test_typed_by_hand_is_geolocated_on_the_server():
    stocke = propre("adresse", _liste(**TANNEURS))
    assert stocke == {
        "label": "12 rue des Tanneurs, Bâtiment B, 18240 Belleville-sur-Loire",
        **TANNEURS,
        "code_insee": "18026",
        "lon": stocke["lon"],
        "lat": stocke["lat"],
        "ban_id": "18026_0001_00012",
    }
    assert isinstance(stocke["lon"], float) and 2 < stocke["lon"] < 3
    assert 47 < stocke["lat"] < 48


def test_a_suggestion_keeps_its_coordinates():
    choisie = _liste(
        numero_voie="3 Quai Lenoir",
        code_postal="45500",
        commune="Gien",
        code_insee="45155",
        lon="2.63",
        lat="47.69",
        ban_id="45155_0001_00003",
    )
    stocke = propre("adresse", choisie)
    assert (stocke["lon"], stocke["lat"], stocke["ban_id"]) == (2.63, 47.69, "45155_0001_00003")
    assert stocke["label"] == "3 Quai Lenoir, 45500 Gien"


def test_unknown_to_the_ban_is_kept_without_coordinates():
    stocke = propre(
        "adresse",
        {
            "numero_voie": "Lieu-dit les Grands Champs",
            "code_postal": "18240",
            "commune": "Belleville-sur-Loire",
        },
    )
    assert stocke["lon"] is None and stocke["lat"] is None and stocke["code_insee"] == ""
    assert stocke["label"] == "Lieu-dit les Grands Champs, 18240 Belleville-sur-Loire"


def test_geolocation_can_be_switched_off():
    stocke = propre("adresse", _liste(**TANNEURS), options={"sans_geolocalisation": True})
    assert stocke["lon"] is None and stocke["ban_id"] == ""


def test_tampered_hidden_parts_are_dropped_then_geocoded_again():
    stocke = propre("adresse", _liste(**TANNEURS, code_insee="<script>", lon="abc", lat="1e400"))
    assert stocke["code_insee"] == "18026" and stocke["ban_id"] == "18026_0001_00012"


@pytest.mark.parametrize(
    ("parties", "message"),
    [
        ({"code_postal": "18240", "commune": "Belleville"}, "Indiquez le numéro et la voie."),
        (
            {"numero_voie": "1 rue", "code_postal": "4519", "commune": "Belleville"},
            "Le code postal compte 5 chiffres (exemple : 18240).",
        ),
        ({"numero_voie": "1 rue", "code_postal": "18240"}, "Indiquez la commune."),
        (
            {"numero_voie": "1 rue" * 100, "code_postal": "18240", "commune": "B"},
            "« Numéro et voie » est trop long : 200 caractères au plus.",
        ),
    ],
)
def test_incomplete_or_malformed_parts_get_french_messages(parties, message):
    assert message in refus("adresse", _liste(**parties))


def test_required_and_foreign_shapes():
    assert propre("adresse", _liste()) is None
    assert propre("adresse", None) is None
    assert refus("adresse", _liste(), obligatoire=True) == "Ce champ est obligatoire."
    assert refus("adresse", "12 rue des Tanneurs") == (
        "Saisissez l’adresse dans les cases prévues (numéro et voie, code postal, commune)."
    )
    assert refus("adresse", {"numero_voie": 12}) == (
        "Cette adresse n’est pas valide : chaque partie doit être un texte."
    )
    assert refus("adresse", 12) == "Cette adresse n’est pas valide."


def test_stored_value_cleans_to_itself():
    stocke = propre("adresse", _liste(**TANNEURS))
    assert propre("adresse", stocke) == stocke
    assert aller_retour("adresse", stocke) == stocke


def test_display_export_and_template_variable():
    stocke = propre("adresse", _liste(**TANNEURS))
    affichage, export, export_cles, variable = sorties("adresse", stocke)
    ligne = "12 rue des Tanneurs, Bâtiment B, 18240 Belleville-sur-Loire"
    assert affichage == export == export_cles == ligne
    assert variable["commune"] == "Belleville-sur-Loire"
    assert variable["code_postal"] == "18240"
    assert str(variable) == ligne  # {{ adresse }} in a document template
    assert sorties("adresse", None) == ("", "", "", {})


def test_sub_labels_come_from_the_options():
    champ = get("adresse").form_field(
        definition(
            "adresse",
            libelle="Lieu de l’événement",
            options={"libelle_numero_voie": "Adresse du lieu de l’événement"},
        )
    )
    html = str(type("F", (forms.Form,), {"adresse": champ})())
    assert "<fieldset" in html and "Lieu de l’événement" in html
    assert "Adresse du lieu de l’événement" in html
    assert "Code postal" in html  # the other parts keep their default label
    assert 'name="adresse_numero_voie"' in html and 'name="adresse_lon"' in html
    assert 'data-adresse="/api/adresses/"' in html


def test_bound_form_keeps_what_was_typed():
    champ = get("adresse").form_field(definition("adresse", obligatoire=True))
    formulaire = type("F", (forms.Form,), {"adresse": champ})(
        data={"adresse_numero_voie": "12 rue des Tanneurs", "adresse_code_postal": "451"}
    )
    assert not formulaire.is_valid()
    html = str(formulaire)
    assert 'value="12 rue des Tanneurs"' in html and 'value="451"' in html
    assert "Le code postal compte 5 chiffres" in html


def test_conditions_see_an_address_as_a_structure():
    assert nature_du_type("adresse") == "structure"
    stocke = propre("adresse", _liste(**TANNEURS))
    assert evaluer_condition({"champ": "adresse", "op": "rempli"}, {"adresse": stocke})
    assert evaluer_condition(
        {"champ": "adresse.code_postal", "op": "=", "valeur": "18240"}, {"adresse": stocke}
    )
    assert valider_condition({"champ": "adresse", "op": "=", "valeur": "x"}, {"adresse": "adresse"})


def test_a_refused_or_previewed_address_gives_its_parts_without_geocoding(monkeypatch):
    """What conditions and calculs read of an address refused (a postcode of 3 digits)
    or of a step shown again: the parts as typed, shaped as stored, with their line;
    never sent to the BAN (geocoding happens when a valid address is cleaned)."""
    from common import adresses

    type_champ, champ = get("adresse"), definition("adresse")
    monkeypatch.setattr(adresses, "geocoder", lambda *a: pytest.fail("geocoded"))
    lue = type_champ.valeur_saisie(champ, _liste(numero_voie=" 12  rue X", code_postal="451"))
    assert lue == {
        "label": "12 rue X, 451",
        "numero_voie": "12 rue X",
        "complement": "",
        "code_postal": "451",
        "commune": "",
        "code_insee": "",
        "lon": None,
        "lat": None,
        "ban_id": "",
    }
    assert evaluer_condition(
        {"champ": "champ.code_postal", "op": "=", "valeur": "451"}, {"champ": lue}
    )
    assert type_champ.apercu(champ, _liste(**TANNEURS))["code_insee"] == ""
    assert type_champ.valeur_saisie(champ, _liste()) is None
    assert type_champ.valeur_saisie(champ, "pas une liste") is None
