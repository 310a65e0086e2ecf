"""The JSON flow of a dispositif's dossiers (C12, docs/flux.md): for another system to
read them page by page (cursor `apres`: the last id read), each with its custom fields as
stored (keys, ISO dates, numbers as strings of the field types' JSON). Streamed: a page
is written as it is read from the database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from dossiers import suivi
from dossiers.exports import _demandeur, _email
from dossiers.models import Dispositif, Dossier, Vue
from dossiers.selectors_gestion import DRAPEAUX, _definitions

LIMITE_PAR_DEFAUT = 500
LIMITE_MAX = 1000
TAILLE_LOT = 200


def _noms_visibles(modele, cache: dict[int, set[str]]) -> set[str]:
    """The fields agents see in this version of the form (published versions are
    cached per process by `modele_onglets`)."""
    if modele.pk not in cache:
        cache[modele.pk] = {
            d.nom for _t, champs in _definitions(modele, Vue.CRM) for _c, d in champs
        }
    return cache[modele.pk]


def _iso(valeur) -> str | None:
    return valeur.isoformat() if valeur else None


def _objet(dossier: Dossier, etat, details, noms: set[str]) -> dict[str, Any]:
    donnees = dossier.donnees or {}
    return {
        "id": dossier.pk,
        "reference": dossier.reference,
        "statut": str(etat.libelle),
        "etape": details.etape or None,
        "echeance": _iso(details.echeance),
        "depose_le": _iso(dossier.depose_le),
        "clos_le": _iso(dossier.clos_le),
        "modifie_le": _iso(dossier.updated_at),
        "version_formulaire": dossier.modele.version,
        "demandeur": {
            "type": "profil"
            if dossier.demandeur_profil_id
            else ("individu" if dossier.demandeur_individu_id else None),
            "nom": _demandeur(dossier) or None,
            "email": _email(dossier) or None,
        },
        "agent": dossier.agent.email if dossier.agent_id else None,
        "drapeaux": [n for n in DRAPEAUX if getattr(dossier, n)],
        "champs": {nom: donnees[nom] for nom in sorted(noms) if nom in donnees},
    }


def dossiers_du_flux(visibles: QuerySet[Dossier], dispositif: Dispositif, apres: int):
    return (
        visibles.filter(dispositif=dispositif, pk__gt=apres).select_related("agent").order_by("pk")
    )


def ecrire_flux(
    visibles: QuerySet[Dossier],
    dispositif: Dispositif,
    *,
    apres: int = 0,
    limite: int = LIMITE_PAR_DEFAUT,
    url_suivante: Callable[[int], str],
) -> Iterator[bytes]:
    """One page: `limite` dossiers after the id `apres`, oldest id first, then
    `suivant` (the next page's URL, null on the last page)."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    entete = {
        "format": "guichet.flux_dossiers",
        "version": 1,
        "dispositif": {"code": dispositif.code, "titre": dispositif.titre},
        "apres": apres,
    }
    yield (json.dumps(entete, ensure_ascii=False)[:-1] + ', "dossiers": [').encode()
    noms: dict[int, set[str]] = {}
    lus, dernier, separateur = 0, None, ""
    page = dossiers_du_flux(visibles, dispositif, apres)[: limite + 1]

    def vider(lot):
        etats = suivi.etats(lot, usager=False)
        details = suivi.details(lot)
        for dossier in lot:
            yield _objet(
                dossier,
                etats[dossier.pk],
                details.get(dossier.pk) or suivi.DetailsSuivi(),
                _noms_visibles(dossier.modele, noms),
            )

    def lots():
        courant: list[Dossier] = []
        for dossier in page.iterator(chunk_size=TAILLE_LOT):
            courant.append(dossier)
            if len(courant) >= TAILLE_LOT:
                yield courant
                courant = []
        if courant:
            yield courant

    plus = False
    for lot in lots():
        for objet in vider(lot):
            if lus >= limite:
                plus = True
                break
            yield (separateur + "\n" + encoder.encode(objet)).encode()
            separateur = ","
            lus += 1
            dernier = objet["id"]
    suivant = url_suivante(dernier) if plus and dernier is not None else None
    yield (f'\n], "nombre": {lus}, "suivant": {json.dumps(suivant)}}}\n').encode()
