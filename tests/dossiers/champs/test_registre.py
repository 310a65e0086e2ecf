"""Every registered type: French label, a category, a form field that renders through the
project's DSFR form renderer (empty and with errors), and options forms that render."""

import pytest
from django import forms

from dossiers.champs import get, types
from tests.dossiers.champs.outils import definition

CATEGORIES = {
    "Saisie",
    "Nombres",
    "Dates",
    "Choix",
    "Identifiants",
    "Coordonnées",
    "Mise en page",
    "Consentement",
}
CHOIX = (("a", "Alpha"), ("b", "Bêta"))
# The options a type cannot do without.
OPTIONS = {
    "texte_formate": {"regex": "[0-9]{7}", "message": "Saisissez 7 chiffres (exemple : 1234567)."},
    "age": {"champ_source": "naissance"},
    "calcul": {"formule": "a + b"},
    "acceptation_cgu": {"texte": "J’accepte les conditions", "lien": "https://exemple.fr/cgu"},
    "note": {"texte": "<p>À lire</p>"},
    "piece_justificative": {"type_document": "justificatif-domicile"},
    # Field types tableau, carte, choix classé, pièce d'identité (F4/F13).
    "piece_identite": {"documents": ["cni", "passeport"]},
    "tableau": {
        "lignes": [["recettes", "Recettes"], ["depenses", "Dépenses"]],
        "colonnes": [
            {"nom": "montant", "libelle": "Montant", "type": "montant", "total": True},
            {"nom": "double", "libelle": "Double", "type": "calcul", "formule": "montant * 2"},
        ],
    },
}
CODES = sorted(types())
AVEC_VALEUR = [code for code in CODES if get(code).stocke_valeur]
SANS_VALEUR = [code for code in CODES if not get(code).stocke_valeur]


def _definition(code, **kwargs):
    return definition(
        code, options=OPTIONS.get(code, {}), choix=CHOIX, libelle="Votre réponse", **kwargs
    )


def test_the_built_in_types_are_all_registered():
    assert set(CODES) >= {
        "texte",
        "texte_long",
        "texte_riche",
        "texte_formate",
        "entier",
        "decimal",
        "montant",
        "date",
        "date_heure",
        "age",
        "email",
        "telephone",
        "oui_non",
        "case_a_cocher",
        "choix_unique_radio",
        "choix_unique_liste",
        "choix_multiple",
        "civilite",
        "nir",
        "siret",
        "siren",
        "rna",
        "iban",
        "bic",
        "note",
        "acceptation_cgu",
        "piece_justificative",
    }
    assert SANS_VALEUR == ["note", "piece_identite", "piece_justificative"]


@pytest.mark.parametrize("code", CODES)
def test_type_has_a_french_label_and_a_category(code):
    type_champ = get(code)
    libelle = str(type_champ.libelle)
    assert type_champ.code == code
    assert libelle and libelle[0].isupper() and libelle != code
    assert "_" not in libelle
    assert type_champ.categorie in CATEGORIES


@pytest.mark.parametrize("code", AVEC_VALEUR)
@pytest.mark.parametrize("obligatoire", [True, False])
def test_form_field_renders_through_the_dsfr_renderer(code, obligatoire):
    champ = get(code).form_field(_definition(code, obligatoire=obligatoire, aide="Une aide"))
    formulaire = type("Formulaire", (forms.Form,), {"champ": champ})
    html = str(formulaire())
    assert "fr-" in html  # the DSFR markup of templates/forms/
    assert "Votre réponse" in html or code == "acceptation_cgu"
    lie = formulaire(data={"champ": "\x00 pas valable"})
    assert str(lie)
    if obligatoire and not get(code).calcule:  # age, calcul: computed, never typed
        assert not formulaire(data={}).is_valid()


# Types whose options form lists the installation's objects (dossier_lie: the
# dispositifs): rendering it reads the database; reading the options never does.
OPTIONS_EN_BASE = {"dossier_lie"}


@pytest.mark.parametrize(
    "code",
    [pytest.param(c, marks=pytest.mark.django_db) if c in OPTIONS_EN_BASE else c for c in CODES],
)
def test_options_form_renders_and_accepts_the_options_used_here(code):
    options = get(code).Options(data=OPTIONS.get(code, {}))
    assert options.is_valid(), options.errors
    assert str(options) is not None


@pytest.mark.parametrize("code", SANS_VALEUR)
def test_types_without_value_have_no_input_and_store_nothing(code):
    """The wizard leaves them out of the form and shows `rendu()` at their place."""
    type_champ, champ = get(code), _definition(code)
    assert type_champ.form_field(champ) is None
    assert type_champ.clean(champ, "quelque chose") is None
    assert type_champ.est_vide(None)
    assert type_champ.affichage(champ, None) == ""
    assert type_champ.export(champ, None) == ""
    assert type_champ.variable(champ, None) == ""
    assert isinstance(type_champ.rendu(champ), str)


def test_registry_function_survives_the_import_of_the_types_package():
    """The registry's `types()` keeps working once the built-in package is imported (it is
    named `natifs` so that it never shadows the function)."""
    from dossiers import champs

    assert champs.types() == champs.types()
    assert "texte" in champs.types()
