"""Search of the référentiel (C6) and mass assignment of individus to an agent."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from crm.access import agent_required
from crm.referentiel.common import fil_ariane
from crm.referentiel.forms import AssignationForm
from usagers.selectors import individus_rechercher, profils_rechercher
from usagers.services import ActionRefusee, individus_assigner

TYPES = ("individus", "profils")


@require_safe
@agent_required
def recherche(request):
    query = request.GET.get("q", "").strip()
    type_ = request.GET.get("type") if request.GET.get("type") in TYPES else "individus"
    individus = individus_rechercher(query) if query and type_ == "individus" else []
    profils = profils_rechercher(query) if query and type_ == "profils" else []
    context = {
        "page_title": _("Rechercher un usager"),
        "q": query,
        "type": type_,
        "individus": individus,
        "profils": profils,
        "assignation_form": AssignationForm() if individus else None,
        **fil_ariane(),
    }
    if request.htmx:
        return render(request, "crm/includes/usagers_resultats.html", context)
    return render(request, "crm/usagers/recherche.html", context)


@agent_required
@require_POST
def assigner(request):
    form = AssignationForm(request.POST)
    back = reverse("crm:usagers") + "?" + urlencode({"q": request.POST.get("q", "")})
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    agent = form.cleaned_data["agent"]
    try:
        count = individus_assigner(
            individus=form.cleaned_data["individus"], agent=agent, by=request.user
        )
    except ActionRefusee as refus:
        messages.error(request, " ".join(refus.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d individu assigné à %(agent)s.",
                "%(count)d individus assignés à %(agent)s.",
                count,
            )
            % {"count": count, "agent": agent},
        )
    return redirect(back)
