"""Sectorisation (C8): which territoire a dossier belongs to, from its address.

The address is the first « adresse » field of the dossier's form (in the form's order)
holding a value: the BAN data it stores gives the commune's INSEE code, the postal code
and the coordinates; a form without one falls back to the demandeur's address in the
référentiel (profil, else individu: commune and postal code, no coordinates). An address typed by hand without an INSEE code gets one from the
shipped communes (`dossiers.champs.donnees`): the only commune of its postal code, or,
when several communes share it, the one whose name was typed.

The most specific secteur wins: a polygon containing the point, then the commune, then
the postal code (a secteur on a shared postal code may name its commune); among
secteurs of the same kind, the deepest territoire in the tree, then the smallest id.
Nothing matched: no territoire (only agents of the whole collectivité see the dossier).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import BooleanField, F, Func, Q, Value

from common.text import search_words
from dossiers.geometrie import contient
from dossiers.models import Champ, Dossier, Secteur, Territoire

ADRESSE = ("code_postal", "commune", "code_insee")
RANGS = {Secteur.Nature.POLYGONE: 0, Secteur.Nature.COMMUNE: 1, Secteur.Nature.CODE_POSTAL: 2}


@dataclass(frozen=True)
class Localisation:
    code_insee: str = ""
    code_postal: str = ""
    lon: float | None = None
    lat: float | None = None


def _communes():
    from dossiers.champs.donnees import territoires

    return territoires()


def localiser(adresse: dict) -> Localisation:
    """The facts of a stored address that sectorisation uses."""
    if not isinstance(adresse, dict):
        return Localisation()
    code_postal = str(adresse.get("code_postal") or "").strip()
    code_insee = str(adresse.get("code_insee") or "").strip().upper()
    if not code_insee and code_postal:
        candidates = _communes().communes_du_code_postal(code_postal)
        if len(candidates) == 1:
            code_insee = candidates[0].code
        elif candidates:
            nom = search_words(str(adresse.get("commune") or ""))
            memes = [c for c in candidates if c.cle == nom]
            if len(memes) == 1:
                code_insee = memes[0].code
    lon, lat = adresse.get("lon"), adresse.get("lat")
    ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat))
    return Localisation(
        code_insee=code_insee,
        code_postal=code_postal,
        lon=float(lon) if ok else None,
        lat=float(lat) if ok else None,
    )


def noms_adresse(modele_id: int) -> list[str]:
    """The form's « adresse » fields (outside repeatable blocks), in the form's order."""
    champs = Champ.objects.filter(modele_id=modele_id, type="adresse", parent=None)
    champs = champs.order_by("ligne__onglet__ordre", "ligne__ordre", "colonne", "ordre", "pk")
    return list(champs.values_list("nom", flat=True))


def adresse_du_dossier(dossier: Dossier, noms: list[str] | None = None) -> dict | None:
    if noms is None:
        noms = noms_adresse(dossier.modele_id)
    for nom in noms:
        valeur = (dossier.donnees or {}).get(nom)
        if isinstance(valeur, dict) and (valeur.get("code_postal") or valeur.get("code_insee")):
            return valeur
    # No address in the form: the demandeur's (the profil's, else the individu's).
    for demandeur in (dossier.demandeur_profil, dossier.demandeur_individu):
        if demandeur is not None and (demandeur.code_postal or demandeur.code_insee):
            return {
                "code_postal": demandeur.code_postal,
                "commune": demandeur.commune,
                "code_insee": demandeur.code_insee,
            }
    return None


def _profondeurs() -> dict[int, int]:
    parents = dict(Territoire.objects.values_list("pk", "parent_id"))
    profondeurs: dict[int, int] = {}

    def profondeur(pk: int, vus=()) -> int:
        if pk not in profondeurs:
            parent = parents.get(pk)
            profondeurs[pk] = (
                0 if parent is None or parent in vus else 1 + profondeur(parent, (*vus, pk))
            )
        return profondeurs[pk]

    for pk in parents:
        profondeur(pk)
    return profondeurs


def territoire_pour(
    localisation: Localisation, profondeurs: dict[int, int] | None = None
) -> int | None:
    """The id of the territoire of a location, or None. Reads only the secteurs that
    may match (by code, and the polygons) and the territoires' tree."""
    filtre = Q(nature=Secteur.Nature.POLYGONE) if localisation.lon is not None else Q()
    if localisation.code_insee:
        filtre |= Q(nature=Secteur.Nature.COMMUNE, code_insee=localisation.code_insee)
    if localisation.code_postal:
        filtre |= Q(nature=Secteur.Nature.CODE_POSTAL, code_postal=localisation.code_postal)
    if not filtre:
        return None
    candidats = []
    for secteur in Secteur.objects.filter(filtre).only(
        "pk", "territoire_id", "nature", "code_insee", "code_postal", "polygone"
    ):
        if secteur.nature == Secteur.Nature.POLYGONE:
            if not contient(secteur.polygone, localisation.lon, localisation.lat):
                continue
        # A shared postal code narrowed to one commune matches that commune only.
        elif (
            secteur.nature == Secteur.Nature.CODE_POSTAL
            and secteur.code_insee
            and secteur.code_insee != localisation.code_insee
        ):
            continue
        candidats.append(secteur)
    if not candidats:
        return None
    if profondeurs is None:
        profondeurs = _profondeurs()
    meilleur = min(
        candidats,
        key=lambda s: (
            RANGS[s.nature],
            # A postal code narrowed to a commune is more specific than the bare code.
            0 if s.code_insee else 1,
            -profondeurs.get(s.territoire_id, 0),
            s.territoire_id,
        ),
    )
    return meilleur.territoire_id


