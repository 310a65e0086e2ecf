"""tableau (F4): labelled rows × typed columns, cells cleaned by their column's type,
calcul columns and totals computed on the server, one export column per cell."""

import json

import pytest
from django import forms
from hypothesis import HealthCheck, settings
from hypothesis import given as etant_donne
from hypothesis import strategies as st

from dossiers.champs import get
from dossiers.formules import analyser, evaluer
from tests.dossiers.champs.outils import definition, propre, refus
from tests.dossiers.formules.test_accord_navigateur import (  # noqa: F401  (onglet: a fixture)
    accord_calculs,
    accord_conditions,
    onglet,
)

BUDGET = {
    "lignes": [["subventions", "Subventions"], ["ventes", "Ventes"]],
    "colonnes": [
        {
            "nom": "quantite",
            "libelle": "Quantité",
            "type": "entier",
            "obligatoire": True,
            "total": True,
        },
        {"nom": "prix", "libelle": "Prix unitaire", "type": "montant"},
        {
            "nom": "montant",
            "libelle": "Montant",
            "type": "calcul",
            "formule": "quantite * prix",
            "total": True,
        },
        {
            "nom": "origine",
            "libelle": "Origine",
            "type": "liste",
            "choix": [["etat", "État"], ["commune", "Commune"]],
        },
        {"nom": "acquis", "libelle": "Acquis", "type": "oui_non"},
        {"nom": "le", "libelle": "Date", "type": "date"},
        {"nom": "note", "libelle": "Note", "type": "texte"},
    ],
}
SAISIE = {
    "subventions": {
        "quantite": "2",
        "prix": "1 000,50",
        "origine": "etat",
        "acquis": "oui",
        "le": "12/03/2026",
    },
    "ventes": {"quantite": "3", "prix": "10"},
}
STOCKE = {
    "subventions": {
        "quantite": 2,
        "prix": "1000.50",
        "montant": "2001.00",
        "origine": "etat",
        "acquis": True,
        "le": "2026-03-12",
        "note": "",
    },
    "ventes": {
        "quantite": 3,
        "prix": "10.00",
        "montant": "30.00",
        "origine": None,
        "acquis": None,
        "le": None,
        "note": "",
    },
}


def _kw(**kwargs):
    return {"nom": "budget", "libelle": "Budget", "options": BUDGET, **kwargs}


def _tableau(**kwargs):
    return get("tableau"), definition("tableau", **_kw(**kwargs))


def test_cells_are_cleaned_by_their_column_type_and_calculs_computed():
    assert propre("tableau", SAISIE, **_kw()) == STOCKE
    # A stored value cleans to itself (imports, corrections).
    assert propre("tableau", STOCKE, **_kw()) == STOCKE
    # The calcul cell is the server's, never what was sent.
    triche = {**SAISIE, "ventes": {**SAISIE["ventes"], "montant": "999999"}}
    assert propre("tableau", triche, **_kw())["ventes"]["montant"] == "30.00"


def test_empty_table():
    assert propre("tableau", {}, **_kw()) is None
    assert propre("tableau", None, **_kw()) is None
    assert propre("tableau", {"ventes": {"quantite": "  "}}, **_kw()) is None
    assert refus("tableau", {}, **_kw(obligatoire=True)) == "Ce champ est obligatoire."
    assert get("tableau").est_vide(None)
    assert get("tableau").est_vide({"ventes": {"quantite": None}})
    assert not get("tableau").est_vide(STOCKE)


def test_bad_cells_are_refused_cell_by_cell_in_french():
    type_champ, champ = _tableau()
    saisie = {
        "subventions": {"quantite": "deux", "prix": "12", "origine": "region", "le": "31/02/2026"},
        "ventes": {"prix": "10"},  # the required quantity is missing
    }
    with pytest.raises(forms.ValidationError) as erreur:
        type_champ.clean(champ, saisie)
    assert erreur.value.messages == [
        "4 cellules du tableau sont à corriger.",
        "Subventions — Quantité : Saisissez un nombre entier, sans virgule (exemple : 12).",
        "Subventions — Origine : Ce choix ne fait pas partie de la liste : sélectionnez "
        "l’une des options proposées.",
        "Subventions — Date : Saisissez une date valide au format JJ/MM/AAAA (exemple : 12/03/2026).",
        "Ventes — Quantité : Ce champ est obligatoire.",
    ]
    # A missing answer only: a draft may keep it (the wizard's rule on codes).
    with pytest.raises(forms.ValidationError) as erreur:
        type_champ.clean(champ, {"ventes": {"prix": "10"}})
    assert {e.code for e in erreur.value.error_list} == {"required"}


@pytest.mark.parametrize("raw", ["texte", ["a"], {"ventes": "x"}, {"ventes": [1]}, 12])
def test_malformed_values_are_refused(raw):
    assert refus("tableau", raw, **_kw()) == "Ce tableau n’est pas valide : complétez ses cellules."


