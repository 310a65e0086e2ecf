"""commune, departement, region, epci, pays: official codes stored, names displayed; the
shipped data file (COG 2026) is complete and consistent."""

import gzip
import json
import os
import re
import subprocess
import sys

import pytest
from django import forms

from dossiers.champs import get
from dossiers.champs.donnees import FICHIER, territoires
from dossiers.formules import evaluer_condition
from dossiers.formules.conditions import nature_du_type, valider_condition
from tests.dossiers.champs.outils import aller_retour, definition, propre, refus, sorties

# --- the data file -----------------------------------------------------------------------


def test_the_data_file_is_complete_and_consistent():
    t = territoires()
    metro_drom = [c for c in t.communes.values() if t.departements[c.departement].zone != "com"]
    assert 34_800 <= len(metro_drom) <= 35_100
    assert len(t.departements_metropole_outre_mer) == 101
    assert len(t.regions_metropole_outre_mer) == 18
    assert 1_200 <= len(t.epci) <= 1_300
    assert t.millesime == 2026
    for commune in t.communes.values():
        assert commune.departement in t.departements, commune
        assert commune.region in t.regions, commune
        assert t.departements[commune.departement].region == commune.region, commune
        assert not commune.epci or commune.epci in t.epci, commune
    assert all(d.region in t.regions for d in t.departements.values())
    # Nearly every commune of metropolitan France and overseas belongs to an EPCI.
    assert sum(1 for c in metro_drom if c.epci) >= len(metro_drom) - 10
    assert t.communes["44109"].nom == "Nantes"
    assert t.communes["2A004"].nom == "Ajaccio"
    assert "75001" in t.communes["75056"].codes_postaux
    assert t.epci["244400404"].nom == "Nantes Métropole"


def test_the_data_file_stays_small():
    assert FICHIER.stat().st_size < 1_000_000
    with gzip.open(FICHIER, "rt", encoding="utf-8") as fichier:
        assert set(json.load(fichier)) == {
            "source",
            "millesime",
            "regions",
            "departements",
            "communes",
            "epci",
        }


def test_the_data_is_not_read_when_the_registry_is_imported():
    """Loaded on first use, once per process: importing the types costs nothing."""
    code = (
        "import django; django.setup(); from dossiers import champs; champs.types(); "
        "from dossiers.champs.donnees import territoires; "
        "print(territoires.cache_info().currsize)"
    )
    sortie = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        # The suite's server (with none, settings would start an embedded one as root).
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PATH": "",
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        },
    )
    assert sortie.stdout.strip() == "0"


# --- commune -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "saisie", ["Nantes", "nantes", "NANTES 44", "Nantes (44000)", "44109", "44000", " nantes  "]
)
def test_commune_is_resolved_from_what_is_typed(saisie):
    assert propre("commune", saisie) == "44109"


def test_commune_accents_hyphens_and_corsica():
    assert propre("commune", "saint etienne") == "42218"
    assert propre("commune", "Saint-Étienne") == "42218"
    assert propre("commune", "2a004") == "2A004"
    assert propre("commune", "Orleans") == "45234"


def test_commune_with_several_matches_lists_them():
    message = refus("commune", "Saint-Denis")
    assert message.startswith("Plusieurs communes correspondent à « Saint-Denis » : ")
    assert "Saint-Denis (93200)" in message and "Saint-Denis (97400)" in message
    assert "Précisez en ajoutant le code postal" in message
    assert propre("commune", "Saint-Denis 93200") == "93066"
    assert propre("commune", "saint denis 93") == "93066"
    beaucoup = refus("commune", "Saint")
    assert len(re.findall(r"\([0-9]{5}\)", beaucoup)) == 10
    assert re.search(r" et [0-9]{4} autres\. Précisez", beaucoup)


def test_commune_unknown_or_malformed():
    assert refus("commune", "Zzzville") == (
        "Aucune commune ne correspond à « Zzzville » : vérifiez l’orthographe, ou saisissez "
        "son code postal."
    )
    assert "Aucune commune" in refus("commune", "99999")
    assert refus("commune", ["44109"]) == (
        "Cette valeur n’est pas valide : une seule réponse est attendue."
    )
    assert refus("commune", "", obligatoire=True) == "Ce champ est obligatoire."
    assert propre("commune", "") is None


