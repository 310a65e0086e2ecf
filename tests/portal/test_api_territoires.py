"""The field-type endpoints: /api/adresses/, /api/communes/, /api/epci/ (JSON, public)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _get(client, nom, **params):
    reponse = client.get(reverse(f"portal:{nom}"), params)
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json"
    return reponse.json()


def test_addresses_need_three_characters(client):
    assert _get(client, "api_adresses", q="10") == {
        "resultats": [],
        "message": "Saisissez au moins 3 caractères.",
    }
    assert _get(client, "api_adresses")["resultats"] == []


def test_addresses_come_from_the_ban_adapter(client):
    resultats = _get(client, "api_adresses", q="10 rue")["resultats"]
    assert 1 <= len(resultats) <= 8
    assert all(r["numero"] == "10" for r in resultats)
    premiere = _get(client, "api_adresses", q="12 rue des TANNEURS")["resultats"][0]
    assert premiere["label"] == "12 Rue des Tanneurs 18240 Belleville-sur-Loire"
    assert premiere["numero_voie"] == "12 Rue des Tanneurs"
    assert premiere["code_insee"] == "18026"
    assert isinstance(premiere["lon"], float) and isinstance(premiere["lat"], float)


def test_addresses_without_accents_or_in_one_commune(client):
    eglise = _get(client, "api_adresses", q="rue de l eglise")["resultats"]
    assert eglise and all(r["voie"] == "Rue de l’Église" for r in eglise)
    nantes = _get(client, "api_adresses", q="rue", commune="44109")["resultats"]
    assert nantes and {r["commune"] for r in nantes} == {"Nantes"}


def test_no_address_found(client):
    assert _get(client, "api_adresses", q="zzz introuvable") == {
        "resultats": [],
        "message": "Aucune suggestion : vérifiez la saisie ou continuez à la main.",
    }


def test_communes_by_name_postcode_or_code(client):
    assert _get(client, "api_communes", q="n") == {
        "resultats": [],
        "message": "Saisissez au moins 2 caractères.",
    }
    nantes = _get(client, "api_communes", q="nantes")["resultats"][0]
    assert nantes == {
        "code": "44109",
        "libelle": "Nantes (44000)",
        "nom": "Nantes",
        "departement": "44",
        "codes_postaux": ["44000", "44100", "44200", "44300"],
    }
    assert _get(client, "api_communes", q="44000")["resultats"][0]["code"] == "44109"
    assert _get(client, "api_communes", q="44109")["resultats"][0]["code"] == "44109"
    # Accents and hyphens do not matter; the most populated come first; 8 at most.
    saint = _get(client, "api_communes", q="saint etie")["resultats"]
    assert saint[0]["libelle"] == "Saint-Étienne (42000)"
    assert len(_get(client, "api_communes", q="saint")["resultats"]) == 8


def test_communes_filtered_by_departement_or_region(client):
    loiret = _get(client, "api_communes", q="saint", departement="45")["resultats"]
    assert loiret and {r["departement"] for r in loiret} == {"45"}
    reunion = _get(client, "api_communes", q="saint-denis", region="04")["resultats"]
    assert [r["code"] for r in reunion] == ["97411"]
    assert _get(client, "api_communes", q="zzzz")["resultats"] == []


def test_epci(client):
    resultats = _get(client, "api_epci", q="nantes metro")["resultats"]
    assert resultats == [{"code": "244400404", "libelle": "Nantes Métropole", "type": "METRO"}]
    assert _get(client, "api_epci", q="244400404")["resultats"][0]["code"] == "244400404"
    assert len(_get(client, "api_epci", q="cc")["resultats"]) == 8


def test_post_is_refused(client):
    assert client.post(reverse("portal:api_communes"), {"q": "nantes"}).status_code == 405


def test_answers_are_cacheable(client):
    reponse = client.get(reverse("portal:api_communes"), {"q": "nantes"})
    assert "max-age=86400" in reponse["Cache-Control"]


def test_suggestions_read_no_database(client, django_assert_num_queries):
    """The session middleware aside (anonymous: no query), the answers come from memory."""
    with django_assert_num_queries(0):
        client.get(reverse("portal:api_communes"), {"q": "nantes"})
        client.get(reverse("portal:api_epci"), {"q": "nantes"})
        client.get(reverse("portal:api_adresses"), {"q": "10 rue"})
