"""The Base Adresse Nationale adapters: the real one against a recorded answer of the API
(urllib mocked: nothing reaches the internet), the local fake, and the choice by settings."""

import io
import json
import urllib.error
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest

from common import adresses
from common.adresses import Adresse, BanApi, BanLocale

ENREGISTREE = (Path(__file__).parent / "ban_search.json").read_bytes()


class _Reponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


@pytest.fixture
def urlopen():
    with mock.patch("common.adresses.urllib.request.urlopen") as faux:
        faux.return_value = _Reponse(ENREGISTREE)
        yield faux


def _parametres(urlopen) -> tuple[str, dict[str, list[str]], float]:
    requete = urlopen.call_args.args[0]
    url = urlsplit(requete.full_url)
    return url.path, parse_qs(url.query), urlopen.call_args.kwargs["timeout"]


def test_real_adapter_reads_the_geojson_answer(urlopen):
    api = BanApi(url="https://api-adresse.data.gouv.fr/", timeout=2)
    resultats = api.rechercher("10 rue de Strasbourg Nantes", limite=5, code_insee="44109")

    chemin, parametres, timeout = _parametres(urlopen)
    assert chemin == "/search/"
    assert parametres == {
        "q": ["10 rue de Strasbourg Nantes"],
        "limit": ["5"],
        "citycode": ["44109"],
    }
    assert timeout == 2
    # The feature without geometry is skipped; a street and a municipality are read too.
    assert [r.label for r in resultats] == [
        "10 Rue de Strasbourg 44000 Nantes",
        "Rue de Strasbourg 44000 Nantes",
        "Nantes",
    ]
    premiere = resultats[0]
    assert premiere == Adresse(
        label="10 Rue de Strasbourg 44000 Nantes",
        numero="10",
        voie="Rue de Strasbourg",
        code_postal="44000",
        commune="Nantes",
        code_insee="44109",
        lon=-1.556208,
        lat=47.213573,
        ban_id="3a5bd0d5-3c2d-4ab8-a5e4-1bd6bd2b6d2f",
        score=0.9713636363636363,
    )
    assert premiere.numero_voie == "10 Rue de Strasbourg"
    assert resultats[1].numero_voie == "Rue de Strasbourg"
    assert resultats[1].ban_id == "44109_5880"  # no banId: the interoperability key
    assert resultats[2].voie == "" and resultats[2].commune == "Nantes"


def test_real_adapter_geocodes_with_the_postcode_and_a_minimal_score(urlopen):
    api = BanApi(url="https://api-adresse.data.gouv.fr", timeout=2)
    trouvee = api.geocoder("10 rue de Strasbourg", "44000", "Nantes")
    assert trouvee.lon == -1.556208
    _chemin, parametres, _timeout = _parametres(urlopen)
    assert parametres["q"] == ["10 rue de Strasbourg 44000 Nantes"]
    assert parametres["postcode"] == ["44000"]
    assert parametres["limit"] == ["1"]
    # Another postcode than the answers': no geolocation rather than a wrong one.
    urlopen.return_value = _Reponse(ENREGISTREE)
    assert api.geocoder("10 rue de Strasbourg", "44100", "Nantes") is None


def test_real_adapter_does_not_ask_for_too_short_queries(urlopen):
    assert BanApi(url="https://ban.exemple.fr", timeout=1).rechercher("10") == []
    assert not urlopen.called


@pytest.mark.parametrize(
    "panne",
    [
        urllib.error.URLError("Name or service not known"),
        TimeoutError("timed out"),
        ConnectionRefusedError(),
        ConnectionResetError(),
    ],
)
def test_real_adapter_fails_gracefully(urlopen, panne):
    """Down or slow: no suggestion and no geolocation, never an exception."""
    urlopen.side_effect = panne
    api = BanApi(url="https://api-adresse.data.gouv.fr", timeout=1)
    assert api.rechercher("10 rue de Strasbourg") == []
    assert api.geocoder("10 rue de Strasbourg", "44000", "Nantes") is None


