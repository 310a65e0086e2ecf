"""The agent's dashboard (C1): their dashlets in their order, and the page where they
add, remove and reorder them (plain POST forms: works without JavaScript)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import services_tableau
from common.extensions import dashlets_disponibles
from crm.access import agent_required
from dossiers import selectors_droits
from instruction import selectors_tableau


@require_safe
@agent_required
def home(request):
    disponibles = {d.code: d for d in dashlets_disponibles(request.user)}
    # The dashlets reading the same counter share it for this page (selectors_tableau).
    with selectors_tableau.une_page(request.user):
        blocs = [
            (disponibles[code], disponibles[code].contexte(request.user))
            for code in services_tableau.codes_du_tableau(request.user)
        ]
    context = {
        "page_title": _("Tableau de bord"),
        "blocs": blocs,
        "personnalisable": bool(disponibles),
    }
    return render(request, "crm/home.html", context)


def _ariane() -> dict:
    return {
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [],
        "current": _("Personnaliser"),
    }


@require_safe
@agent_required
def personnaliser(request):
    disponibles = dashlets_disponibles(request.user)
    codes = services_tableau.codes_du_tableau(request.user)
    par_code = {d.code: d for d in disponibles}
    context = {
        "page_title": _("Personnaliser le tableau de bord"),
        "affiches": [par_code[code] for code in codes],
        "ajoutables": [d for d in disponibles if d.code not in codes],
        "a_son_tableau": services_tableau.a_son_tableau(request.user),
        # C1: who manages rights also sets each profil's default dashboard.
        "profils": selectors_droits.profils_metier()
        if request.user.has_perm("dossiers.gerer_droits")
        else [],
        **_ariane(),
    }
    return render(request, "crm/tableau_de_bord/personnaliser.html", context)


@agent_required
@require_POST
def modifier(request):
    agent, code = request.user, request.POST.get("dashlet", "")
    action = request.POST.get("action")
    if action == "ajouter":
        services_tableau.dashlet_ajouter(agent=agent, code=code)
    elif action == "retirer":
        services_tableau.dashlet_retirer(agent=agent, code=code)
    elif action in ("monter", "descendre"):
        sens = -1 if action == "monter" else 1
        services_tableau.dashlet_deplacer(agent=agent, code=code, sens=sens)
    elif action == "reinitialiser":
        services_tableau.tableau_reinitialiser(agent=agent)
        messages.success(request, _("Votre tableau de bord est revenu à celui de votre profil."))
    return redirect(f"{reverse('crm:tableau_personnaliser')}#{code or 'blocs'}")
