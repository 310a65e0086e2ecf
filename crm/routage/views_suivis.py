"""« Mes dossiers suivis » (C14): the dossiers the agent follows, and how they hear of
their changes (the digest each morning, at each change, or never). Every CRM agent: the
dossiers come through `dossiers_visible_to` (selectors_routage.suivis_de)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.access import agent_required
from crm.referentiel.forms import apply_errors
from crm.routage.forms import PreferenceResumeForm
from dossiers import selectors_routage, services_suivis

PAR_PAGE = 30


@agent_required
@require_http_methods(["GET", "HEAD", "POST"])
def mes_suivis(request):
    form = PreferenceResumeForm(
        request.POST if request.method == "POST" else None,
        initial={"frequence": services_suivis.frequence_de(request.user)},
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                preference = services_suivis.preference_definir(
                    agent=request.user, frequence=form.cleaned_data["frequence"]
                )
            except services_suivis.PreferenceRefusee as refus:
                apply_errors(form, refus)
            else:
                messages.success(
                    request,
                    _("Votre choix est enregistré : %(f)s.")
                    % {"f": preference.get_frequence_display().lower()},
                )
                return redirect("crm:mes_suivis")
        status = 400
    page = Paginator(selectors_routage.suivis_de(request.user), PAR_PAGE).get_page(
        request.GET.get("page")
    )
    titre = _("Mes dossiers suivis")
    context = {
        "page_title": titre,
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [],
        "current": titre,
        "menu_actif": "dossiers",
        "form": form,
        "page": page,
        "suivis": page.object_list,
    }
    return render(request, "crm/routage/mes_suivis.html", context, status=status)
