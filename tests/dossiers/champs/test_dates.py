"""date (fixed and relative bounds), date_heure (UTC stored, Paris shown), age."""

import datetime

import pytest
from django.utils import timezone

from dossiers.champs import get
from tests.dossiers.champs.outils import aller_retour, definition, propre, refus, sorties

MESSAGE_DATE = "Saisissez une date valide au format JJ/MM/AAAA (exemple : 12/03/2026)."


@pytest.mark.parametrize(
    "raw", ["12/03/2026", "2026-03-12", " 2026-03-12 ", datetime.date(2026, 3, 12)]
)
def test_date_input(raw):
    assert propre("date", raw) == "2026-03-12"


@pytest.mark.parametrize(
    "raw",
    ["31/02/2026", "12/03/26", "2026-13-01", "hier", "0026-03-12", 20260312, "12/03/2026\x00"],
)
def test_date_refusals(raw):
    assert refus("date", raw) == MESSAGE_DATE


def test_date_outputs():
    assert sorties("date", "2026-03-12") == (
        "12 mars 2026",
        "2026-03-12",
        "2026-03-12",
        "12 mars 2026",
    )
    assert sorties("date", "2026-08-01")[0] == "1er août 2026"
    assert get("date").from_json("2026-03-12") == datetime.date(2026, 3, 12)
    assert aller_retour("date", "2026-03-12") == "2026-03-12"


def test_fixed_bounds():
    options = {"min": "2026-01-01", "max": "2026-12-31"}
    assert refus("date", "2025-12-31", options=options) == (
        "Saisissez une date à partir du 1er janvier 2026."
    )
    assert refus("date", "2027-01-01", options=options) == (
        "Saisissez une date jusqu’au 31 décembre 2026 au plus tard."
    )
    assert propre("date", "2026-06-15", options=options) == "2026-06-15"


def test_relative_bounds():
    aujourd_hui = timezone.localdate()
    demain = (aujourd_hui + datetime.timedelta(days=1)).isoformat()
    hier = (aujourd_hui - datetime.timedelta(days=1)).isoformat()
    assert (
        refus("date", demain, options={"max_jours": 0}) == "La date ne peut pas être dans le futur."
    )
    assert (
        refus("date", hier, options={"min_jours": 0}) == "La date ne peut pas être dans le passé."
    )
    assert propre("date", aujourd_hui.isoformat(), options={"min_jours": 0, "max_jours": 0})
    dans_un_mois = aujourd_hui + datetime.timedelta(days=30)
    message = refus(
        "date", (dans_un_mois + datetime.timedelta(days=1)).isoformat(), options={"max_jours": 30}
    )
    assert message.startswith("Saisissez une date jusqu’au ")
    champ = get("date").form_field(definition("date", options={"max_jours": 0}))
    assert champ.widget.attrs["max"] == aujourd_hui.isoformat()
    assert champ.widget.input_type == "date"


def test_date_options_are_checked():
    for options in ({"min": "2026-02-01", "max": "2026-01-01"}, {"min_jours": 5, "max_jours": 0}):
        formulaire = get("date").Options(data=options)
        assert not formulaire.is_valid()
        assert "La date au plus tôt doit précéder la date au plus tard." in str(formulaire.errors)
    assert not get("date").Options(data={"min_jours": 10**9}).is_valid()
    formulaire = get("date").Options(data={"min": "01/02/2026"})
    assert formulaire.is_valid() and formulaire.en_json() == {"min": "2026-02-01"}


@pytest.mark.parametrize(
    ("raw", "stocke"),
    [
        ("2026-03-12T10:30", "2026-03-12T09:30:00+00:00"),  # winter: UTC+1
        ("12/07/2026 10:30", "2026-07-12T08:30:00+00:00"),  # summer: UTC+2
        ("2026-03-12T10:30:00+00:00", "2026-03-12T10:30:00+00:00"),
        ("2026-03-12 10:30:15.123456", "2026-03-12T09:30:15+00:00"),
    ],
)
def test_date_time_is_stored_in_utc(raw, stocke):
    assert propre("date_heure", raw) == stocke


def test_date_time_refusals():
    assert refus("date_heure", "demain midi") == (
        "Saisissez une date et une heure valides au format JJ/MM/AAAA HH:MM (exemple : 12/03/2026 14:30)."
    )
    assert refus("date_heure", "0001-01-01T00:00:00+01:00").startswith("Saisissez une date")
    assert refus("date_heure", 1234).startswith("Saisissez une date")
    # 2:30 does not exist in Paris on the morning summer time starts.
    assert refus("date_heure", "2026-03-29T02:30") == (
        "Cette heure n’existe pas ou existe deux fois ce jour-là, à cause du changement d’heure : choisissez une autre heure."
    )


def test_date_time_outputs_in_paris_time():
    assert sorties("date_heure", "2026-03-12T09:30:00+00:00") == (
        "12 mars 2026 à 10 h 30",
        "2026-03-12 10:30",
        "2026-03-12 10:30",
        "12 mars 2026 à 10 h 30",
    )
    assert sorties("date_heure", "2026-07-01T07:05:00+00:00")[0] == "1er juillet 2026 à 9 h 05"
    valeur = get("date_heure").from_json("2026-03-12T09:30:00+00:00")
    assert valeur == datetime.datetime(2026, 3, 12, 9, 30, tzinfo=datetime.UTC)
    assert aller_retour("date_heure", "2026-03-12T09:30:00+00:00") == "2026-03-12T09:30:00+00:00"
    # A naive value (never written by clean) is shown as stored rather than guessed.
    assert sorties("date_heure", "2026-03-12T09:30:00")[0] == "2026-03-12T09:30:00"


AGE = {"champ_source": "naissance"}


@pytest.mark.parametrize(
    ("naissance", "age"),
    [
        ("1984-03-12", 42),  # birthday today
        ("1984-03-13", 41),  # tomorrow
        ("2025-03-13", 0),
        ("2024-02-29", 2),
        ("2026-03-13", None),  # in the future
        ("", None),
        ("pas une date", None),
        (None, None),
    ],
)
def test_age_is_computed_from_the_birth_date(naissance, age):
    donnees = {"naissance": naissance, "autre": "x"}
    champ = definition("age", options=AGE)
    assert get("age").calculer(champ, donnees, aujourd_hui=datetime.date(2026, 3, 12)) == age


def test_age_is_not_typed_and_displays_in_years():
    champ = get("age").form_field(definition("age", options=AGE, obligatoire=True))
    assert champ.disabled and not champ.required
    assert champ.help_text == "Calculé à partir de la date de naissance."
    assert propre("age", 42, options=AGE) == 42
    assert refus("age", -1, options=AGE) == "L’âge ne peut pas être négatif."
    assert (
        refus("age", "quarante", options=AGE)
        == "L’âge est un nombre entier d’années (exemple : 42)."
    )
    assert sorties("age", 42, options=AGE) == ("42 ans", 42, 42, "42 ans")
    assert sorties("age", 1, options=AGE)[0] == "1 an"
    assert sorties("age", 0, options=AGE)[0] == "0 an"
    assert not get("age").est_vide(0)
    assert aller_retour("age", 7) == 7


def test_age_needs_its_source_field():
    formulaire = get("age").Options(data={})
    assert not formulaire.is_valid()
    assert "champ_source" in formulaire.errors


def test_date_time_at_the_edge_of_the_calendar_is_shown_as_stored():
    """Found by the property test: a stored 9999-12-31 at UTC-12 cannot be put in Paris time."""
    assert sorties("date_heure", "9999-12-31T01:01:00-12:00")[0] == "9999-12-31T01:01:00-12:00"
