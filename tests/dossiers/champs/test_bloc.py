"""bloc_repetable (F12): options, clean (per element, min/max, required sub-fields,
calcul per element, condition inside an element), display, export, variable."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from dossiers.champs import Definition, get
from dossiers.champs.natifs.bloc import ErreurBloc, ajouter, supprimer
from tests.dossiers.champs.outils import definition

SOUS = (
    Definition(nom="prenom", libelle="Prénom", type="texte", obligatoire=True),
    Definition(nom="naissance", libelle="Date de naissance", type="date"),
    Definition(
        nom="age",
        libelle="Âge",
        type="calcul",
        options={"formule": "age(naissance)", "decimales": 0},
    ),
    Definition(nom="allergie", libelle="Allergie", type="oui_non"),
    Definition(
        nom="precision",
        libelle="Précisez",
        type="texte",
        obligatoire=True,
        condition={"champ": "allergie", "op": "=", "valeur": True},
    ),
)
OPTIONS = {"minimum": 1, "maximum": 3, "libelle_element": "Enfant"}


def _bloc(options=OPTIONS, enfants=SOUS, **kwargs):
    return get("bloc_repetable"), definition(
        "bloc_repetable", nom="enfants", options=options, enfants=enfants, **kwargs
    )


def _erreur(raw, **kwargs) -> ErreurBloc:
    type_champ, champ = _bloc(**kwargs)
    with pytest.raises(ErreurBloc) as erreur:
        type_champ.clean(champ, raw)
    return erreur.value


def test_type_and_options():
    bloc = get("bloc_repetable")
    assert str(bloc.libelle) == "Bloc répétable" and bloc.stocke_valeur and not bloc.calcule
    assert bloc.Options(data=OPTIONS).is_valid()
    refuse = bloc.Options(data={"minimum": 4, "maximum": 3})
    assert not refuse.is_valid() and "minimum" in refuse.errors
    assert not bloc.Options(data={"maximum": 101}).is_valid()
    type_champ, champ = _bloc(options={})
    assert type_champ.options(champ) == {
        "minimum": 0,
        "maximum": 20,
        "libelle_element": "Élément",
        "libelle_ajout": "Ajouter un élément",
    }
    # A required block needs one element at least.
    type_champ, champ = _bloc(options={}, obligatoire=True)
    assert type_champ.options(champ)["minimum"] == 1


def test_valid_elements_are_cleaned_by_their_sub_types():
    type_champ, champ = _bloc()
    valeur = type_champ.nettoyer(
        champ,
        [{"prenom": " Léa ", "naissance": "02/04/2019", "allergie": "non"}],
        {},  # the dossier's other values: none needed here
    )
    assert valeur == [
        {"prenom": "Léa", "naissance": "2019-04-02", "age": valeur[0]["age"], "allergie": False}
    ]
    assert int(valeur[0]["age"]) >= 7  # computed per element from its own birth date


def test_stored_values_clean_to_themselves():
    type_champ, champ = _bloc()
    stocke = type_champ.clean(champ, [{"prenom": "Léa", "naissance": "2019-04-02"}])
    assert type_champ.clean(champ, stocke) == stocke


def test_errors_are_per_element_and_sub_field():
    erreur = _erreur(
        [{"prenom": "Léa", "naissance": "31/02/2019"}, {"prenom": "", "naissance": ""}]
    )
    assert set(erreur.elements) == {"0-naissance", "1-prenom"}
    assert erreur.elements["1-prenom"].messages == ["Ce champ est obligatoire."]
    assert erreur.bloc == []
    # What a draft may keep: the valid values, the invalid ones emptied.
    assert erreur.valeur[0]["prenom"] == "Léa" and erreur.valeur[0]["naissance"] is None
    assert {e.code for e in erreur.error_list} == {"invalid", "required"}


def test_minimum_and_maximum_in_french():
    erreur = _erreur([])
    assert erreur.messages == ["Ajoutez au moins 1 enfant."]
    assert erreur.error_list[0].code == "required"  # a draft may have fewer
    erreur = _erreur([{"prenom": "A"}] * 4)
    assert erreur.messages == ["Pas plus de 3 enfants."]
    assert erreur.error_list[0].code == "maximum"
    erreur = _erreur([], options={"minimum": 2, "maximum": 6, "libelle_element": "Devis"})
    assert erreur.messages == ["Ajoutez au moins 2 devis."]


def test_no_element_is_valid_without_a_minimum():
    type_champ, champ = _bloc(options={})
    assert type_champ.clean(champ, None) == []
    assert type_champ.clean(champ, []) == []


@pytest.mark.parametrize("raw", ["texte", 12, {"prenom": "Léa"}, ["Léa"], [None]])
def test_malformed_values_are_refused_in_french(raw):
    type_champ, champ = _bloc()
    with pytest.raises(ValidationError) as erreur:
        type_champ.clean(champ, raw)
    assert erreur.value.messages == [
        "Cette valeur n’est pas valide : une liste d’éléments est attendue."
    ]


def test_condition_inside_an_element_reads_its_own_sub_fields():
    type_champ, champ = _bloc()
    valeur = type_champ.clean(
        champ,
        [
            {"prenom": "Léa", "allergie": "oui", "precision": "arachide"},
            {"prenom": "Tom", "allergie": "non", "precision": "ignoré"},
        ],
    )
    assert valeur[0]["precision"] == "arachide"
    assert "precision" not in valeur[1]  # hidden in that element: dropped
    # Shown and required in the first element only.
    erreur = _erreur([{"prenom": "Léa", "allergie": "oui"}, {"prenom": "Tom"}])
    assert set(erreur.elements) == {"0-precision"}


def test_condition_inside_an_element_reads_top_level_fields_too():
    sous = (
        Definition(nom="prenom", libelle="Prénom", type="texte"),
        Definition(
            nom="cantine",
            libelle="Cantine",
            type="oui_non",
            obligatoire=True,
            condition={"champ": "formule_repas", "op": "=", "valeur": "oui"},
        ),
    )
    type_champ, champ = _bloc(options={}, enfants=sous)
    assert type_champ.nettoyer(champ, [{"prenom": "Léa"}], {"formule_repas": "non"}) == [
        {"prenom": "Léa"}
    ]
    with pytest.raises(ErreurBloc):
        type_champ.nettoyer(champ, [{"prenom": "Léa"}], {"formule_repas": "oui"})


def test_calcul_sub_field_per_element_and_its_errors():
    sous = (
        Definition(nom="quantite", libelle="Quantité", type="entier"),
        Definition(nom="prix", libelle="Prix", type="montant"),
        Definition(
            nom="total", libelle="Total", type="calcul", options={"formule": "quantite * prix"}
        ),
        Definition(
            nom="part", libelle="Part", type="calcul", options={"formule": "prix / quantite"}
        ),
    )
    type_champ, champ = _bloc(options={}, enfants=sous)
    valeur = type_champ.clean(
        champ, [{"quantite": "3", "prix": "12,50"}, {"quantite": "0", "prix": "4"}]
    )
    assert [e["total"] for e in valeur] == ["37.50", "0.00"]
    assert valeur[1]["part"] is None  # division by zero: no value, never an exception


SALLES = {
    "sport": [["gymnase", "Gymnase"], ["dojo", "Dojo"]],
    "culture": [["salle_fetes", "Salle des fêtes"]],
}
SOUS_LIEES = (
    Definition(
        nom="type_salle",
        libelle="Type de salle",
        type="choix_unique_liste",
        choix=(("sport", "Sport"), ("culture", "Culture")),
    ),
    Definition(
        nom="salle",
        libelle="Salle",
        type="liste_liee",
        options={"depend_de": "type_salle", "choix_par_parent": SALLES},
    ),
    Definition(
        nom="materiel",
        libelle="Matériel",
        type="liste_liee",
        options={"depend_de": "discipline", "choix_par_parent": {"judo": [["tatami", "Tatami"]]}},
    ),
)


def test_cross_field_checks_run_per_element_on_its_values_over_the_dossier():
    """A linked list in an element checks its key against its parent: a sibling
    sub-field of the same element, or a top-level field of the dossier."""
    type_champ, champ = _bloc(options={}, enfants=SOUS_LIEES)
    propre = type_champ.nettoyer(
        champ,
        [
            {"type_salle": "sport", "salle": "dojo", "materiel": "tatami"},
            {"type_salle": "culture", "salle": "salle_fetes"},
        ],
        {"discipline": "judo"},
    )
    assert [e["salle"] for e in propre] == ["dojo", "salle_fetes"]
    assert propre[0]["materiel"] == "tatami"
    with pytest.raises(ErreurBloc) as erreur:
        type_champ.nettoyer(
            champ,
            [
                {"type_salle": "sport", "salle": "gymnase"},
                {"type_salle": "culture", "salle": "dojo", "materiel": "tatami"},
                {"salle": "gymnase"},
            ],
            {"discipline": "danse"},
        )
    assert {cle: e.messages for cle, e in erreur.value.elements.items()} == {
        "1-salle": [
            "Ce choix ne correspond pas à votre réponse précédente : choisissez de nouveau."
        ],
        "1-materiel": [
            "Ce choix ne correspond pas à votre réponse précédente : choisissez de nouveau."
        ],
        "2-salle": ["Répondez d’abord à la question dont dépend cette liste."],
    }
    # A draft keeps the element with the refused keys emptied, the rest as typed.
    assert erreur.value.valeur[1] == {
        "type_salle": "culture",
        "salle": None,
        "materiel": None,
    }
    assert erreur.value.valeur[0]["salle"] == "gymnase"


def test_a_nested_block_is_not_usable():
    from django.core.exceptions import ImproperlyConfigured

    interieur = Definition(nom="autre", libelle="Autre", type="bloc_repetable")
    type_champ, champ = _bloc(enfants=(*SOUS, interieur))
    with pytest.raises(ImproperlyConfigured):
        type_champ.form_field(champ)


def test_display_export_and_variable():
    type_champ, champ = _bloc()
    stocke = [
        {"prenom": "Léa", "naissance": "2019-04-02", "age": "7", "allergie": True},
        {"prenom": "Tom", "naissance": None, "age": "0", "allergie": False},
    ]
    assert type_champ.affichage(champ, stocke) == (
        "Enfant 1 : Léa, 2 avril 2019, 7, Oui ; Enfant 2 : Tom, 0, Non"
    )
    assert type_champ.affichage(champ, []) == ""
    assert type_champ.colonnes_export(champ) == [
        ("prenom", "Prénom"),
        ("naissance", "Date de naissance"),
        ("age", "Âge"),
        ("allergie", "Allergie"),
        ("precision", "Précisez"),
    ]
    assert type_champ.export_cellules(champ, stocke) == [
        "Léa | Tom",
        "2019-04-02 | ",
        "7 | 0",
        "Oui | Non",
        " | ",
    ]
    variable = type_champ.variable(champ, stocke)
    assert [enfant["prenom"] for enfant in variable] == ["Léa", "Tom"]
    assert variable[0]["naissance"] == "2 avril 2019"
    # A hand-edited value never raises.
    assert type_champ.affichage(champ, [None, "x"]) == "Enfant 1 :  ; Enfant 2 : "
    assert type_champ.variable(champ, "x") == []


def test_posted_data_add_and_remove():
    data = QueryDict(mutable=True)
    data.update({"enfants-TOTAL": "3", "autre": "garde", "enfants-0-prenom": "Léa"})
    data.update({"enfants-1-prenom": "Tom", "enfants-2-prenom": "Zoé"})
    data.setlist("enfants-2-aides", ["apl", "rsa"])
    plus = ajouter(data, "enfants", maximum=6)
    assert plus["enfants-TOTAL"] == "4" and plus["enfants-2-prenom"] == "Zoé"
    assert ajouter(data, "enfants", maximum=3)["enfants-TOTAL"] == "3"
    moins = supprimer(data, "enfants", 1)
    assert moins["enfants-TOTAL"] == "2"
    assert moins["enfants-0-prenom"] == "Léa" and moins["enfants-1-prenom"] == "Zoé"
    assert moins.getlist("enfants-1-aides") == ["apl", "rsa"]
    assert "enfants-2-prenom" not in moins and moins["autre"] == "garde"
    assert supprimer(data, "enfants", 9)["enfants-TOTAL"] == "3"  # out of range: unchanged


def test_the_widget_reads_what_was_posted():
    type_champ, champ = _bloc()
    widget = type_champ.form_field(champ).widget
    data = QueryDict(mutable=True)
    assert widget.value_from_datadict(data, {}, "enfants") is None
    data.update({"enfants-TOTAL": "2", "enfants-0-prenom": "Léa", "enfants-1-allergie": "oui"})
    lu = widget.value_from_datadict(data, {}, "enfants")
    assert [e["prenom"] for e in lu] == ["Léa", None]
    assert "age" not in lu[0]  # computed, never read from the post
    data["enfants-TOTAL"] = "100000"
    assert len(widget.value_from_datadict(data, {}, "enfants")) == 100  # capped
    data["enfants-TOTAL"] = "beaucoup"
    assert widget.value_from_datadict(data, {}, "enfants") == []
