"""The « Contacts » tab of a dossier's page (C5): the contacts linked to the dossier and
its action plan (tasks with due dates and assignees). The dossier comes through
`dossiers_visible_to` (crm.dossier_page), like every tab."""

from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from common.extensions import OngletDossier, register_onglet_crm
from contacts import selectors
from crm.contacts import taches
from crm.contacts.forms import TacheForm
from crm.dossier_page import contexte_dossier, dossier_de_l_agent
from crm.dossiers.views import instructeur_required


def _onglet(request, dossier, *, tache_form=None, status=200):
    context = {
        **contexte_dossier(request, dossier, "contacts"),
        "contacts": selectors.contacts_de(request.user, dossier=dossier),
        "taches": selectors.taches_du_plan(dossier=dossier),
        "tache_form": tache_form or TacheForm(),
        "tache_url": reverse("crm:dossier_tache_ajouter", args=[dossier.pk]),
        "today": timezone.localdate(),
    }
    return render(request, "crm/contacts/dossier_contacts.html", context, status=status)


@instructeur_required
@require_safe
def dossier_contacts(request, pk):
    return _onglet(request, dossier_de_l_agent(request, pk))


@instructeur_required
@require_POST
def dossier_tache_ajouter(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    return taches.tache_ajouter(
        request,
        plan={"dossier": dossier},
        retour=reverse("crm:dossier_contacts", args=[dossier.pk]),
        page=partial(_onglet, request, dossier),
    )


def register() -> None:
    register_onglet_crm(
        OngletDossier(
            code="contacts",
            libelle=gettext_lazy("Contacts"),
            url_name="crm:dossier_contacts",
            # No count beside the label: it would cost every tab of the page a query.
            ordre=80,
        )
    )
