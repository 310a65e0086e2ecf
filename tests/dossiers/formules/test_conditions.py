"""F5 conditions: evaluation, references and the builder's validation."""

import pytest

from dossiers.formules import champs_references, evaluer_condition, valider_condition

EXEMPLE = {
    "tous": [
        {"champ": "nb_enfants", "op": ">", "valeur": 2},
        {
            "un_parmi": [
                {"champ": "situation", "op": "=", "valeur": "marie"},
                {"profil": "association"},
            ]
        },
        {"non": {"champ": "x", "op": "vide"}},
    ]
}


def test_the_example_of_the_brief():
    data = {"nb_enfants": 3, "situation": "marie", "x": "oui"}
    assert evaluer_condition(EXEMPLE, data, profil="particulier")
    assert not evaluer_condition(EXEMPLE, {**data, "nb_enfants": 2}, profil="particulier")
    assert evaluer_condition(EXEMPLE, {**data, "situation": "celibataire"}, profil="association")
    assert not evaluer_condition(EXEMPLE, {**data, "situation": "celibataire"}, profil=None)
    assert not evaluer_condition(EXEMPLE, {**data, "x": ""}, profil="association")


def cond(op, valeur=None, champ="v", **autres):
    condition = {"champ": champ, "op": op, **autres}
    if valeur is not None or op not in ("vide", "rempli"):
        condition["valeur"] = valeur
    return condition


@pytest.mark.parametrize(
    "stocke, op, valeur, attendu",
    [
        # numbers: ints, floats, stored decimal strings, compared exactly
        (3, "=", 3, True),
        ("3.00", "=", 3, True),
        ("1234.50", "≠", "1234.5", False),
        ("1234.50", ">", 1234.49, True),
        (2, "<", 3, True),
        (3, "≤", 3, True),
        (3, "≥", "3", True),
        (3, ">", 3, False),
        ("-0.5", "<", 0, True),
        (0.1, "=", "0.1", True),
        # ASCII spellings of the operators
        (2, "<=", 2, True),
        (2, ">=", 3, False),
        (2, "!=", 3, True),
        (2, "<>", 2, False),
        (2, "==", 2, True),
        # dates (ISO strings) in date order
        ("2024-03-01", "<", "2024-12-31", True),
        ("2024-03-01", "≥", "2024-03-01", True),
        ("2025-01-01", ">", "2024-12-31", True),
        # texts and choice keys
        ("marie", "=", "marie", True),
        ("marie", "=", "Marie", False),
        ("marie", "≠", "pacse", True),
        ("abc", "<", "abd", True),
        # booleans (checkboxes)
        (True, "=", True, True),
        (False, "=", True, False),
        (False, "≠", True, True),
        (True, "=", 1, False),
        # natures never mix: a text is neither smaller nor greater than a number
        ("abc", "<", 3, False),
        ("abc", ">", 3, False),
        ("abc", "=", 3, False),
        ("2024-01-01", "<", 2025, False),
        # multiple choices
        (["a", "b"], "contient", "b", True),
        (["a", "b"], "contient", "c", False),
        (["1", "2"], "contient", 2, True),
        ("bonjour le monde", "contient", "le", True),
        ("bonjour", "contient", "Bon", False),
        (["a", "b"], "=", ["a", "b"], True),
        (["a", "b"], "=", ["b", "a"], False),
        # parmi
        ("marie", "parmi", ["marie", "pacse"], True),
        ("divorce", "parmi", ["marie", "pacse"], False),
        (3, "parmi", ["1", "2", "3"], True),
        (["a", "z"], "parmi", ["z", "y"], True),
        (["a"], "parmi", ["z"], False),
    ],
)
def test_operators(stocke, op, valeur, attendu):
    assert evaluer_condition(cond(op, valeur), {"v": stocke}, profil=None) is attendu


@pytest.mark.parametrize("stocke", [None, "", [], {}])
def test_empty_values(stocke):
    data = {"v": stocke}
    assert evaluer_condition(cond("vide"), data)
    assert not evaluer_condition(cond("rempli"), data)
    assert evaluer_condition(cond("=", ""), data)  # "= vide" is how emptiness compares
    for op in ("<", "≤", ">", "≥"):
        assert not evaluer_condition(cond(op, 0), data)
    assert not evaluer_condition(cond("=", 0), data)
    assert evaluer_condition(cond("≠", 0), data)
    assert not evaluer_condition(cond("contient", "a"), data)
    assert not evaluer_condition(cond("parmi", ["a"]), data)


@pytest.mark.parametrize("stocke", [0, False, "0", "texte", ["a"], {"rue": "x"}])
def test_filled_values(stocke):
    assert evaluer_condition(cond("rempli"), {"v": stocke})
    assert not evaluer_condition(cond("vide"), {"v": stocke})


