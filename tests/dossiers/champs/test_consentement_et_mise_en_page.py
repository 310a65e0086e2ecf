"""acceptation_cgu (a box that must be checked), note and piece_justificative (no value)."""

from django import forms

from dossiers.champs import get
from tests.dossiers.champs.outils import definition, propre, refus, sorties

CGU = {
    "texte": "J’accepte les conditions générales d’utilisation.",
    "lien": "https://exemple.fr/cgu",
}


def test_terms_must_be_accepted_even_when_the_view_does_not_require_it():
    message = "Cochez cette case pour accepter les conditions et continuer."
    assert refus("acceptation_cgu", "", options=CGU, obligatoire=False) == message
    assert refus("acceptation_cgu", "false", options=CGU) == message
    assert propre("acceptation_cgu", "on", options=CGU) is True
    assert sorties("acceptation_cgu", True, options=CGU) == ("Oui", "Oui", "oui", "Oui")
    assert get("acceptation_cgu").est_vide(None)
    assert get("acceptation_cgu").est_vide(False)


def test_terms_checkbox_shows_the_text_and_the_link():
    champ = get("acceptation_cgu").form_field(definition("acceptation_cgu", options=CGU))
    assert champ.label == CGU["texte"]
    assert isinstance(champ.widget, forms.CheckboxInput)
    assert 'href="https://exemple.fr/cgu"' in champ.help_text
    assert "Lire les conditions générales d’utilisation" in champ.help_text
    assert "(nouvelle fenêtre)" in champ.help_text
    sans_lien = get("acceptation_cgu").form_field(
        definition("acceptation_cgu", options={"texte": "J’accepte"})
    )
    assert sans_lien.help_text == ""


def test_terms_options_are_checked():
    assert not get("acceptation_cgu").Options(data={}).is_valid()
    formulaire = get("acceptation_cgu").Options(
        data={"texte": "J’accepte", "lien": "javascript:alert(1)"}
    )
    assert not formulaire.is_valid() and "lien" in formulaire.errors
    formulaire = get("acceptation_cgu").Options(
        data={"texte": "J’accepte", "lien": "exemple.fr/cgu"}
    )
    assert formulaire.is_valid()
    assert formulaire.en_json()["lien"] == "https://exemple.fr/cgu"


def test_note_shows_its_cleaned_text_and_stores_nothing():
    note = get("note")
    options = {"texte": "<p>Pièces à <strong>préparer</strong></p><script>alert(1)</script>"}
    champ = definition("note", options=options)
    assert note.rendu(champ) == "<p>Pièces à <strong>préparer</strong></p>"
    formulaire = note.Options(data=options)
    assert formulaire.is_valid()
    assert formulaire.en_json() == {"texte": "<p>Pièces à <strong>préparer</strong></p>"}
    assert note.categorie == "Mise en page" and not note.stocke_valeur
    assert note.form_field(champ) is None


def test_piece_justificative_declares_a_document_type():
    piece = get("piece_justificative")
    champ = definition("piece_justificative", options={"type_document": "justificatif-domicile"})
    assert piece.type_document(champ) == "justificatif-domicile"
    assert piece.form_field(champ) is None and piece.rendu(champ) == ""
    assert not piece.Options(data={"type_document": "pas un code !"}).is_valid()
