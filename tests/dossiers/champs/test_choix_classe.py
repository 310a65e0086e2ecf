"""choix_classe (F13): choices ranked by preference, one drop-down list per rank."""

import pytest
from django import forms

from dossiers.champs import get
from dossiers.formules import evaluer_condition, valider_condition
from tests.dossiers.champs.outils import definition, propre, refus, sorties

CHOIX = (("piscine", "Piscine"), ("mediatheque", "Médiathèque"), ("musee", "Musée"))


def _kw(**kwargs):
    return {"choix": CHOIX, **kwargs}


def test_ranked_keys_are_stored_first_choice_first():
    assert propre("choix_classe", ["musee", "piscine", "mediatheque"], **_kw()) == [
        "musee",
        "piscine",
        "mediatheque",
    ]
    # Empty ranks at the end are dropped when not all ranks are required.
    assert propre("choix_classe", ["musee", "", ""], **_kw()) == ["musee"]
    assert propre("choix_classe", ["", "", ""], **_kw()) == []
    assert propre("choix_classe", None, **_kw()) == []


def test_top_k_option():
    assert get("choix_classe").rangs(definition("choix_classe", **_kw(options={"rangs": 2}))) == 2
    assert get("choix_classe").rangs(definition("choix_classe", **_kw(options={"rangs": 9}))) == 3
    assert propre("choix_classe", ["musee", "piscine"], **_kw(options={"rangs": 2})) == [
        "musee",
        "piscine",
    ]
    assert refus(
        "choix_classe", ["musee", "piscine", "mediatheque"], **_kw(options={"rangs": 2})
    ) == ("Classez au plus 2 choix.")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            ["musee", "musee"],
            "« Musée » est classé deux fois (1er choix et 2e choix) : chaque choix ne peut "
            "occuper qu’un rang.",
        ),
        (
            ["", "musee"],
            "Remplissez les rangs dans l’ordre : le 1er choix est vide alors qu’un rang "
            "suivant est rempli.",
        ),
        (
            ["zoo"],
            "Ce choix ne fait pas partie de la liste : sélectionnez l’une des options proposées.",
        ),
        (
            [["musee"]],
            "Ce choix ne fait pas partie de la liste : sélectionnez l’une des options proposées.",
        ),
        ({"a": 1}, "Cette valeur n’est pas valide : une seule réponse est attendue."),
    ],
)
def test_bad_rankings_are_refused_in_french(raw, message):
    assert refus("choix_classe", raw, **_kw()) == message


def test_required_means_every_rank():
    assert refus("choix_classe", [], **_kw(obligatoire=True)) == (
        "Classez vos choix par ordre de préférence."
    )
    assert refus("choix_classe", ["musee"], **_kw(obligatoire=True, options={"rangs": 2})) == (
        "Classez 2 choix, du préféré au moins souhaité."
    )


def test_display_export_variable():
    assert sorties("choix_classe", ["musee", "piscine"], **_kw()) == (
        "1. Musée, 2. Piscine",
        "Musée | Piscine",
        "musee | piscine",
        ["Musée", "Piscine"],
    )
    assert sorties("choix_classe", [], **_kw()) == ("", "", "", [])
    # A key no longer among the choices is shown as it is.
    assert sorties("choix_classe", ["ancien"], **_kw())[0] == "1. ancien"


def test_one_select_per_rank_in_a_fieldset_and_typed_input_kept():
    champ = get("choix_classe").form_field(definition("choix_classe", libelle="Vos vœux", **_kw()))
    formulaire = type("Formulaire", (forms.Form,), {"voeux": champ})
    lie = formulaire(data={"voeux-rang-1": "musee", "voeux-rang-2": "musee"})
    assert not lie.is_valid()
    html = str(lie)
    assert '<fieldset class="fr-fieldset fr-fieldset--error"' in html
    assert "<legend" in html and "Vos vœux" in html
    assert html.count('<select class="fr-select"') == 3
    assert '<label class="fr-label" for="id_voeux">1er choix</label>' in html
    assert '<label class="fr-label" for="id_voeux-rang-2">2e choix</label>' in html
    assert 'data-champ="voeux" data-rang="3"' in html
    assert html.count('<option value="musee" selected>') == 2  # what was typed is kept
    assert "est classé deux fois" in html
    assert 'aria-describedby="id_voeux_helptext id_voeux-messages"' in html
    # Initial value (a stored ranking) preselects each rank.
    html = str(formulaire(initial={"voeux": ["piscine", "musee"]}))
    assert html.count(" selected>") == 2  # the third rank stays on "no choice"
    assert '<option value="piscine" selected>' in html


def test_conditions_contains_and_first_choice():
    data = {"voeux": ["musee", "piscine"]}
    premier = {"champ": "voeux", "op": "premier", "valeur": "musee"}
    assert evaluer_condition(premier, data)
    assert not evaluer_condition({**premier, "valeur": "piscine"}, data)
    assert not evaluer_condition(premier, {"voeux": []})
    assert evaluer_condition({"champ": "voeux", "op": "contient", "valeur": "piscine"}, data)
    champs = {"voeux": "choix_classe"}
    assert valider_condition(premier, champs) == []
    assert valider_condition({"champ": "voeux", "op": "parmi", "valeur": ["musee"]}, champs) == []
    assert valider_condition({"champ": "voeux", "op": "=", "valeur": "musee"}, champs) == [
        "L’opérateur « = » ne s’applique pas au champ « voeux » (choix classé)."
    ]
    assert valider_condition({**premier, "valeur": 3}, champs) == [
        "La valeur comparée au champ « voeux » doit être la clé d’un choix (un texte)."
    ]
