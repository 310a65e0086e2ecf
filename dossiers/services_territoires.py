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
    from django.db.models import Q

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
    """Sectorise existing filed dossiers (after the secteurs changed), the form's
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


def sectoriser_plus_tard() -> None:
    """Queue the sectorisation of every filed dossier once the caller's transaction
    commits (run at once when Celery is eager: tests, no Redis)."""
    from dossiers.tasks import sectoriser_task

    transaction.on_commit(sectoriser_task.delay)