def test_calcul_cell_that_cannot_be_computed_is_empty():
    options = {
        "lignes": [["a", "A"]],
        "colonnes": [
            {"nom": "x", "libelle": "X", "type": "decimal"},
            {"nom": "y", "libelle": "Y", "type": "decimal"},
            {
                "nom": "ratio",
                "libelle": "Ratio",
                "type": "calcul",
                "formule": "x / y",
                "decimales": 1,
            },
        ],
    }
    assert propre("tableau", {"a": {"x": "1", "y": "0"}}, options=options)["a"]["ratio"] is None
    assert propre("tableau", {"a": {"x": "1", "y": "3"}}, options=options)["a"]["ratio"] == "0.3"


def test_display_export_and_variable():
    type_champ, champ = _tableau()
    assert type_champ.affichage(champ, STOCKE) == (
        "Subventions : Quantité 2, Prix unitaire 1\u202f000,50\u00a0€, Montant 2\u202f001,00, "
        "Origine État, Acquis Oui, Date 12 mars 2026\n"
        "Ventes : Quantité 3, Prix unitaire 10,00\u00a0€, Montant 30,00\n"
        "Total : Quantité 5, Montant 2\u202f031,00"
    )
    colonnes = type_champ.colonnes_export(champ)
    assert len(colonnes) == 2 * 7 + 2
    assert colonnes[0] == ("subventions.quantite", "Budget — Subventions — Quantité")
    assert colonnes[-1] == ("total.montant", "Budget — Total — Montant")
    cellules = type_champ.export_cellules(champ, STOCKE)
    assert len(cellules) == len(colonnes)
    assert cellules[:7] == [2, "1000.50", "2001.00", "État", "Oui", "2026-03-12", ""]
    assert type_champ.export_cellules(champ, STOCKE, libelles=False)[3] == "etat"
    assert cellules[-2:] == [5, "2031.00"]
    assert type_champ.export_cellules(champ, None) == [""] * len(colonnes)
    variable = type_champ.variable(champ, STOCKE)
    assert variable["subventions"]["prix"] == "1\u202f000,50\u00a0€"
    assert variable["ventes"]["montant"] == "30,00"
    assert variable["total"] == {"quantite": "5", "montant": "2\u202f031,00"}
    html = type_champ.affichage_html(champ, STOCKE)
    assert "<caption>" in html and '<th scope="row"' in html and "2\u202f031,00" in html
    assert "<input" not in html


def test_other_types_default_to_one_export_column():
    champ = definition("montant", nom="m", libelle="Montant")
    assert get("montant").colonnes_export(champ) == [("", "Montant")]
    assert get("montant").export_cellules(champ, "12.50") == ["12.50"]


def test_calcul_fields_read_cells_and_column_totals():
    """A calcul field elsewhere in the form reads `budget.ventes.prix` and the column
    `budget.montant` (a list: somme() of it is the column's total)."""
    data = {"budget": STOCKE}
    assert evaluer(analyser("somme(budget.montant)"), data) == 2031
    assert evaluer(analyser("budget.ventes.prix * 2"), data) == 20
    assert evaluer(analyser("nb(budget.origine)"), data) == 1
    assert evaluer(analyser("max(budget.quantite)"), data) == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"lignes": [], "colonnes": BUDGET["colonnes"]}, "Ce champ est obligatoire."),
        (
            {"lignes": [["A b", "x"]], "colonnes": BUDGET["colonnes"]},
            "La clé « A b » n’est pas valide",
        ),
        ({"lignes": [["total", "Total"]], "colonnes": BUDGET["colonnes"]}, "« total » est réservé"),
        ({"lignes": [["a", "A"], ["a", "B"]], "colonnes": BUDGET["colonnes"]}, "est en double"),
        (
            {"lignes": [["a", "A"]], "colonnes": [{"nom": "x", "libelle": "X", "type": "photo"}]},
            "est inconnu",
        ),
        (
            {"lignes": [["a", "A"]], "colonnes": [{"nom": "x", "libelle": "X", "type": "liste"}]},
            "Indiquez au moins un élément (choix)",
        ),
        (
            {
                "lignes": [["a", "A"]],
                "colonnes": [
                    {"nom": "x", "libelle": "X", "type": "entier"},
                    {"nom": "c", "libelle": "C", "type": "calcul", "formule": "x +"},
                ],
            },
            "Formule de la colonne « c »",
        ),
        (
            {
                "lignes": [["a", "A"]],
                "colonnes": [
                    {"nom": "x", "libelle": "X", "type": "entier"},
                    {"nom": "c", "libelle": "C", "type": "calcul", "formule": "x + montant_total"},
                ],
            },
            "lit « montant_total », qui n’est pas une colonne du tableau",
        ),
        (
            {"lignes": [["x", "X"]], "colonnes": [{"nom": "x", "libelle": "X", "type": "entier"}]},
            "à la fois une ligne et une colonne",
        ),
        ({"lignes": '[["a", "A"]', "colonnes": "[]"}, "Saisissez du JSON valide"),
    ],
)
def test_options_are_checked_in_french(options, message):
    formulaire = get("tableau").Options(data=options)
    assert not formulaire.is_valid()
    assert message in formulaire.errors.as_text()


