"""« Ajouter une tâche » to an action plan (C5), shared by the contact's page and the
dossier's « Contacts » tab: the same form and one service call; back to the plan when
the task is added, else the page again with the errors next to the fields and what was
typed (status 400)."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from contacts import services
from crm.contacts.forms import TacheForm
from crm.referentiel.forms import apply_errors


def tache_ajouter(
    request, *, plan: dict, retour: str, page: Callable[..., HttpResponse]
) -> HttpResponse:
    """`plan`: {"contact": …} or {"dossier": …}, whose plan gets the task; `retour`: the
    page's URL; `page(tache_form=…, status=…)` renders the page with the form."""
    form = TacheForm(request.POST)
    if form.is_valid():
        try:
            services.tache_ajouter(by=request.user, **plan, **form.cleaned_data)
        except services.ContactRefuse as refus:
            apply_errors(form, refus)
        else:
            messages.success(request, _("La tâche est ajoutée au plan d’action."))
            return redirect(retour + "#plan-action")
    return page(tache_form=form, status=400)
