"""Reads of the agent's dossier pages (F8): the CRM list with its filters, the cover
(couverture) a dispositif configures, the data as the CRM view shows them, the agents
and classification nodes the forms offer. Dossiers always come through
`dossiers_visible_to(agent)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from dossiers import services, suivi
from dossiers.champs import get as type_de_champ
from dossiers.models import Classement, Dispositif, Dossier, Historique, Territoire, Vue, VueListe
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors_droits import descendants, portee

DRAPEAUX = ("prioritaire", "urgent", "signale", "doublon")


def dossiers_du_crm(
    agent,
    *,
    q: str = "",
    dispositif: int | None = None,
    drapeau: str = "",
    attribution: str = "",
    territoire: int | None = None,
) -> QuerySet[Dossier]:
    """The CRM list's scope, with what a row shows (the list page's own filters are
    dossiers.liste's registry). The keyword filters are kept for the pages that filter
    like the list did: searched by reference or the demandeur's name, filtered by
    dispositif, a flag, the assignment ("moi": mine, "aucun": nobody's) and a territoire
    with its sous-territoires. A dispositif or territoire outside the agent's scope
    gives nothing (the scope is applied first)."""
    dossiers = dossiers_visible_to(agent).select_related("agent", "classement")
    q = (q or "").strip()
    if q:
        dossiers = dossiers.filter(
            Q(reference__icontains=q)
            | Q(demandeur_individu__nom__unaccent__icontains=q)
            | Q(demandeur_individu__nom_usage__unaccent__icontains=q)
            | Q(demandeur_individu__prenom__unaccent__icontains=q)
            | Q(demandeur_profil__nom__unaccent__icontains=q)
        )
    if dispositif:
        dossiers = dossiers.filter(dispositif_id=dispositif)
    if territoire:
        arbre = list(Territoire.objects.values_list("pk", "parent_id"))
        dossiers = dossiers.filter(territoire_id__in=sorted(descendants({territoire}, arbre)))
    if drapeau in DRAPEAUX:
        dossiers = dossiers.filter(**{drapeau: True})
    if attribution == "moi":
        dossiers = dossiers.filter(agent=agent)
    elif attribution == "aucun":
        dossiers = dossiers.filter(agent__isnull=True)
    return dossiers.order_by("-depose_le", "-pk")


def dispositifs_du_filtre(agent=None) -> QuerySet[Dispositif]:
    """The list's dispositif filter: the dispositifs the agent sees (every one without
    an agent), by title."""
    qs = Dispositif.objects.only("pk", "titre").order_by("titre")
    ids = portee(agent).dispositifs_pour("voir") if agent is not None else None
    return qs if ids is None else qs.filter(pk__in=sorted(ids))


def territoires_du_filtre(agent) -> list[tuple[int, str]]:
    """The list's territoire filter: the territoires in the agent's scope, as a tree
    (« Nord › Nord-Est »), by path. One query over a small table."""
    noeuds = {t.pk: t for t in Territoire.objects.only("pk", "nom", "parent_id")}
    scope = portee(agent).territoires

    def chemin(t, vus=()):
        parent = noeuds.get(t.parent_id)
        if parent is None or parent.pk in vus:
            return [t.nom]
        return [*chemin(parent, (*vus, t.pk)), t.nom]

    choix = [
        (pk, " › ".join(chemin(t))) for pk, t in noeuds.items() if scope is None or pk in scope
    ]
    return sorted(choix, key=lambda c: c[1].lower())


def agents_instructeurs() -> QuerySet:
    """Active agents holding the « instruire les dossiers » right (directly, through a
    group, or as superusers)."""
    perm = Q(user_permissions__codename="instruire_dossiers") | Q(
        groups__permissions__codename="instruire_dossiers"
    )
    return (
        get_user_model()
        .objects.filter(Q(is_active=True, is_agent=True) & (perm | Q(is_superuser=True)))
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def classements_actifs() -> list[Classement]:
    """Active nodes with their paths (all nodes read once: a small table)."""
    noeuds = {c.pk: c for c in Classement.objects.all()}
    for noeud in noeuds.values():
        noeud.parent = noeuds.get(noeud.parent_id)
    actifs = [c for c in noeuds.values() if c.actif]
    return sorted(actifs, key=lambda c: [n.libelle.lower() for n in c.chemin()])


def chemin_classement(classement: Classement | None) -> list[Classement]:
    if classement is None:
        return []
    noeuds = {c.pk: c for c in Classement.objects.all()}
    chemin, noeud = [], noeuds.get(classement.pk)
    while noeud is not None:
        chemin.append(noeud)
        noeud = noeuds.get(noeud.parent_id)
    return chemin[::-1]


@dataclass(frozen=True)
class ValeurAffichee:
    nom: str
    libelle: str
    valeur: str


def _definitions(modele, vue: str = Vue.CRM):
    """(tab title, [(field, definition)]) of the model, fields visible in `vue` and
    holding a value."""
    for onglet in services.modele_onglets(modele):
        champs = []
        for _ligne, champ in services._champs_de(onglet):
            if not services.proprietes_vue(champ, vue).visible:
                continue
            try:
                type_champ = type_de_champ(champ.type)
            except KeyError:
                continue
            if not type_champ.stocke_valeur:
                continue
            champs.append((type_champ, services.champ_definition(champ, vue)))
        yield onglet.titre, champs


def _affiche(type_champ, definition, stored) -> str:
    try:
        return str(type_champ.affichage(definition, stored))
    except Exception:  # noqa: BLE001 - a stored value the type no longer reads
        return str(stored)


def couverture(dossier: Dossier) -> list[ValeurAffichee]:
    """The fields `dispositif.champs_couverture` names, in that order, displayed."""
    noms = list(dossier.dispositif.champs_couverture or [])
    if not noms:
        return []
    par_nom = {
        definition.nom: (type_champ, definition)
        for _titre, champs in _definitions(dossier.modele, Vue.CRM)
        for type_champ, definition in champs
    }
    donnees = dossier.donnees or {}
    resultat = []
    for nom in noms:
        if nom not in par_nom:
            continue
        type_champ, definition = par_nom[nom]
        resultat.append(
            ValeurAffichee(
                nom, definition.libelle, _affiche(type_champ, definition, donnees.get(nom))
            )
        )
    return resultat


def donnees_crm(dossier: Dossier) -> list[tuple[str, list[ValeurAffichee]]]:
    """Every tab of the form as agents see it (Vue.CRM), with its fields displayed."""
    donnees = dossier.donnees or {}
    # Tabs hidden for this dossier by the guide (« Onglet par vue ») are left out.
    masques = {
        titre
        for titre, regle in suivi.onglets_vue(dossier, Vue.CRM).items()
        if regle.get("visible") is False
    }
    return [
        (
            titre,
            [
                ValeurAffichee(d.nom, d.libelle, _affiche(type_champ, d, donnees.get(d.nom)))
                for type_champ, d in champs
            ],
        )
        for titre, champs in _definitions(dossier.modele, Vue.CRM)
        if champs and titre not in masques
    ]


def noms_techniques(dispositif: Dispositif) -> list[tuple[str, str]]:
    """(technical name, label) of the published form's fields holding a value: the
    choices of the cover's fields."""
    modele = services.modele_publie(dispositif)
    if modele is None:
        return []
    return [
        (d.nom, f"{d.libelle} ({d.nom})")
        for _titre, champs in _definitions(modele, Vue.CRM)
        for _type, d in champs
    ]


