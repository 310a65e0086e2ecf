"""Reads of the guide builder: the dispositifs with their guide's versions, and one
version's whole tree (étapes → statuts → suivants and actions) in a fixed number of
queries, whatever its size."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from dossiers.models import Dispositif
from instruction import actions
from instruction.models import Declencheur, Etape, Minuteur, Statut, VersionGuide


def dispositifs_des_guides(*, q: str = "") -> QuerySet[Dispositif]:
    versions = VersionGuide.objects.order_by("-numero")
    dispositifs = (
        Dispositif.objects.select_related("guide_instruction")
        .prefetch_related(Prefetch("guide_instruction__versions", queryset=versions))
        .order_by("titre")
    )
    if q:
        dispositifs = dispositifs.filter(Q(titre__unaccent__icontains=q) | Q(code__iexact=q))
    return dispositifs


def version_du_constructeur(pk: int) -> QuerySet[VersionGuide]:
    return VersionGuide.objects.select_related("guide__dispositif").filter(pk=pk)


def version_etapes(version: VersionGuide) -> list[Etape]:
    """The version's étapes in order, each with its statuts (in order), their allowed
    next statuts and their actions prefetched: four queries."""
    statuts = Statut.objects.order_by("ordre", "pk").prefetch_related("suivants", "actions")
    return list(
        Etape.objects.filter(version=version)
        .order_by("ordre", "pk")
        .prefetch_related(Prefetch("statuts", queryset=statuts))
    )


def objets_designes(liste_actions) -> dict[tuple[type, object], str]:
    """The names of the objects the actions' configs designate (a mail template, an
    agent…), one query per kind of object: {(model, pk): str(object)}."""
    voulus: dict[type, set] = {}
    for action in liste_actions:
        type_ = actions.type_action(action.type)
        if type_ is None:
            continue
        for nom, champ in type_.form_class.base_fields.items():
            modele = getattr(getattr(champ, "queryset", None), "model", None)
            valeur = (action.config or {}).get(nom)
            if modele is None or valeur in (None, "", []):
                continue
            valeurs = valeur if isinstance(valeur, list) else [valeur]
            voulus.setdefault(modele, set()).update(v for v in valeurs if isinstance(v, int))
    noms = {}
    for modele, pks in voulus.items():
        for pk, objet in modele._default_manager.in_bulk(pks).items():
            noms[(modele, pk)] = str(objet)
    return noms


def minuteurs_de_version(version: VersionGuide) -> list[Minuteur]:
    """The version's timers in the order of the lifeline (étape, statut), with their
    statut and target: one query."""
    return list(
        Minuteur.objects.filter(statut__version=version)
        .select_related("statut__etape", "cible")
        .order_by("statut__etape__ordre", "statut__ordre", "statut_id", "delai", "pk")
    )


def declencheurs_de_version(version: VersionGuide) -> list[Declencheur]:
    return list(
        Declencheur.objects.filter(version=version).select_related("cible").order_by("libelle")
    )