def test_options_typed_as_json_text_in_the_builder():
    formulaire = get("tableau").Options(
        data={"lignes": json.dumps(BUDGET["lignes"]), "colonnes": json.dumps(BUDGET["colonnes"])}
    )
    assert formulaire.is_valid(), formulaire.errors
    assert formulaire.en_json()["lignes"] == BUDGET["lignes"]
    assert formulaire.en_json()["colonnes"][0]["obligatoire"] is True


def _form(**kwargs):
    type_champ, champ = _tableau(**kwargs)
    return type("Formulaire", (forms.Form,), {"budget": type_champ.form_field(champ)})


def test_the_table_is_accessible_and_keeps_typed_input_with_errors_in_cells():
    lie = _form()(
        data={
            "budget.subventions.quantite": "deux",
            "budget.subventions.prix": "12",
            "budget.ventes.quantite": "3",
        }
    )
    assert not lie.is_valid()
    html = str(lie)
    assert "<caption>" in html and "Budget" in html
    assert '<th scope="col" id="id_budget-col-quantite">Quantité</th>' in html
    assert '<th scope="row" id="id_budget-ligne-ventes">Ventes</th>' in html
    # Each input is labelled by its row and its column headers.
    assert 'aria-labelledby="id_budget-ligne-subventions id_budget-col-quantite"' in html
    # The typed value is kept and the cell's error is next to it, tied to the input.
    assert 'name="budget.subventions.quantite" value="deux"' in html
    assert 'aria-describedby="id_budget-subventions-quantite-erreur"' in html
    assert (
        '<p class="fr-message fr-message--error" id="id_budget-subventions-quantite-erreur">'
        "Saisissez un nombre entier, sans virgule (exemple : 12).</p>"
    ) in html
    assert "Une cellule du tableau est à corriger." in html
    # The calcul cell and the totals carry their formula for formules.js.
    assert 'data-champ="budget.ventes.montant"' in html
    assert "budget.ventes.quantite" in html and "budget.ventes.prix" in html
    assert "&quot;nom&quot;: &quot;budget.montant&quot;" in html
    assert "<tfoot>" in html


def test_the_table_shows_stored_values_the_french_way():
    html = str(_form()(initial={"budget": STOCKE}))
    assert 'name="budget.subventions.prix" value="1000,50"' in html
    assert 'value="2001.00"' in html  # the calcul cell, as formules.js writes it
    assert '<option value="oui" selected>Oui</option>' in html
    assert 'name="budget.subventions.le" value="2026-03-12"' in html
    assert "2\u202f031,00</span>&nbsp;" not in html  # calcul column: no euro sign
    assert "aria-invalid" not in html


# --- the page agrees with the server (static/js/formules.js in headless Chromium) -------


_CELLULES = st.one_of(
    st.none(),
    st.just(""),
    st.integers(-1000, 1000),
    st.decimals(min_value=-10_000, max_value=10_000, places=2).map(lambda d: format(d, "f")),
    st.sampled_from(["abc", True]),
)
_TABLEAUX = st.dictionaries(
    st.sampled_from(["recettes", "depenses", "dons"]),
    st.fixed_dictionaries({"montant": _CELLULES, "quantite": _CELLULES}),
    max_size=3,
)
_FORMULES_TABLEAU = [
    "somme(budget.montant)",
    "somme(budget.montant) - somme(budget.quantite)",
    "nb(budget.montant)",
    "max(budget.quantite) + min(budget.montant)",
    "budget.recettes.montant * 2",
    "budget.dons.quantite + budget.recettes.montant",
    "budget.inconnue",
    "budget.recettes",
]


@pytest.mark.browser
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@etant_donne(tableau=_TABLEAUX)
def test_page_reads_tableau_cells_and_columns_like_the_server(onglet, tableau):  # noqa: F811
    donnees = {"budget": tableau}
    accord_calculs(onglet, [(analyser(formule), donnees) for formule in _FORMULES_TABLEAU])


@pytest.mark.browser
def test_page_agrees_on_the_first_choice_condition(onglet):  # noqa: F811
    cas = [
        ({"champ": "voeux", "op": "premier", "valeur": "musee"}, {"voeux": v}, None)
        for v in (["musee", "piscine"], ["piscine", "musee"], [], None, "musee", ["musee"])
    ]
    accord_conditions(onglet, cas)