def historique(dossier: Dossier) -> QuerySet[Historique]:
    return dossier.historique.select_related("par").order_by("-quand", "-pk")


def liens(dossier: Dossier, agent) -> dict[str, Any]:
    """The parent, children and duplicates of the dossier the agent may open."""
    visibles = dossiers_visible_to(agent).select_related(None).only("pk", "reference")
    ids = [i for i in (dossier.parent_id, dossier.doublon_de_id) if i]
    connus = {d.pk: d for d in visibles.filter(pk__in=ids)} if ids else {}
    return {
        "parent": connus.get(dossier.parent_id),
        "doublon_de": connus.get(dossier.doublon_de_id),
        "enfants": list(visibles.filter(parent=dossier).order_by("reference")),
        "doublons": list(visibles.filter(doublon_de=dossier).order_by("reference")),
    }


def vues_ouvrables(agent) -> QuerySet[VueListe]:
    """The saved views an agent may open: their own and those shared by others."""
    if agent is None or not agent.is_authenticated:
        return VueListe.objects.none()
    return VueListe.objects.filter(Q(agent=agent) | Q(partagee=True)).select_related("agent")


def vues_de(agent) -> QuerySet[VueListe]:
    """The saved views an agent may rename or delete: their own only."""
    if agent is None or not agent.is_authenticated:
        return VueListe.objects.none()
    return VueListe.objects.filter(agent=agent)
