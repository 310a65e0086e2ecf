"""The Base Adresse Nationale (BAN) behind an adapter chosen by settings.

    rechercher(q, limite=8, code_insee=None) -> list[Adresse]   (autocomplete)
    geocoder(numero_voie, code_postal, commune) -> Adresse | None

`GUICHET_BAN_ADAPTER` is the dotted path of the adapter class: `BanLocale` (a fictional
but realistic address set of the demo commune and a few others, searched in memory: dev,
tests, demo) or `BanApi` (the public API at `GUICHET_BAN_URL`, production). The real
adapter never raises: an API that is down, slow or answers nonsense gives no suggestion,
and the address field falls back to what the usager types.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from common.text import fold

logger = logging.getLogger(__name__)

LIMITE_MAX = 20
LONGUEUR_MIN = 3  # the API refuses shorter queries; so does the portal endpoint
LONGUEUR_MAX = 200
SCORE_MIN_GEOCODAGE = 0.5  # below, a geocoding answer is a guess, not this address


@dataclass(frozen=True)
class Adresse:
    label: str  # "12 Rue des Tanneurs 18240 Belleville-sur-Loire"
    numero: str  # "12", "12 bis", "" for a street or a locality
    voie: str  # "Rue des Tanneurs"
    code_postal: str
    commune: str
    code_insee: str
    lon: float
    lat: float
    ban_id: str
    score: float = 1.0

    @property
    def numero_voie(self) -> str:
        return f"{self.numero} {self.voie}".strip()

    def en_json(self) -> dict[str, Any]:
        return {**asdict(self), "numero_voie": self.numero_voie}


class AdaptateurBan(Protocol):
    def rechercher(
        self, q: str, limite: int = 8, code_insee: str | None = None
    ) -> list[Adresse]: ...

    def geocoder(self, numero_voie: str, code_postal: str, commune: str) -> Adresse | None: ...


def _requete_valide(q: str) -> str | None:
    q = " ".join((q or "").split())
    return q if LONGUEUR_MIN <= len(q) <= LONGUEUR_MAX else None


def _meilleure(resultats: list[Adresse], code_postal: str) -> Adresse | None:
    for adresse in resultats:
        if adresse.score >= SCORE_MIN_GEOCODAGE and (
            not code_postal or adresse.code_postal == code_postal
        ):
            return adresse
    return None


# --- the real API ----------------------------------------------------------------------


class BanApi:
    """https://api-adresse.data.gouv.fr (`GET /search/?q=…&limit=…&citycode=…`): a GeoJSON
    FeatureCollection whose features carry `properties` (label, score, housenumber,
    street, name, postcode, city, citycode, id, banId…) and a Point geometry."""

    def __init__(self, url: str | None = None, timeout: float | None = None) -> None:
        self.url = (url or settings.GUICHET_BAN_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.GUICHET_BAN_TIMEOUT
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise ValueError(f"GUICHET_BAN_URL must be an http(s) URL, not {self.url!r}")

    def rechercher(self, q: str, limite: int = 8, code_insee: str | None = None) -> list[Adresse]:
        q = _requete_valide(q)
        if q is None:
            return []
        parametres = {"q": q, "limit": max(1, min(limite, LIMITE_MAX))}
        if code_insee:
            parametres["citycode"] = code_insee
        reponse = self._get("/search/", parametres)
        return self.lire(reponse) if reponse is not None else []

    def geocoder(self, numero_voie: str, code_postal: str, commune: str) -> Adresse | None:
        q = _requete_valide(f"{numero_voie} {code_postal} {commune}")
        if q is None:
            return None
        parametres: dict[str, Any] = {"q": q, "limit": 1}
        if code_postal:
            parametres["postcode"] = code_postal
        reponse = self._get("/search/", parametres)
        return _meilleure(self.lire(reponse), code_postal) if reponse is not None else None

    def _get(self, chemin: str, parametres: dict[str, Any]) -> Any:
        url = f"{self.url}{chemin}?{urllib.parse.urlencode(parametres)}"
        requete = urllib.request.Request(  # noqa: S310  (scheme checked in __init__)
            url, headers={"Accept": "application/json", "User-Agent": "Guichet"}
        )
        try:
            with urllib.request.urlopen(requete, timeout=self.timeout) as reponse:  # noqa: S310
                return json.loads(reponse.read(1_000_000).decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as erreur:
            logger.warning("BAN indisponible (%s) : %s", url, erreur)
            return None

    @staticmethod
    def lire(geojson: Any) -> list[Adresse]:
        """The API's FeatureCollection → Adresse objects; malformed features are skipped."""
        features = geojson.get("features") if isinstance(geojson, dict) else None
        resultats = []
        for feature in features if isinstance(features, list) else []:
            try:
                proprietes = feature["properties"]
                lon, lat = (float(x) for x in feature["geometry"]["coordinates"][:2])
                numero = str(proprietes.get("housenumber") or "")
                voie = str(
                    proprietes.get("street")
                    or (proprietes.get("name") if proprietes.get("type") != "municipality" else "")
                    or ""
                )
                resultats.append(
                    Adresse(
                        label=str(proprietes["label"]),
                        numero=numero,
                        voie=voie,
                        code_postal=str(proprietes.get("postcode") or ""),
                        commune=str(proprietes.get("city") or ""),
                        code_insee=str(proprietes.get("citycode") or ""),
                        lon=lon,
                        lat=lat,
                        ban_id=str(proprietes.get("banId") or proprietes.get("id") or ""),
                        score=float(proprietes.get("score") or 0),
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue
        return resultats


# --- the local fake ----------------------------------------------------------------------

# (code INSEE, code postal, commune, lon, lat of the centre, streets (type, name, last n°)).
# Belleville-sur-Loire (Cher) is the demo's commune: its official codes, and the streets of
# the demo's individus and profils; the others are real communes with a few real streets.
_COMMUNES = (
    (
        "18026",
        "18240",
        "Belleville-sur-Loire",
        2.8522,
        47.5014,
        (
            ("Rue", "des Tanneurs", 24),
            ("Allée", "des Tilleuls", 12),
            ("Chemin", "du Moulin", 15),
            ("Place", "de la Mairie", 8),
            ("Grande", "Rue", 40),
            ("Rue", "de la Loire", 30),
            ("Quai", "de la Loire", 18),
            ("Rue", "Jean Jaurès", 26),
            ("Rue", "Victor Hugo", 20),
            ("Avenue", "de la Gare", 22),
            ("Rue", "de l’Église", 14),
            ("Impasse", "des Vignes", 6),
            ("Rue", "des Écoles", 16),
            ("Route", "de Gien", 30),
            ("Rue", "du Port", 12),
            ("Chemin", "des Prés", 10),
            ("Rue", "Pasteur", 18),
            ("Boulevard", "de la République", 24),
            ("Rue", "des Mariniers", 14),
            ("Allée", "des Peupliers", 8),
            ("Rue", "du Château", 12),
            ("Place", "du Marché", 10),
        ),
    ),
    (
        "45234",
        "45000",
        "Orléans",
        1.9086,
        47.9029,
        (
            ("Rue", "Jeanne d’Arc", 30),
            ("Rue", "de Bourgogne", 20),
            ("Place", "du Martroi", 10),
            ("Rue", "Royale", 20),
        ),
    ),
    (
        "45155",
        "45500",
        "Gien",
        2.6319,
        47.6886,
        (("Quai", "Lenoir", 12), ("Rue", "Paul Bert", 10), ("Place", "de la Victoire", 6)),
    ),
    (
        "44109",
        "44000",
        "Nantes",
        -1.5536,
        47.2184,
        (("Rue", "de Strasbourg", 20), ("Quai", "de la Fosse", 20), ("Rue", "Crébillon", 10)),
    ),
    (
        "37261",
        "37000",
        "Tours",
        0.6848,
        47.3941,
        (("Rue", "Nationale", 20), ("Rue", "Colbert", 12)),
    ),
    (
        "75056",
        "75001",
        "Paris",
        2.3470,
        48.8589,
        (("Rue", "de Rivoli", 20), ("Rue", "Saint-Honoré", 12)),
    ),
)


@cache
def _adresses_locales() -> tuple[tuple[Adresse, frozenset[str]], ...]:
    adresses = []
    for code_insee, code_postal, commune, lon, lat, voies in _COMMUNES:
        for i, (genre, nom, dernier) in enumerate(voies, start=1):
            voie = f"{genre} {nom}"
            for numero in range(1, dernier + 1):
                label = f"{numero} {voie} {code_postal} {commune}"
                adresse = Adresse(
                    label=label,
                    numero=str(numero),
                    voie=voie,
                    code_postal=code_postal,
                    commune=commune,
                    code_insee=code_insee,
                    lon=round(lon + (i - 10) * 0.0011 + numero * 0.00004, 6),
                    lat=round(lat + ((i * 7) % 13 - 6) * 0.0009 + numero * 0.00002, 6),
                    ban_id=f"{code_insee}_{i:04d}_{numero:05d}",
                )
                adresses.append((adresse, frozenset(fold(label).split())))
    return tuple(adresses)


class BanLocale:
    """The fake: every word typed must start a word of the address (accents and case
    ignored; a number must be the house number exactly). No network, deterministic."""

    def rechercher(self, q: str, limite: int = 8, code_insee: str | None = None) -> list[Adresse]:
        q = _requete_valide(q)
        if q is None:
            return []
        mots = fold(q).split()
        trouvees = []
        for adresse, mots_adresse in _adresses_locales():
            if code_insee and adresse.code_insee != code_insee:
                continue
            if all(
                (mot in mots_adresse)
                if mot.isdigit()
                else any(m.startswith(mot) for m in mots_adresse)
                for mot in mots
            ):
                score = round(min(1.0, 0.4 + 0.6 * len(mots) / len(mots_adresse)), 4)
                trouvees.append(Adresse(**{**asdict(adresse), "score": score}))
        trouvees.sort(key=lambda a: (-a.score, a.commune, a.voie, int(a.numero or 0)))
        return trouvees[: max(1, min(limite, LIMITE_MAX))]

    def geocoder(self, numero_voie: str, code_postal: str, commune: str) -> Adresse | None:
        resultats = self.rechercher(f"{numero_voie} {code_postal} {commune}", limite=1)
        return _meilleure(resultats, code_postal)


# --- what callers use ----------------------------------------------------------------------


@cache
def _adaptateur(chemin: str) -> AdaptateurBan:
    return import_string(chemin)()


def adaptateur() -> AdaptateurBan:
    return _adaptateur(settings.GUICHET_BAN_ADAPTER)


def rechercher(q: str, limite: int = 8, code_insee: str | None = None) -> list[Adresse]:
    return adaptateur().rechercher(q, limite=limite, code_insee=code_insee)


def geocoder(numero_voie: str, code_postal: str = "", commune: str = "") -> Adresse | None:
    return adaptateur().geocoder(numero_voie, code_postal, commune)
