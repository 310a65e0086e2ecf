"""Helpers shared by the builder's views: fetching drafts and their parts, breadcrumbs,
the builder tree (one structure for the page and its htmx partial)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.formulaires.forms import (
    ChampAjoutForm,
    GrilleVueForm,
    LigneAjoutForm,
    LigneForm,
    OngletAjoutForm,
    OngletForm,
)
from dossiers import champs as types_de_champ
from dossiers import services
from dossiers.models import Champ, Ligne, ModeleDossier, Onglet, Vue

MENU = "formulaires"
BROUILLON = ModeleDossier.Statut.BROUILLON


def fil_ariane(*pairs) -> dict:
    """Context of includes/breadcrumb.html: CRM home › Formulaires › … › current page."""
    links = []
    if pairs:
        links = [{"url": reverse("crm:formulaires"), "label": _("Formulaires")}]
        links += [{"url": url, "label": label} for url, label in pairs[:-1]]
    return {
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": links,
        "current": pairs[-1][1] if pairs else _("Formulaires"),
        "menu_actif": MENU,
    }


def onglet_ou_404(pk: int) -> Onglet:
    """A tab of a draft (published versions are frozen: their parts are not found)."""
    return get_object_or_404(
        Onglet.objects.select_related("modele__dispositif"), pk=pk, modele__statut=BROUILLON
    )


def ligne_ou_404(pk: int) -> Ligne:
    return get_object_or_404(
        Ligne.objects.select_related("onglet__modele__dispositif"),
        pk=pk,
        onglet__modele__statut=BROUILLON,
    )


def champ_brouillon(pk: int) -> Champ | None:
    """A field of a draft, or None when it is no longer in one (its version was published
    meanwhile, or it was deleted): the field panel says so (views_champs)."""
    return (
        Champ.objects.select_related("ligne__onglet", "modele__dispositif")
        .prefetch_related("proprietes")
        .filter(pk=pk, modele__statut=BROUILLON)
        .first()
    )


def champ_ou_404(pk: int) -> Champ:
    champ = champ_brouillon(pk)
    if champ is None:
        raise Http404
    return champ


def url_constructeur(modele: ModeleDossier, ancre: str = "") -> str:
    url = reverse("crm:formulaire_constructeur", args=[modele.dispositif_id])
    return f"{url}#{ancre}" if ancre else url


# Form prefixes: the tree renders each form with it, the view parses with the same one.
def prefixe_onglet(pk) -> str:
    return f"onglet-{pk}"


def prefixe_ligne(pk) -> str:
    return f"ligne-{pk}"


def prefixe_ajout_ligne(onglet_pk) -> str:
    return f"ajout-ligne-{onglet_pk}"


def prefixe_ajout_champ(ligne_pk, colonne=1, parent_pk=None) -> str:
    return f"ajout-champ-{ligne_pk}-{parent_pk or colonne}" + ("-bloc" if parent_pk else "")


def _vues(champ: Champ) -> list[dict]:
    resultat = []
    for vue, libelle in Vue.choices:
        p = services.proprietes_vue(champ, vue)
        resultat.append(
            {
                "libelle": libelle,
                "visible": p.visible,
                "modifiable": p.modifiable,
                "obligatoire": p.obligatoire,
            }
        )
    return resultat


def arbre(modele: ModeleDossier, lies: dict | None = None) -> dict:
    """The builder tree: onglets → lignes → columns → champs (→ sub-fields of a block),
    each with its forms (or the bound one in `lies`, keyed by prefix, showing its errors)
    and the problems modele_verifier would report on it. A fixed number of queries."""
    lies = lies or {}
    onglets = services.modele_onglets(modele)
    problemes = services.modele_problemes(modele, onglets)
    connus = types_de_champ.types()
    noms = {c.nom: c.type for o in onglets for lg in o.lignes.all() for c in lg.champs.all()}
    bloc_existe = "bloc_repetable" in connus

    def item(champ: Champ, enfants: dict) -> dict:
        type_champ = connus.get(champ.type)
        est_bloc = champ.type == "bloc_repetable"
        prefixe = prefixe_ajout_champ(champ.ligne_id, parent_pk=champ.pk)
        return {
            "champ": champ,
            "type_libelle": type_champ.libelle if type_champ else champ.type,
            "problemes": problemes.get(("champ", champ.pk), []),
            "vues": _vues(champ),
            "est_bloc": est_bloc and bloc_existe,
            "sous_champs": [item(c, enfants) for c in enfants.get(champ.pk, [])],
            "ajout": (
                lies.get(prefixe) or ChampAjoutForm(prefix=prefixe, sous_champ=True)
                if est_bloc and bloc_existe
                else None
            ),
        }

    resultat = []
    for onglet in onglets:
        lignes = []
        for ligne in onglet.lignes.all():
            enfants: dict[int, list[Champ]] = {}
            racines: dict[int, list[Champ]] = {1: [], 2: []}
            for champ in ligne.champs.all():
                if champ.parent_id:
                    enfants.setdefault(champ.parent_id, []).append(champ)
                else:
                    racines.setdefault(champ.colonne, []).append(champ)
            colonnes = []
            for numero in range(1, ligne.colonnes + 1):
                prefixe = prefixe_ajout_champ(ligne.pk, numero)
                colonnes.append(
                    {
                        "numero": numero,
                        "champs": [item(c, enfants) for c in racines.get(numero, [])],
                        "ajout": lies.get(prefixe) or ChampAjoutForm(prefix=prefixe),
                    }
                )
            # Fields left in a second column after the row went back to one column.
            for numero in sorted(set(racines) - set(range(1, ligne.colonnes + 1))):
                if racines[numero]:
                    colonnes[-1]["champs"] += [item(c, enfants) for c in racines[numero]]
            prefixe = prefixe_ligne(ligne.pk)
            lignes.append(
                {
                    "ligne": ligne,
                    "colonnes": colonnes,
                    "problemes": problemes.get(("ligne", ligne.pk), []),
                    "form": lies.get(prefixe)
                    or LigneForm(
                        prefix=prefixe,
                        noms=noms,
                        condition=ligne.condition,
                        initial={"colonnes": ligne.colonnes, "titre_section": ligne.titre_section},
                    ),
                }
            )
        prefixe = prefixe_onglet(onglet.pk)
        resultat.append(
            {
                "onglet": onglet,
                "lignes": lignes,
                "problemes": problemes.get(("onglet", onglet.pk), []),
                "form": lies.get(prefixe)
                or OngletForm(
                    prefix=prefixe,
                    noms=noms,
                    condition=onglet.condition,
                    initial={"titre": onglet.titre, "aide": onglet.aide},
                ),
                "ajout_ligne": lies.get(prefixe_ajout_ligne(onglet.pk))
                or LigneAjoutForm(prefix=prefixe_ajout_ligne(onglet.pk)),
            }
        )
    nb_problemes = sum(len(p) for p in problemes.values()) + (0 if onglets else 1)
    return {
        "modele": modele,
        "onglets": resultat,
        "nb_problemes": nb_problemes,
        "ajout_onglet": lies.get("ajout-onglet") or OngletAjoutForm(prefix="ajout-onglet"),
    }


def arbre_item(modele: ModeleDossier, champ_pk: int) -> dict:
    """One field's item of the tree (`arbre`), with what its template needs: its place
    among its siblings (first / last) and its row; and the tree's problem count, which a
    change to one field may move (a renamed field breaks another's condition)."""
    tout = arbre(modele)

    def chercher(freres: list[dict]):
        for rang, item in enumerate(freres):
            if item["champ"].pk == champ_pk:
                return item, rang == 0, rang == len(freres) - 1
            trouve = chercher(item["sous_champs"])
            if trouve:
                return trouve
        return None

    for onglet in tout["onglets"]:
        for ligne in onglet["lignes"]:
            for colonne in ligne["colonnes"]:
                trouve = chercher(colonne["champs"])
                if trouve:
                    item, premier, dernier = trouve
                    return {
                        "champ_item": item,
                        "premier": premier,
                        "dernier": dernier,
                        "ligne": ligne["ligne"],
                        "nb_problemes": tout["nb_problemes"],
                        "onglets": tout["onglets"],
                    }
    raise Http404


def _grille_ordre(modele: ModeleDossier) -> tuple[list[dict], list[tuple[Champ, int]]]:
    """The grid's sections (onglet → lignes → fields) and its fields as (field, depth):
    root fields by column then order, each followed by its sub-fields."""
    ordonnes: list[tuple[Champ, int]] = []
    sections = []
    # Its own read: the grid needs no list values nor sub-field prefetches, so its cost
    # stays 4 queries whatever the fields (sub-fields are among their row's fields).
    for onglet in modele.onglets.prefetch_related("lignes__champs__proprietes"):
        lignes = []
        for ligne in onglet.lignes.all():
            enfants: dict[int, list[Champ]] = {}
            racines = []
            for champ in ligne.champs.all():
                if champ.parent_id:
                    enfants.setdefault(champ.parent_id, []).append(champ)
                else:
                    racines.append(champ)
            racines.sort(key=lambda c: (min(c.colonne, ligne.colonnes), c.ordre, c.pk))
            champs = []
            for champ in racines:
                champs.append((champ, 0))
                champs += [(sous, 1) for sous in enfants.get(champ.pk, [])]
            ordonnes += champs
            lignes.append({"ligne": ligne, "champs": champs})
        sections.append({"onglet": onglet, "lignes": lignes})
    return sections, ordonnes


def grille_champs(modele: ModeleDossier, vue: str) -> list[tuple[Champ, object]]:
    """Every field of the model with its properties in `vue`, for GrilleVueForm."""
    _sections, ordonnes = _grille_ordre(modele)
    return [(c, services.proprietes_vue(c, vue)) for c, _niveau in ordonnes]


def grille(modele: ModeleDossier, lies: dict | None = None) -> dict:
    """The whole-model grid of per-view properties (F6): one row per field in display
    order, grouped by onglet and ligne, one form per view (or the bound one in `lies`,
    keyed by view, showing its errors). A fixed number of queries."""
    lies = lies or {}
    sections, ordonnes = _grille_ordre(modele)
    connus = types_de_champ.types()
    forms = {}
    for vue in Vue.values:
        champs = [(c, services.proprietes_vue(c, vue)) for c, _niveau in ordonnes]
        forms[vue] = lies.get(vue) or GrilleVueForm(vue=vue, champs=champs)
    for section in sections:
        for ligne in section["lignes"]:
            ligne["champs"] = [
                {
                    "champ": champ,
                    "niveau": niveau,
                    "type_libelle": getattr(connus.get(champ.type), "libelle", champ.type),
                    "vues": [
                        {
                            "vue": vue,
                            "cases": forms[vue].cases[champ.pk],
                            "erreurs": forms[vue].cases[champ.pk][2].errors,
                        }
                        for vue in Vue.values
                    ],
                }
                for champ, niveau in ligne["champs"]
            ]
    return {
        "modele": modele,
        "sections": sections,
        "nb_champs": len(ordonnes),
        "grilles": [(vue, libelle, forms[vue]) for vue, libelle in Vue.choices],
        "erreurs_grille": [
            (Vue(vue).label, e) for vue, f in forms.items() for e in f.non_field_errors()
        ],
    }
