"""The CRM search (C10): one box for a reference, a name, an email, a phone or a SIRET,
and an advanced form; results grouped by dossiers, individus and profils.

Individus and profils come from the référentiel's own search (usagers/selectors.py:
full-text index over folded words, misspellings corrected against its dictionary).
Dossiers come only through `dossiers_visible_to(agent)`: by reference (a prefix on a
B-tree, a fragment on a trigram index) or by their demandeur found in the référentiel.
Every list is LIMITed, so a search costs the same at any size of the base.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Collate

from common.text import digits
from dossiers.liste import dans_l_ordre
from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from usagers.models import Individu, Profil
from usagers.selectors import (
    CANDIDATES,
    individus_recherche_avancee,
    individus_rechercher,
    profils_recherche_avancee,
    profils_rechercher,
)

LIMITE = 8  # per category on the results page; « voir tout » shows up to LIMITE_TOUT
LIMITE_TOUT = 100
LONGUEUR_MAX = 200  # a longer query is cut: no name nor reference is that long

# "2026-SUB-000123", or its beginning "2026-SUB" / "2026-S" (year, dispositif code, number).
_REFERENCE = re.compile(r"\d{4}-[A-Z0-9_]+(-\d*)?", re.IGNORECASE)
# A fragment of a reference: "SUB-000123", "000123" (at least three characters).
_FRAGMENT = re.compile(r"[A-Z0-9_]*-?\d{3,}", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


class Forme:
    """What the typed text looks like: decides which exact matches come first."""

    VIDE = ""
    REFERENCE = "reference"
    EMAIL = "email"
    TELEPHONE = "telephone"
    SIRET = "siret"
    TEXTE = "texte"


def forme(q: str) -> str:
    q = q.strip()
    if not q:
        return Forme.VIDE
    if _REFERENCE.fullmatch(q):
        return Forme.REFERENCE
    if _EMAIL.fullmatch(q):
        return Forme.EMAIL
    chiffres = digits(q)
    if re.fullmatch(r"[\d\s.+()-]+", q):
        if len(chiffres) in (9, 14):
            return Forme.SIRET  # a SIREN or a SIRET
        if (
            len(chiffres) == 10
            and chiffres.startswith("0")
            or (len(chiffres) == 11 and chiffres.startswith("33"))
        ):
            return Forme.TELEPHONE
    return Forme.TEXTE


@dataclass
class Resultats:
    q: str = ""
    forme: str = Forme.VIDE
    dossiers: list[Dossier] = field(default_factory=list)
    individus: list[Individu] = field(default_factory=list)
    profils: list[Profil] = field(default_factory=list)
    # More than shown: the page offers « voir tout ».
    plus_de_dossiers: bool = False
    plus_d_individus: bool = False
    plus_de_profils: bool = False

    @property
    def vide(self) -> bool:
        return not (self.dossiers or self.individus or self.profils)


def _par_reference(q: str, type_: str) -> Q | None:
    if type_ == Forme.REFERENCE:
        return Q(reference__startswith=q.upper())
    fragment = q.replace(" ", "")
    if _FRAGMENT.fullmatch(fragment):
        return Q(reference__icontains=fragment)  # the trigram index on UPPER(reference)
    return None


def _dossiers(agent, q: str, type_: str, individus, profils) -> QuerySet[Dossier]:
    if type_ == Forme.REFERENCE:
        # A reference's beginning (« 2026-SUB ») may match a whole year of a dispositif:
        # the last references first (they are issued in order), read backwards on the
        # index of the reference in byte order (`dossier_reference_octets`), which
        # serves both the prefix and the order and stops after the first rows, instead
        # of sorting every match by date.
        return (
            dossiers_visible_to(agent)
            .alias(reference_octets=Collate("reference", "C"))
            .filter(reference_octets__startswith=q.upper())
            .order_by("-reference_octets", "-pk")
        )
    condition = _par_reference(q, type_)
    par_demandeur = Q(demandeur_individu_id__in=[i.pk for i in individus]) | Q(
        demandeur_profil_id__in=[p.pk for p in profils]
    )
    condition = par_demandeur if condition is None else condition | par_demandeur
    # Newest first, sorted by an expression of `depose_le` rather than the column: on
    # the column PostgreSQL walked its index backwards, testing every dossier filed
    # since the demandeurs' last ones (10,525 rows at 1,000,000 dossiers for 9 shown,
    # a hundred times those at 10,000); this way it reads the demandeurs' dossiers
    # through their own indexes (at most CANDIDATES individus and profils') and sorts
    # them — a cost that follows the matches, not the table.
    return (
        dossiers_visible_to(agent)
        .filter(condition, depose_le__isnull=False)
        .alias(
            tri_depot=ExpressionWrapper(
                F("depose_le") + Value(datetime.timedelta(0)), output_field=DateTimeField()
            )
        )
        .order_by("-tri_depot", "-pk")
    )


def recherche_rapide(agent, q: str, *, limite: int = LIMITE) -> Resultats:
    """The header's search box. The text's shape picks the exact matches first: a
    reference (its beginning), an email, a phone, a SIRET; any other text is matched
    as words. Individus and profils found also bring the dossiers they filed."""
    q = " ".join((q or "").split())[:LONGUEUR_MAX]
    type_ = forme(q)
    if type_ == Forme.VIDE:
        return Resultats()
    individus: list[Individu] = []
    profils: list[Profil] = []
    if type_ != Forme.REFERENCE:
        # Up to CANDIDATES each: shown LIMITE, all of them used to find their dossiers.
        individus = individus_rechercher(q, limit=CANDIDATES)
        profils = profils_rechercher(q, limit=CANDIDATES)
    trouves = _dossiers(agent, q, type_, individus, profils)
    # The ids first (no join), then their rows: in one statement the rows shown were
    # joined for every match (a name's demandeurs' dossiers, or a reference's beginning
    # kept by a territoire: 469 at 1,000,000 dossiers) before the sort kept the first.
    # The rows by their ids within the agent's scope alone: with the reference's
    # condition kept, the planner walked the reference's index again (5,222 rows).
    ids = list(trouves.values_list("pk", flat=True)[: limite + 1])
    dossiers = dans_l_ordre(dossiers_visible_to(agent), ids)
    return Resultats(
        q=q,
        forme=type_,
        dossiers=dossiers[:limite],
        individus=individus[:limite],
        profils=profils[:limite],
        plus_de_dossiers=len(dossiers) > limite,
        plus_d_individus=len(individus) > limite,
        plus_de_profils=len(profils) > limite,
    )


CATEGORIES = ("dossiers", "individus", "profils")


@dataclass(frozen=True)
class Criteres:
    """The advanced search's criteria, as its form cleaned them."""

    categorie: str = "dossiers"
    nom: str = ""
    prenom: str = ""
    date_naissance: datetime.date | None = None
    commune: str = ""
    dispositif: int | None = None
    statut: str = ""
    depose_du: datetime.date | None = None
    depose_au: datetime.date | None = None

    @property
    def texte(self) -> str:
        return " ".join(t for t in (self.nom, self.prenom, self.commune) if t)


