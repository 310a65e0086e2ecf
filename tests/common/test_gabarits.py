"""The template language shared by éditique and notifications (common/gabarits.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from common.gabarits import ErreurGabarit, Variable, exemple, lignes, rendre, valider

SCHEMA = [
    Variable(
        "dossier",
        "Dossier",
        (
            Variable("reference", "Référence", exemple="2026-SUB-000001"),
            Variable(
                "depenses",
                "Dépenses",
                (Variable("libelle", "Libellé"), Variable("montant", "Montant")),
                liste=True,
            ),
            Variable(
                "valeurs", "Valeurs", (Variable("salle_equipee", "Salle équipée", exemple=False),)
            ),
        ),
    ),
    Variable("agent", "Agent", (Variable("nom", "Nom"),)),
    Variable("aujourdhui", "Date du jour"),
]

CONTEXTE = {
    "dossier": {
        "reference": "2026-SUB-000001",
        "depenses": [
            {"libelle": "Location <salle>", "montant": Decimal("1234.5")},
            {"libelle": "Sono", "montant": Decimal("80")},
        ],
        "valeurs": {"salle_equipee": False},
    },
    "agent": {"nom": "Claire Martin"},
    "aujourdhui": dt.date(2026, 3, 1),
}


def test_render_variables_loops_conditions_and_french_printing():
    source = (
        "Réf. {{ dossier.reference }} du {{ aujourdhui }}\n"
        "{% for d in dossier.depenses %}{{ loop.index }}. {{ d.libelle }} : "
        "{{ d.montant|montant }}\n{% endfor %}"
        "{% if dossier.valeurs.salle_equipee %}équipée{% else %}nue{% endif %} "
        "{{ dossier.valeurs.salle_equipee }}"
    )
    texte = rendre(source, CONTEXTE)
    assert "Réf. 2026-SUB-000001 du 1er mars 2026" in texte
    assert "1. Location &lt;salle&gt; : 1\u202f234,50\u00a0€" in texte  # HTML escaped
    assert "2. Sono : 80,00\u00a0€" in texte
    assert texte.endswith("nue Non")
    # Text mode (SMS, mail subject) does not escape.
    assert rendre("{{ dossier.depenses[0].libelle }}", CONTEXTE, html=False) == "Location <salle>"


def test_valid_template_has_no_problem():
    source = (
        "{{ dossier.reference|upper }}{% for d in dossier.depenses %}{{ d.montant }}"
        "{% if loop.last %}.{% endif %}{% endfor %}{% set total = 3 %}{{ total }}"
    )
    assert valider(source, SCHEMA) == []


def test_unknown_variable_is_named_with_its_line_and_a_suggestion():
    source = "Bonjour\n{{ dossier.referense }}\n{% for d in dossier.depenses %}\n{{ d.montnt }}{% endfor %}"
    problemes = valider(source, SCHEMA)
    assert [(p.variable, p.ligne) for p in problemes] == [
        ("dossier.referense", 2),
        ("d.montnt", 4),
    ]
    assert "Vouliez-vous dire « reference » ?" in problemes[0].message
    assert str(problemes[1]).startswith("Ligne 4 : Variable inconnue « d.montnt »")


@pytest.mark.parametrize(
    ("source", "variable"),
    [
        ("{{ agent.password }}", "agent.password"),
        ("{{ agent.__class__.__mro__ }}", "agent.__class__"),
        ("{{ dossier['__class__'] }}", "dossier.__class__"),
        ("{{ utilisateur.password }}", "utilisateur"),
    ],
)
def test_reaching_outside_the_context_is_refused(source, variable):
    problemes = valider(source, SCHEMA)
    assert [p.variable for p in problemes] == [variable]
    with pytest.raises(ErreurGabarit):
        rendre(source, CONTEXTE)


@pytest.mark.parametrize(
    "source",
    [
        "{{ dossier.reference.upper() }}",
        "{{ range(10)|list }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler(1) }}",
    ],
)
def test_calls_are_refused_statically_and_at_render(source):
    assert valider(source, SCHEMA)
    with pytest.raises(ErreurGabarit):
        rendre(source, CONTEXTE)


def test_render_never_reaches_python_objects_even_if_given_one():
    class Compte:
        password = "pbkdf2_sha256$secret"  # noqa: S105

    with pytest.raises(ErreurGabarit, match="Variable non définie"):
        rendre("{{ agent.password }}", {"agent": Compte()})


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("{% if dossier.reference %}", "Bloc non fermé"),
        ("{{ dossier.reference|inexistant }}", "Filtre inconnu"),
        ('{% include "autre.html" %}', "include"),
        ("{% macro m() %}{% endmacro %}", "macros"),
        ("{% for x in dossier.reference %}{% endfor %}", "n'est pas une liste"),
    ],
)
def test_other_problems_are_reported_in_french(source, fragment):
    problemes = valider(source, SCHEMA)
    assert problemes and fragment in problemes[0].message


def test_render_error_gives_the_line():
    with pytest.raises(ErreurGabarit) as erreur:
        rendre("a\nb\n{{ absent }}", CONTEXTE)
    assert erreur.value.ligne == 3
    assert str(erreur.value).startswith("Ligne 3 :")


def test_sample_context_and_rows_from_the_schema():
    contexte = exemple(SCHEMA)
    assert contexte["dossier"]["reference"] == "2026-SUB-000001"
    assert contexte["dossier"]["depenses"][0] == {"libelle": "[Libellé]", "montant": "[Montant]"}
    assert rendre("{% for d in dossier.depenses %}x{% endfor %}", contexte) == "xx"
    assert ("dossier.depenses", "Dépenses", True) in lignes(SCHEMA)
    assert ("element.montant", "Montant", False) in lignes(SCHEMA)