def test_a_missing_field_is_empty_and_never_raises():
    assert evaluer_condition(cond("vide", champ="disparu"), {})
    assert not evaluer_condition(cond(">", 2, champ="disparu"), {})
    assert evaluer_condition(cond("≠", "x", champ="disparu"), {})
    assert not evaluer_condition(cond("contient", "x", champ="disparu"), {"autre": 1})
    assert evaluer_condition(cond("vide", champ="disparu"), None)  # no data at all


def test_block_columns_and_sub_values():
    data = {
        "enfants": [{"prenom": "Léa", "age": 4}, {"prenom": "Tom", "age": 12}],
        "adresse": {"commune": "Lyon"},
    }
    assert evaluer_condition(cond("contient", "Tom", champ="enfants.prenom"), data)
    assert evaluer_condition(cond("=", "Lyon", champ="adresse.commune"), data)
    assert evaluer_condition(cond("vide", champ="adresse.pays"), data)
    assert evaluer_condition(cond("vide", champ="commentaire.x"), data)
    assert not evaluer_condition(cond("contient", "Tom", champ="enfants.nom"), data)


def test_combinators():
    vrai, faux = {"profil": "a"}, {"profil": "b"}
    assert evaluer_condition({"tous": []}, {}, profil="a")
    assert not evaluer_condition({"un_parmi": []}, {}, profil="a")
    assert evaluer_condition({"tous": [vrai, vrai]}, {}, profil="a")
    assert not evaluer_condition({"tous": [vrai, faux]}, {}, profil="a")
    assert evaluer_condition({"un_parmi": [faux, vrai]}, {}, profil="a")
    assert not evaluer_condition({"non": vrai}, {}, profil="a")
    assert evaluer_condition({"non": {"non": vrai}}, {}, profil="a")


def test_profile_type():
    assert evaluer_condition({"profil": "association"}, {}, profil="association")
    assert not evaluer_condition({"profil": "association"}, {}, profil="entreprise")
    assert not evaluer_condition({"profil": "association"}, {}, profil=None)
    assert evaluer_condition({"profil": ["association", "entreprise"]}, {}, profil="entreprise")


@pytest.mark.parametrize(
    "condition",
    [
        None,
        {},
        {"inconnu": 1},
        {"champ": "v", "op": "ressemble", "valeur": 1},
        {"champ": "v", "op": "="},
        {"champ": 3, "op": "vide"},
        {"champ": "v", "op": "parmi", "valeur": "a"},
        {"tous": "pas une liste"},
        {"profil": 3},
        [],
        "texte",
        {"non": {"non": {"non": None}}},
    ],
)
def test_malformed_or_empty_conditions_keep_the_element_visible(condition):
    assert evaluer_condition(condition, {"v": 1}, profil="a") is True


def test_too_deep_a_condition_does_not_raise():
    condition = {"profil": "a"}
    for _ in range(5000):
        condition = {"non": condition}
    assert evaluer_condition(condition, {}, profil="a") is True
    assert valider_condition(condition, {}) == [
        "La condition est trop imbriquée (50 niveaux au plus)."
    ]
    assert champs_references(condition) == set()


def test_references():
    assert champs_references(EXEMPLE) == {"nb_enfants", "situation", "x"}
    assert champs_references({"champ": "enfants.age", "op": "vide"}) == {"enfants"}
    assert champs_references({"tous": [{"profil": "a"}, {"bizarre": 1}, 3]}) == set()
    assert champs_references(None) == set()


CHAMPS = {
    "nb_enfants": "entier",
    "montant": "montant",
    "situation": "choix_unique_radio",
    "aides": "choix_multiple",
    "naissance": "date",
    "rendez_vous": "date_heure",
    "accepte": "case_a_cocher",
    "commentaire": "texte",
    "adresse": "adresse",
    "enfants": "bloc",
}


def test_a_valid_condition_has_no_error():
    assert valider_condition(EXEMPLE, {**CHAMPS, "x": "texte"}) == []
    assert valider_condition(None, CHAMPS) == []
    assert valider_condition("{}", CHAMPS) == []
    valides = [
        {"champ": "montant", "op": "≥", "valeur": "1500.00"},
        {"champ": "naissance", "op": "<", "valeur": "2010-01-01"},
        {"champ": "rendez_vous", "op": "≥", "valeur": "2026-03-12T09:00"},
        {"champ": "situation", "op": "parmi", "valeur": ["marie", "pacse"]},
        {"champ": "aides", "op": "contient", "valeur": "apl"},
        {"champ": "accepte", "op": "=", "valeur": True},
        {"champ": "commentaire", "op": "contient", "valeur": "urgent"},
        {"champ": "adresse", "op": "rempli"},
        {"champ": "enfants.age", "op": ">", "valeur": 3},
        {"champ": "situation", "op": "=", "valeur": ""},
        {"profil": ["association", "particulier"]},
    ]
    for condition in valides:
        assert valider_condition(condition, CHAMPS, profils={"association", "particulier"}) == []