def territoire_du_dossier(dossier: Dossier, *, noms=None, profondeurs=None) -> int | None:
    adresse = adresse_du_dossier(dossier, noms)
    return territoire_pour(localiser(adresse), profondeurs) if adresse else None


def sectoriser(*, dossier: Dossier, noms=None, profondeurs=None) -> bool:
    """Set the dossier's territoire from its address; True when it changed. Safe to
    run again (the same address gives the same territoire)."""
    territoire_id = territoire_du_dossier(dossier, noms=noms, profondeurs=profondeurs)
    if territoire_id == dossier.territoire_id:
        return False
    dossier.territoire_id = territoire_id
    dossier.save(update_fields=["territoire", "updated_at"])
    return True


@transaction.atomic
def sectoriser_dossiers(dossiers) -> int:
    """Sectorise existing filed dossiers (after the secteurs changed: see
    `dossiers_concernes` for the few a change may move), the form's
    address fields and the tree read once; the number of dossiers whose territoire
    changed."""
    profondeurs = _profondeurs()
    noms: dict[int, list[str]] = {}
    changes = 0
    qs = (
        dossiers.exclude(statut=Dossier.Statut.BROUILLON)
        .select_related("demandeur_profil", "demandeur_individu")
        .only(
            "pk",
            "modele_id",
            "donnees",
            "territoire_id",
            "updated_at",
            *(f"demandeur_{q}__{c}" for q in ("profil", "individu") for c in ADRESSE),
        )
    )
    for dossier in qs.iterator(chunk_size=500):
        if dossier.modele_id not in noms:
            noms[dossier.modele_id] = noms_adresse(dossier.modele_id)
        changes += sectoriser(
            dossier=dossier, noms=noms[dossier.modele_id], profondeurs=profondeurs
        )
    return changes


# --- Incremental re-sectorisation (C8) ----------------------------------------------------
# Editing a secteur can only move the dossiers it could match, before or after the edit:
# their address names one of its INSEE / postal codes, or has coordinates in its polygon's
# bounding box. Moving a territoire in the tree changes its depth and its sous-territoires'
# (the tie-break between secteurs of the same kind): then all their secteurs count. The
# dossiers currently in a changed territoire are looked at too. Every other dossier keeps
# its territoire: neither read nor written.


@dataclass(frozen=True)
class Empreinte:
    """What a change of secteurs may affect (JSON-serialisable for the Celery task)."""

    codes_insee: frozenset[str] = frozenset()
    codes_postaux: frozenset[str] = frozenset()
    boites: tuple[tuple[float, float, float, float], ...] = ()  # ouest, sud, est, nord
    territoires: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.codes_insee or self.codes_postaux or self.boites or self.territoires)

    def __or__(self, autre: "Empreinte") -> "Empreinte":
        return Empreinte(
            codes_insee=self.codes_insee | autre.codes_insee,
            codes_postaux=self.codes_postaux | autre.codes_postaux,
            boites=tuple(dict.fromkeys(self.boites + autre.boites)),
            territoires=self.territoires | autre.territoires,
        )

    def en_json(self) -> dict:
        return {
            "codes_insee": sorted(self.codes_insee),
            "codes_postaux": sorted(self.codes_postaux),
            "boites": [list(b) for b in self.boites],
            "territoires": sorted(self.territoires),
        }

    @classmethod
    def depuis_json(cls, donnees: dict) -> "Empreinte":
        return cls(
            codes_insee=frozenset(donnees.get("codes_insee") or ()),
            codes_postaux=frozenset(donnees.get("codes_postaux") or ()),
            boites=tuple(tuple(float(v) for v in b) for b in donnees.get("boites") or ()),
            territoires=frozenset(int(t) for t in donnees.get("territoires") or ()),
        )


