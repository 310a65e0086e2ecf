"""The official territorial lists (COG): communes, départements, régions, EPCI.

Read from `territoires.json.gz` (see README.md beside it) once per process, on first use
(`territoires()`), never when the registry is imported. Searches compare folded words
(`common.text.search_words`: no case, no accents, hyphens and apostrophes as spaces).
"""

import gzip
import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from common.text import search_words

FICHIER = Path(__file__).resolve().parent / "territoires.json.gz"
ZONES_DEPARTEMENTS = ("metro", "drom")  # the 101 départements and 18 régions
_CODE_COMMUNE = re.compile(r"[0-9][0-9ab][0-9]{3}")  # 2A004: Corsica
_SIREN = re.compile(r"[0-9]{9}")


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    nom: str
    zone: str

    @property
    def libelle(self) -> str:
        return self.nom


@dataclass(frozen=True, slots=True)
class Departement:
    code: str
    nom: str
    region: str
    zone: str

    @property
    def libelle(self) -> str:
        return f"{self.code} – {self.nom}"

    @property
    def affichage(self) -> str:
        return f"{self.nom} ({self.code})"


@dataclass(frozen=True, slots=True)
class Commune:
    code: str
    nom: str
    departement: str
    region: str
    codes_postaux: tuple[str, ...]
    epci: str
    population: int
    cle: str  # search_words(nom)

    @property
    def libelle(self) -> str:
        """What a suggestion shows and what the text input holds once picked."""
        return f"{self.nom} ({self.codes_postaux[0]})" if self.codes_postaux else self.nom

    @property
    def affichage(self) -> str:
        return f"{self.nom} ({self.departement})"


@dataclass(frozen=True, slots=True)
class Epci:
    siren: str
    nom: str
    type: str
    departements: frozenset[str]
    regions: frozenset[str]
    cle: str

    @property
    def code(self) -> str:
        return self.siren

    @property
    def libelle(self) -> str:
        return self.nom

    affichage = libelle


class Territoires:
    def __init__(self, donnees: dict) -> None:
        self.source = donnees["source"]
        self.millesime = donnees["millesime"]
        self.regions = {code: Region(code, nom, zone) for code, nom, zone in donnees["regions"]}
        self.departements = {
            code: Departement(code, nom, region, zone)
            for code, nom, region, zone in donnees["departements"]
        }
        self.communes = {
            ligne[0]: Commune(
                code=ligne[0],
                nom=ligne[1],
                departement=ligne[2],
                region=ligne[3],
                codes_postaux=tuple(ligne[4]),
                epci=ligne[5],
                population=ligne[6],
                cle=search_words(ligne[1]),
            )
            for ligne in donnees["communes"]
        }
        membres: dict[str, list[Commune]] = {}
        for commune in self.communes.values():
            membres.setdefault(commune.epci, []).append(commune)
        self.epci = {
            siren: Epci(
                siren=siren,
                nom=nom,
                type=type_,
                departements=frozenset(c.departement for c in membres.get(siren, ())),
                regions=frozenset(c.region for c in membres.get(siren, ())),
                cle=search_words(nom),
            )
            for siren, nom, type_ in donnees["epci"]
        }
        # Indexes: names sorted (a prefix is a slice found by bisection), postcodes.
        self._par_nom = sorted(self.communes.values(), key=lambda c: (c.cle, c.code))
        self._cles = [c.cle for c in self._par_nom]
        self._par_cp: dict[str, list[Commune]] = {}
        for commune in self.communes.values():
            for code_postal in commune.codes_postaux:
                self._par_cp.setdefault(code_postal, []).append(commune)
        self._cps = sorted(self._par_cp)

    @cached_property
    def departements_metropole_outre_mer(self) -> list[Departement]:
        return [d for d in self.departements.values() if d.zone in ZONES_DEPARTEMENTS]

    @cached_property
    def regions_metropole_outre_mer(self) -> list[Region]:
        return sorted(
            (r for r in self.regions.values() if r.zone in ZONES_DEPARTEMENTS),
            key=lambda r: search_words(r.nom),
        )

    # --- communes --------------------------------------------------------------------------

    def communes_candidates(
        self, texte: str, *, departement: str = "", region: str = "", prefixe: bool = False
    ) -> list[Commune]:
        """The communes a typed text may mean, most populated first: "Nantes", "nantes 44",
        "Nantes (44000)", "44109" (INSEE code), "44000" (postcode), "saint denis 93".
        An INSEE code wins over a postcode, an exact name over a name prefix (unless
        `prefixe`: every name starting with the text, for suggestions)."""
        mots = search_words(texte).split()
        if not mots:
            return []
        codes = [m for m in mots if _CODE_COMMUNE.fullmatch(m)]
        nombres = [m for m in mots if m.isdigit() and m not in codes]
        nom = " ".join(m for m in mots if m not in codes and m not in nombres)
        if len(codes) + len(nombres) > 1:
            return []  # "44000 45000": no commune has both
        pool: list[Commune] | None = None
        if codes:
            code = codes[0].upper()
            pool = [self.communes[code]] if code in self.communes else self._par_cp.get(code, [])
        elif nombres:
            debut = nombres[0]
            i = bisect_left(self._cps, debut)
            j = bisect_left(self._cps, debut + "a")
            trouvees = {c.code: c for cp in self._cps[i:j] for c in self._par_cp[cp]}
            trouvees |= {c.code: c for c in self.communes.values() if c.departement == debut}
            pool = list(trouvees.values())
        if nom:
            if pool is None:
                i = bisect_left(self._cles, nom)
                j = bisect_left(self._cles, nom + "\uffff")
                pool = self._par_nom[i:j]
            exacts = [] if prefixe else [c for c in pool if c.cle == nom]
            pool = exacts or [c for c in pool if c.cle.startswith(nom)]
        return sorted(
            (
                c
                for c in pool or ()
                if (not departement or c.departement == departement)
                and (not region or c.region == region)
            ),
            key=lambda c: (-c.population, c.code),
        )

    def communes_suggerees(
        self, texte: str, *, limite: int = 8, departement: str = "", region: str = ""
    ) -> list[Commune]:
        """Autocomplete: exact names first, then name prefixes, by population."""
        candidates = self.communes_candidates(
            texte, departement=departement, region=region, prefixe=True
        )
        nom = " ".join(m for m in search_words(texte).split() if not m[:1].isdigit())
        candidates.sort(key=lambda c: (c.cle != nom, -c.population))
        return candidates[:limite]

    def communes_du_code_postal(self, code_postal: str) -> list[Commune]:
        """Every commune sharing a postal code (several for many rural codes)."""
        return list(self._par_cp.get(code_postal, ()))

    # --- EPCI ------------------------------------------------------------------------------

    def epci_candidats(self, texte: str, *, departement: str = "", region: str = "") -> list[Epci]:
        """By SIREN, exact name, or every typed word starting a word of the name."""
        cle = search_words(texte)
        if not cle:
            return []
        pool = [
            e
            for e in self.epci.values()
            if (not departement or departement in e.departements)
            and (not region or region in e.regions)
        ]
        if _SIREN.fullmatch(cle):
            return [e for e in pool if e.siren == cle]
        exacts = [e for e in pool if e.cle == cle]
        if exacts:
            return exacts
        mots = cle.split()
        return sorted(
            (e for e in pool if all(any(m.startswith(t) for m in e.cle.split()) for t in mots)),
            key=lambda e: e.cle,
        )


@cache
def territoires() -> Territoires:
    with gzip.open(FICHIER, "rt", encoding="utf-8") as fichier:
        return Territoires(json.load(fichier))