@pytest.mark.parametrize(
    "condition, message",
    [
        (
            {"champ": "revenu", "op": ">", "valeur": 100},
            "La condition porte sur le champ « revenu », qui n’existe plus dans le modèle.",
        ),
        (
            {"champ": "situation", "op": "<", "valeur": "marie"},
            "L’opérateur « < » ne s’applique pas au champ « situation » (choix unique).",
        ),
        (
            {"champ": "aides", "op": "=", "valeur": "apl"},
            "L’opérateur « = » ne s’applique pas au champ « aides » (choix multiple).",
        ),
        (
            {"champ": "nb_enfants", "op": "contient", "valeur": "2"},
            "L’opérateur « contient » ne s’applique pas au champ « nb_enfants » (nombre).",
        ),
        (
            {"champ": "adresse", "op": "=", "valeur": "x"},
            "L’opérateur « = » ne s’applique pas au champ « adresse » (valeur composée).",
        ),
        (
            {"champ": "nb_enfants", "op": "like", "valeur": 2},
            "Opérateur inconnu « like » pour le champ « nb_enfants » : utilisez =, ≠, <, ≤, "
            ">, ≥, vide, rempli, contient ou parmi.",
        ),
        (
            {"champ": "nb_enfants", "op": ">"},
            "Il manque la valeur à comparer au champ « nb_enfants ».",
        ),
        (
            {"champ": "nb_enfants", "op": ">", "valeur": "beaucoup"},
            "La valeur comparée au champ « nb_enfants » doit être un nombre.",
        ),
        (
            {"champ": "naissance", "op": "<", "valeur": "01/01/2010"},
            "La valeur comparée au champ « naissance » doit être une date au format AAAA-MM-JJ.",
        ),
        (
            {"champ": "accepte", "op": "=", "valeur": "oui"},
            "La valeur comparée au champ « accepte » doit être vrai ou faux (true ou false).",
        ),
        (
            {"champ": "situation", "op": "=", "valeur": 3},
            "La valeur comparée au champ « situation » doit être la clé d’un choix (un texte).",
        ),
        (
            {"champ": "aides", "op": "contient", "valeur": 3},
            "La valeur cherchée dans le champ « aides » doit être un texte.",
        ),
        (
            {"champ": "situation", "op": "parmi", "valeur": "marie"},
            "L’opérateur « parmi » attend une liste de valeurs (champ « situation »).",
        ),
        (
            {"champ": "adresse", "op": "vide", "valeur": 1},
            "L’opérateur « vide » ne prend pas de valeur (champ « adresse »).",
        ),
        (
            {"champ": "situation", "op": "=", "valeur": "marie", "libelle": "x"},
            "Clé inconnue « libelle » dans une condition sur « champ ».",
        ),
        ({"champ": "", "op": "vide"}, "« champ » attend le nom technique d’un champ."),
        ({"tous": {"champ": "x"}}, "« tous » attend une liste de conditions."),
        ({"profil": 3}, "« profil » attend le code d’un type de profil ou une liste de codes."),
        (
            {"profil": "inconnu"},
            "La condition porte sur le type de profil « inconnu », qui n’existe pas.",
        ),
        (
            {"quoi": 1},
            "Condition incomprise : elle doit contenir « champ », « profil », « tous », "
            "« un_parmi » ou « non ».",
        ),
        ([1], "Chaque condition doit être un objet JSON (entre accolades)."),
        ('{"champ": ', "La condition n’est pas un JSON valide (ligne 1, colonne 11)."),
    ],
)
def test_validation_messages(condition, message):
    assert valider_condition(condition, CHAMPS, profils={"association"}) == [message]


def test_validation_reports_every_error_once():
    condition = {
        "tous": [
            {"champ": "revenu", "op": ">", "valeur": 1},
            {"non": {"champ": "revenu", "op": ">", "valeur": 1}},
            {"champ": "situation", "op": "≤", "valeur": "a"},
        ]
    }
    assert valider_condition(condition, CHAMPS) == [
        "La condition porte sur le champ « revenu », qui n’existe plus dans le modèle.",
        "L’opérateur « ≤ » ne s’applique pas au champ « situation » (choix unique).",
    ]


def test_an_unknown_field_type_is_treated_as_text():
    assert (
        valider_condition({"champ": "x", "op": "contient", "valeur": "a"}, {"x": "nouveau"}) == []
    )