def test_commune_restricted_to_a_departement_or_a_region():
    loiret = {"departement": "45"}
    assert propre("commune", "Orléans", options=loiret) == "45234"
    assert "Aucune commune" in refus("commune", "Nantes", options=loiret)
    assert "Aucune commune" in refus("commune", "44109", options=loiret)
    # Several Saint-Denis in France, one in La Réunion.
    assert propre("commune", "Saint-Denis", options={"region": "04"}) == "97411"


def test_commune_outputs():
    assert sorties("commune", "44109") == ("Nantes (44)", "Nantes (44)", "44109", "Nantes")
    # A code no longer in the COG (a merged commune) is shown as it is.
    assert sorties("commune", "99999") == ("99999", "99999", "99999", "99999")
    assert aller_retour("commune", "44109") == "44109"


def test_commune_input_shows_the_name_and_carries_the_code():
    champ = get("commune").form_field(definition("commune", options={"departement": "44"}))
    html = str(type("F", (forms.Form,), {"champ": champ})(initial={"champ": "44109"}))
    assert 'value="Nantes (44000)"' in html
    assert 'name="champ__code" value="44109" data-champ="champ"' in html
    assert 'data-territoire="/api/communes/"' in html
    assert 'data-filtre-departement="44"' in html


# --- département, région, pays, EPCI -------------------------------------------------------


def test_departement():
    assert propre("departement", "44") == "44"
    assert propre("departement", "2A") == "2A"
    assert propre("departement", "971") == "971"
    assert "ne fait pas partie de la liste" in refus("departement", "975")  # a COM
    assert "ne fait pas partie de la liste" in refus("departement", "44", options={"region": "24"})
    assert propre("departement", "45", options={"region": "24"}) == "45"
    assert sorties("departement", "44") == (
        "Loire-Atlantique (44)",
        "Loire-Atlantique (44)",
        "44",
        "Loire-Atlantique (44)",
    )
    champ = get("departement").form_field(definition("departement"))
    assert len(champ.choices) == 102  # an empty option and the 101 départements
    assert ("44", "44 – Loire-Atlantique") in champ.choices


def test_region():
    assert propre("region", "52") == "52"
    assert sorties("region", "52")[:3] == ("Pays de la Loire", "Pays de la Loire", "52")
    assert len(get("region").form_field(definition("region")).choices) == 19
    assert "ne fait pas partie de la liste" in refus("region", "975")


def test_pays_in_french_stored_as_iso_alpha_2():
    assert propre("pays", "DE") == "DE"
    assert sorties("pays", "DE")[:3] == ("Allemagne", "Allemagne", "DE")
    assert "ne fait pas partie de la liste" in refus("pays", "XX")
    assert "ne fait pas partie de la liste" in refus("pays", "de")
    choix = dict(get("pays").form_field(definition("pays")).choices)
    assert choix["GB"] == "Royaume-Uni" and choix["CI"] == "Côte d'Ivoire"
    assert 240 <= len(choix) <= 260


def test_epci():
    assert propre("epci", "Nantes Métropole") == "244400404"
    assert propre("epci", "nantes metropole") == "244400404"
    assert propre("epci", "244400404") == "244400404"
    assert sorties("epci", "244400404")[:3] == ("Nantes Métropole", "Nantes Métropole", "244400404")
    assert "Plusieurs intercommunalités" in refus("epci", "CC")
    assert "Aucune intercommunalité" in refus("epci", "Zzz")
    assert "Aucune intercommunalité" in refus(
        "epci", "Nantes Métropole", options={"departement": "45"}
    )


def test_admin_options_offer_departements_and_regions():
    options = get("commune").Options(data={"departement": "44", "region": ""})
    assert options.is_valid(), options.errors
    assert options.en_json() == {"departement": "44"}
    assert not get("commune").Options(data={"departement": "99"}).is_valid()


@pytest.mark.parametrize("code", ["commune", "departement", "region", "epci", "pays"])
def test_conditions_compare_codes(code):
    assert nature_du_type(code) == "choix"
    assert valider_condition({"champ": "x", "op": "=", "valeur": "44"}, {"x": code}) == []
    assert (
        valider_condition({"champ": "x", "op": "parmi", "valeur": ["44", "45"]}, {"x": code}) == []
    )
    assert evaluer_condition(
        {"champ": "x", "op": "parmi", "valeur": ["44109", "45234"]}, {"x": "44109"}
    )
    assert not evaluer_condition({"champ": "x", "op": "=", "valeur": "45234"}, {"x": "44109"})