def boite(geometrie: dict | None) -> tuple[float, float, float, float] | None:
    """The bounding box (ouest, sud, est, nord) of a stored Polygon / MultiPolygon."""
    if not geometrie:
        return None
    coordonnees = geometrie.get("coordinates") or []
    polygones = [coordonnees] if geometrie.get("type") == "Polygon" else coordonnees
    points = [p for polygone in polygones for anneau in polygone for p in anneau]
    if not points:
        return None
    lons, lats = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return (min(lons), min(lats), max(lons), max(lats))


# A secteur as the footprint reads it: (territoire_id, nature, code_insee, code_postal,
# polygone).
ChampsSecteur = tuple


def empreinte_des_secteurs(secteurs, territoires=()) -> Empreinte:
    """The footprint of these secteurs (`ChampsSecteur` tuples). A commune counts with its
    postal codes: an address typed by hand has no INSEE code until `localiser` derives
    it from the postal code."""
    codes_insee, codes_postaux, boites, ids = set(), set(), [], set(territoires)
    communes = _communes().communes
    for territoire_id, nature, code_insee, code_postal, polygone in secteurs:
        ids.add(territoire_id)
        if nature == Secteur.Nature.POLYGONE:
            b = boite(polygone)
            if b is not None:
                boites.append(b)
            continue
        if code_postal:
            codes_postaux.add(code_postal)
        if code_insee:
            codes_insee.add(code_insee)
            commune = communes.get(code_insee)
            if commune is not None:
                codes_postaux.update(commune.codes_postaux)
    return Empreinte(
        codes_insee=frozenset(codes_insee),
        codes_postaux=frozenset(codes_postaux),
        boites=tuple(dict.fromkeys(boites)),
        territoires=frozenset(ids),
    )


@dataclass(frozen=True)
class Releve:
    """The state of some territoires before / after an edit: their parents and secteurs."""

    parents: dict[int, int | None]
    secteurs: dict[int, ChampsSecteur]


def releve(territoire_ids) -> Releve:
    ids = [pk for pk in territoire_ids if pk is not None]
    if not ids:
        return Releve(parents={}, secteurs={})
    parents = dict(Territoire.objects.filter(pk__in=ids).values_list("pk", "parent_id"))
    secteurs = {
        pk: tuple(champs)
        for pk, *champs in Secteur.objects.filter(territoire_id__in=ids).values_list(
            "pk", "territoire_id", "nature", "code_insee", "code_postal", "polygone"
        )
    }
    return Releve(parents=parents, secteurs=secteurs)


def empreinte_territoires(territoire_ids) -> Empreinte:
    """Every secteur of these territoires and of their sous-territoires (their depth
    changed, or an administrator asked to sectorise them again)."""
    from dossiers.selectors_droits import descendants

    arbre = list(Territoire.objects.values_list("pk", "parent_id"))
    ids = descendants(set(territoire_ids), arbre)
    secteurs = Secteur.objects.filter(territoire_id__in=ids).values_list(
        "territoire_id", "nature", "code_insee", "code_postal", "polygone"
    )
    return empreinte_des_secteurs(list(secteurs), territoires=ids)


def empreinte_changement(avant: Releve, apres: Releve) -> Empreinte:
    """What changed between two `releve` of the same territoires: the secteurs added,
    removed or edited (old and new values), the territoires moved in the tree (all their
    secteurs and their sous-territoires'), a territoire deleted (its dossiers lost it)."""
    changes = []
    for pk in avant.secteurs.keys() | apres.secteurs.keys():
        if avant.secteurs.get(pk) != apres.secteurs.get(pk):
            changes.extend(v for v in (avant.secteurs.get(pk), apres.secteurs.get(pk)) if v)
    empreinte = empreinte_des_secteurs(changes)
    deplaces = [
        pk
        for pk in avant.parents.keys() & apres.parents.keys()
        if avant.parents[pk] != apres.parents[pk]
    ]
    if deplaces:
        empreinte = empreinte | empreinte_territoires(deplaces)
    supprimes = avant.parents.keys() - apres.parents.keys()
    if supprimes:
        empreinte = empreinte | Empreinte(territoires=frozenset(supprimes))
    return empreinte