@pytest.mark.parametrize(
    "corps",
    [b"<html>502 Bad Gateway</html>", b"{}", b"[]", b'{"features": "x"}', b"\xff\xfe"],
)
def test_real_adapter_ignores_an_unexpected_answer(urlopen, corps):
    urlopen.return_value = _Reponse(corps)
    assert BanApi(url="https://api-adresse.data.gouv.fr", timeout=1).rechercher("10 rue") == []


def test_real_adapter_refuses_a_non_http_url():
    with pytest.raises(ValueError, match="http"):
        BanApi(url="file:///etc/passwd", timeout=1)


def test_real_adapter_reads_its_settings(settings, urlopen):
    settings.GUICHET_BAN_URL = "https://ban.exemple.fr/"
    settings.GUICHET_BAN_TIMEOUT = 1.5
    BanApi().rechercher("10 rue de Strasbourg")
    requete = urlopen.call_args.args[0]
    assert requete.full_url.startswith("https://ban.exemple.fr/search/?")
    assert urlopen.call_args.kwargs["timeout"] == 1.5


def test_fake_finds_the_demo_commune_addresses_without_accents_or_case():
    resultats = BanLocale().rechercher("10 rue")
    assert 1 <= len(resultats) <= 8
    assert all(r.numero == "10" and "Rue" in r.voie for r in resultats)
    eglise = BanLocale().rechercher("3 RUE DE L EGLISE")
    assert eglise[0].label == "3 Rue de l’Église 18240 Belleville-sur-Loire"
    assert eglise[0].code_insee == "18026"
    assert eglise[0].ban_id == "18026_0011_00003"
    assert BanLocale().rechercher("tanneurs", limite=3)[0].voie == "Rue des Tanneurs"
    assert len(BanLocale().rechercher("tanneurs", limite=3)) == 3


def test_fake_has_a_few_hundred_addresses_and_other_communes():
    toutes = adresses._adresses_locales()
    assert len([a for a, _mots in toutes if a.code_insee == "18026"]) >= 300
    assert {a.commune for a, _mots in toutes} >= {"Belleville-sur-Loire", "Orléans", "Nantes"}
    assert len({a.ban_id for a, _mots in toutes}) == len(toutes)


def test_fake_filters_by_commune_and_geocodes():
    assert {r.commune for r in BanLocale().rechercher("rue", code_insee="44109")} == {"Nantes"}
    trouvee = BanLocale().geocoder("12 rue des Tanneurs", "18240", "Belleville-sur-Loire")
    assert trouvee.label == "12 Rue des Tanneurs 18240 Belleville-sur-Loire"
    assert BanLocale().geocoder("999 rue des Tanneurs", "18240", "Belleville-sur-Loire") is None
    assert BanLocale().geocoder("12 rue des Tanneurs", "75001", "Paris") is None
    assert BanLocale().rechercher("ab") == []
    assert BanLocale().rechercher("zzz introuvable") == []


def test_the_adapter_is_chosen_by_settings(settings, urlopen):
    assert isinstance(adresses.adaptateur(), BanLocale)
    assert adresses.rechercher("10 rue des tanneurs")[0].code_postal == "18240"
    assert not urlopen.called
    settings.GUICHET_BAN_ADAPTER = "common.adresses.BanApi"
    assert isinstance(adresses.adaptateur(), BanApi)
    assert adresses.rechercher("10 rue de Strasbourg")[0].commune == "Nantes"
    assert urlopen.called


def test_an_address_as_json_for_the_page():
    adresse = BanLocale().rechercher("12 rue des tanneurs")[0]
    assert json.loads(json.dumps(adresse.en_json())) == {
        "label": "12 Rue des Tanneurs 18240 Belleville-sur-Loire",
        "numero": "12",
        "voie": "Rue des Tanneurs",
        "numero_voie": "12 Rue des Tanneurs",
        "code_postal": "18240",
        "commune": "Belleville-sur-Loire",
        "code_insee": "18026",
        "lon": adresse.lon,
        "lat": adresse.lat,
        "ban_id": "18026_0001_00012",
        "score": adresse.score,
    }
