"""The Journal tab of a dossier in the CRM (C11): every change of the dossier, of its
justificatifs and of its place in the guide, newest first, with who made it and each
field « avant → après » (dossiers.selectors_journal, crm.dossiers.journal).

The journal shows what the Historique tab does not (every field, every author, the data
the citizen typed before a change), so it needs a right of its own,
`dossiers.consulter_journal` (« Consulter le journal des modifications des dossiers »),
granted per profile like the others; the tab is hidden from agents without it and its
page answers them 403. The dossier itself still comes through `dossiers_visible_to`."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from common.extensions import OngletDossier, register_onglet_crm
from crm.access import agent_permission_required
from crm.dossier_page import contexte_dossier, dossier_de_l_agent
from crm.dossiers.journal import lignes
from crm.dossiers.views import instructeur_required
from dossiers.selectors_journal import journal

PERMISSION = "dossiers.consulter_journal"
PAR_PAGE = 25


@agent_permission_required(PERMISSION)
@instructeur_required
@require_safe
def dossier_journal(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    page = Paginator(journal(dossier), PAR_PAGE).get_page(request.GET.get("page"))
    context = {
        **contexte_dossier(request, dossier, "journal"),
        "page": page,
        "lignes": lignes(page.object_list),
    }
    return render(request, "crm/dossiers/journal.html", context)


def register() -> None:
    register_onglet_crm(
        OngletDossier(
            code="journal",
            libelle=gettext_lazy("Journal"),
            url_name="crm:dossier_journal",
            ordre=95,
            visible=lambda dossier, user: user.has_perm(PERMISSION),
        )
    )
