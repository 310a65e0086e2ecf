"""Helpers of the guide builder's views: breadcrumbs, fetching a draft's parts, and the
version tree (one structure for the page and its htmx partial)."""

import json

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from crm.guides.forms import (
    EtapeAjoutForm,
    EtapeForm,
    StatutAjoutForm,
    StatutForm,
    TypeActionForm,
)
from instruction import actions, selectors_guide
from instruction.models import ActionStatut, Etape, Statut, VersionGuide

MENU = "guides"
BROUILLON = VersionGuide.Etat.BROUILLON


def fil_ariane(*pairs) -> dict:
    """Context of includes/breadcrumb.html: CRM home › Guides d'instruction › … › page."""
    links = []
    if pairs:
        links = [{"url": reverse("crm:guides"), "label": _("Guides d’instruction")}]
        links += [{"url": url, "label": label} for url, label in pairs[:-1]]
    return {
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": links,
        "current": pairs[-1][1] if pairs else _("Guides d’instruction"),
        "menu_actif": MENU,
    }


def titre_version(version: VersionGuide) -> str:
    return _("%(d)s — version %(n)s") % {"d": version.guide.dispositif.titre, "n": version.numero}


def url_version(version_id: int, ancre: str = "") -> str:
    url = reverse("crm:guide_version", args=[version_id])
    return f"{url}#{ancre}" if ancre else url


# Parts of a draft: those of a published or archived version are not found (the
# services refuse them too).
def etape_ou_404(pk: int) -> Etape:
    return get_object_or_404(
        Etape.objects.select_related("version__guide__dispositif"),
        pk=pk,
        version__etat=BROUILLON,
    )


def statut_ou_404(pk: int) -> Statut:
    return get_object_or_404(
        Statut.objects.select_related("version__guide__dispositif", "etape"),
        pk=pk,
        version__etat=BROUILLON,
    )


def action_ou_404(pk: int) -> ActionStatut:
    return get_object_or_404(
        ActionStatut.objects.select_related("statut__version__guide__dispositif"),
        pk=pk,
        statut__version__etat=BROUILLON,
    )


# Form prefixes: the tree renders each form with it, the views parse with the same one.
def prefixe_etape(pk) -> str:
    return f"etape-{pk}"


def prefixe_statut(pk) -> str:
    return f"statut-{pk}"


def prefixe_ajout_statut(etape_pk) -> str:
    return f"ajout-statut-{etape_pk}"


PREFIXE_AJOUT_ETAPE = "ajout-etape"


def _valeur(champ: forms.Field, valeur, noms: dict) -> str:
    modele = getattr(getattr(champ, "queryset", None), "model", None)
    if modele is not None:
        valeurs = valeur if isinstance(valeur, list) else [valeur]
        return ", ".join(noms.get((modele, v), _("(introuvable)")) for v in valeurs)
    if isinstance(valeur, bool):
        return _("oui") if valeur else _("non")
    if isinstance(valeur, (dict, list)):
        valeur = json.dumps(valeur, ensure_ascii=False)
    return Truncator(str(valeur)).chars(90)


def resume_action(action: ActionStatut, noms: dict) -> list[tuple[str, str]]:
    """(label, value) of each setting of the action, for the tree."""
    type_ = actions.type_action(action.type)
    if type_ is None:
        return []
    resume = []
    for nom, champ in type_.form_class.base_fields.items():
        valeur = (action.config or {}).get(nom)
        if valeur in (None, "", []):
            if isinstance(champ, forms.BooleanField) or valeur is False:
                resume.append((str(champ.label), _("non")))
            continue
        resume.append((str(champ.label), _valeur(champ, valeur, noms)))
    return resume


def arbre(version: VersionGuide, lies: dict | None = None) -> dict:
    """The version's étapes → statuts → actions, each with its forms when the version is
    a draft (or the bound one in `lies`, keyed by prefix, showing its errors). A fixed
    number of queries whatever the size of the guide."""
    lies = lies or {}
    modifiable = version.etat == BROUILLON
    etapes = selectors_guide.version_etapes(version)
    statuts = [s for e in etapes for s in e.statuts.all()]
    noms = selectors_guide.objets_designes(a for s in statuts for a in s.actions.all())
    resultat = []
    for etape in etapes:
        items = []
        for statut in etape.statuts.all():
            suivants = list(statut.suivants.all())
            prefixe = prefixe_statut(statut.pk)
            form = None
            if modifiable:
                form = lies.get(prefixe) or StatutForm.depuis(
                    statut,
                    etapes=etapes,
                    statuts=statuts,
                    suivants=[s.pk for s in suivants],
                    prefix=prefixe,
                )
            items.append(
                {
                    "statut": statut,
                    "suivants": suivants,
                    "actions": [
                        {
                            "action": action,
                            "libelle": getattr(
                                actions.type_action(action.type), "libelle", action.type
                            ),
                            "connu": actions.type_action(action.type) is not None,
                            "resume": resume_action(action, noms),
                        }
                        for action in statut.actions.all()
                    ],
                    "form": form,
                    "ajout_action": TypeActionForm(prefix=f"type-{statut.pk}")
                    if modifiable
                    else None,
                }
            )
        prefixe = prefixe_etape(etape.pk)
        resultat.append(
            {
                "etape": etape,
                "statuts": items,
                "form": (lies.get(prefixe) or EtapeForm.depuis(etape, prefix=prefixe))
                if modifiable
                else None,
                "ajout_statut": (
                    lies.get(prefixe_ajout_statut(etape.pk))
                    or StatutAjoutForm(prefix=prefixe_ajout_statut(etape.pk))
                )
                if modifiable
                else None,
            }
        )
    return {
        "version": version,
        "modifiable": modifiable,
        "etapes": resultat,
        "nb_statuts": len(statuts),
        "ajout_etape": (lies.get(PREFIXE_AJOUT_ETAPE) or EtapeAjoutForm(prefix=PREFIXE_AJOUT_ETAPE))
        if modifiable
        else None,
    }