class CheminExiste(Func):
    """`jsonb_path_exists(donnees, '<chemin>'::jsonpath)`: some value of the JSON matches
    the path's filter. The path is built here from codes and numbers, never typed."""

    template = "jsonb_path_exists(%(expressions)s::jsonpath)"
    output_field = BooleanField()
    conditional = True


def _codes_regex(codes) -> str:
    # INSEE and postal codes are letters and digits (Secteur.clean): anything else is
    # dropped rather than escaped into the regular expression.
    propres = sorted({c for c in codes if c.isalnum()})
    return "^[[:space:]]*(" + "|".join(propres) + ")[[:space:]]*$"


def dossiers_concernes(empreinte: Empreinte):
    """The filed dossiers whose territoire the change may alter (a superset: each is
    sectorised again, and only those whose territoire really changes are written).
    Address values are looked for in any object of `donnees` (which one is « the »
    address depends on the form's order; a superset is enough), the demandeur's address
    too (used when the form has none)."""
    filtres = []
    if empreinte.territoires:
        filtres.append(Q(territoire_id__in=empreinte.territoires))
    conditions = []  # of the jsonpath filter, on each value `@` of donnees
    if empreinte.codes_insee:
        regex = _codes_regex(empreinte.codes_insee)
        conditions.append(f'@.code_insee like_regex "{regex}" flag "i"')
        for qui in ("individu", "profil"):
            filtres.append(Q(**{f"demandeur_{qui}__code_insee__in": empreinte.codes_insee}))
    if empreinte.codes_postaux:
        conditions.append(f'@.code_postal like_regex "{_codes_regex(empreinte.codes_postaux)}"')
        for qui in ("individu", "profil"):
            filtres.append(Q(**{f"demandeur_{qui}__code_postal__in": empreinte.codes_postaux}))
    # jsonpath compares numbers only: a string or a boolean `lon` matches nothing.
    conditions.extend(
        f"(@.lon >= {o!r} && @.lon <= {e!r} && @.lat >= {s!r} && @.lat <= {n!r})"
        for o, s, e, n in empreinte.boites
    )
    if conditions:
        chemin = "$.* ? (" + " || ".join(conditions) + ")"
        filtres.append(Q(CheminExiste(F("donnees"), Value(chemin))))
    if not filtres:
        return Dossier.objects.none()
    filtre = filtres[0]
    for autre in filtres[1:]:
        filtre |= autre
    return Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON).filter(filtre)


def sectoriser_plus_tard(empreinte: Empreinte | None = None) -> None:
    """Queue the sectorisation once the caller's transaction commits (run at once when
    Celery is eager: tests, no Redis): of the dossiers `empreinte` may move, or of every
    filed dossier when None. An empty footprint (nothing changed) queues nothing."""
    from dossiers.tasks import sectoriser_task

    if empreinte is None:
        transaction.on_commit(sectoriser_task.delay)
    elif empreinte:
        donnees = empreinte.en_json()
        transaction.on_commit(lambda: sectoriser_task.delay(donnees))


class suivre_secteurs:  # noqa: N801 (used as a context manager, like a function)
    """Wrap the saving (or deletion) of territoires and their secteurs: the state is read
    before and after, and the dossiers the change may move are sectorised again once the
    transaction commits. For a territoire created inside the block, set `territoire_ids`
    (or call `ajouter`) before it ends.

        with suivre_secteurs([territoire.pk]) as suivi:
            territoire = form.save(); formset.save(); suivi.ajouter(territoire.pk)
    """

    def __init__(self, territoire_ids=()):
        self.territoire_ids = {pk for pk in territoire_ids if pk is not None}
        self.empreinte: Empreinte | None = None

    def ajouter(self, territoire_id: int) -> None:
        self.territoire_ids.add(territoire_id)

    def __enter__(self):
        self._avant = releve(self.territoire_ids)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            return False
        self.empreinte = empreinte_changement(self._avant, releve(self.territoire_ids))
        sectoriser_plus_tard(self.empreinte)
        return False
