"""« Mes dossiers suivis » (C14): the dossiers the agent follows, and how they hear of
their changes (the digest each morning, at each change, or never); « Ne plus suivre » on
each row (htmx swaps the list in place; a plain POST and redirect without JS). Every CRM
agent: the dossiers come through `dossiers_visible_to` (selectors_routage.suivis_de)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.nombres import entier
from crm.access import agent_required
from crm.referentiel.forms import apply_errors
from crm.routage.forms import PreferenceResumeForm
from dossiers import selectors_routage, services_routage, services_suivis
from dossiers.selectors import dossiers_visible_to

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
    page = _page(request, request.GET.get("page"))
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


def _page(request, numero):
    return Paginator(selectors_routage.suivis_de(request.user), PAR_PAGE).get_page(numero)


@agent_required
@require_POST
def ne_plus_suivre(request, pk):
    """« Ne plus suivre » on a row: the follow is removed through the dossier page's
    service; the list comes back on the same page (the previous one once it is empty)."""
    # « voir » is enough, as to follow (crm/routage/views_dossier.suivre).
    dossier = get_object_or_404(dossiers_visible_to(request.user), pk=pk)
    if services_routage.dossier_ne_plus_suivre(dossier=dossier, agent=request.user):
        message = _("Vous ne suivez plus le dossier %(r)s.") % {"r": dossier.reference}
    else:  # a second click, or another tab did it
        message = _("Vous ne suiviez déjà plus le dossier %(r)s.") % {"r": dossier.reference}
    numero = request.POST.get("page")
    if request.htmx:
        page = _page(request, numero)
        context = {"page": page, "suivis": page.object_list, "message_liste": message}
        return render(request, "crm/routage/includes/mes_suivis_liste.html", context)
    messages.success(request, message)
    url = reverse("crm:mes_suivis")
    if entier(numero) not in (None, 1):
        retour = _page(request, numero).number  # the previous page once this one is empty
        if retour > 1:
            url += f"?page={retour}"
    return redirect(url)