def recherche_avancee(agent, criteres: Criteres, *, limite: int = LIMITE_TOUT) -> Resultats:
    """The advanced form: one category at a time; names, commune and birth date match
    the demandeur for dossiers (accents ignored, misspellings tolerated)."""
    resultats = Resultats(q=criteres.texte, forme=Forme.TEXTE)
    if criteres.categorie == "individus":
        trouves = list(
            individus_recherche_avancee(
                texte=criteres.texte, date_naissance=criteres.date_naissance
            )[: limite + 1]
        )
        resultats.individus, resultats.plus_d_individus = trouves[:limite], len(trouves) > limite
        return resultats
    if criteres.categorie == "profils":
        trouves = list(
            profils_recherche_avancee(texte=" ".join((criteres.nom, criteres.commune)))[
                : limite + 1
            ]
        )
        resultats.profils, resultats.plus_de_profils = trouves[:limite], len(trouves) > limite
        return resultats
    trouves = list(_dossiers_avances(agent, criteres)[: limite + 1])
    resultats.dossiers, resultats.plus_de_dossiers = trouves[:limite], len(trouves) > limite
    return resultats


def _dossiers_avances(agent, criteres: Criteres) -> QuerySet[Dossier]:
    dossiers = dossiers_visible_to(agent)
    if criteres.texte or criteres.date_naissance:
        individus = individus_recherche_avancee(
            texte=criteres.texte, date_naissance=criteres.date_naissance
        ).values_list("pk", flat=True)[:CANDIDATES]
        par_demandeur = Q(demandeur_individu_id__in=list(individus))
        if not criteres.prenom and not criteres.date_naissance:
            # A name alone may be an organisation's.
            profils = profils_recherche_avancee(texte=criteres.texte).values_list("pk", flat=True)[
                :CANDIDATES
            ]
            par_demandeur |= Q(demandeur_profil_id__in=list(profils))
        dossiers = dossiers.filter(par_demandeur)
    if criteres.dispositif:
        dossiers = dossiers.filter(dispositif_id=criteres.dispositif)
    if criteres.statut:
        dossiers = dossiers.filter(statut=criteres.statut)
    if criteres.depose_du:
        dossiers = dossiers.filter(depose_le__date__gte=criteres.depose_du)
    if criteres.depose_au:
        dossiers = dossiers.filter(depose_le__date__lte=criteres.depose_au)
    return dossiers.order_by("-depose_le", "-pk")
