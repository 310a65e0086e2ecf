"""The CRM search (C10): the header's box and the advanced form, one results page
grouped by dossiers, individus and profils. Dossiers only through the agent's scope
(dossiers/selectors_recherche.py); individus and profils as the référentiel shows them
to any agent."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from crm.access import agent_required
from crm.recherche.forms import RechercheAvanceeForm
from dossiers import selectors_recherche as selectors
from dossiers import suivi


def _contexte(request, resultats, *, categorie="", **extra):
    return {
        "resultats": resultats,
        "lignes_dossiers": _lignes(resultats.dossiers),
        # Agents without the « instruire » right see no dossier (dossiers_visible_to):
        # no empty section for them either.
        "montrer_dossiers": request.user.has_perm("dossiers.instruire_dossiers")
        and categorie in ("", "dossiers"),
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [],
        **extra,
    }


def _lignes(dossiers):
    etats = suivi.etats(dossiers, usager=False) if dossiers else {}
    return [(d, etats[d.pk]) for d in dossiers]


@require_safe
@agent_required
def recherche(request):
    """`?q=`: the quick search; `&categorie=dossiers` shows every dossier found (up to
    LIMITE_TOUT) instead of the first few of each category."""
    q = request.GET.get("q", "")
    tout = request.GET.get("categorie") == "dossiers"
    resultats = selectors.recherche_rapide(
        request.user, q, limite=selectors.LIMITE_TOUT if tout else selectors.LIMITE
    )
    if tout:
        resultats.individus, resultats.profils = [], []
    context = _contexte(
        request,
        resultats,
        page_title=_("Recherche"),
        current=_("Recherche"),
        recherche_q=resultats.q,
        tout=tout,
        voir_tout_dossiers=""
        if tout
        else reverse("crm:recherche")
        + "?"
        + urlencode({"categorie": "dossiers", "q": resultats.q}),
    )
    return render(request, "crm/recherche/resultats.html", context)


@require_safe
@agent_required
def recherche_avancee(request):
    form = RechercheAvanceeForm(request.GET or None, agent=request.user)
    resultats = None
    if form.is_valid():
        resultats = selectors.recherche_avancee(
            request.user, selectors.Criteres(**form.cleaned_data)
        )
    context = _contexte(
        request,
        resultats or selectors.Resultats(),
        page_title=_("Recherche avancée"),
        current=_("Recherche avancée"),
        categorie=form.cleaned_data["categorie"] if resultats is not None else "",
        form=form,
        cherche=resultats is not None,
    )
    return render(request, "crm/recherche/avancee.html", context)
