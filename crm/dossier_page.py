"""The frame of a dossier's page in the CRM (C3): which dossier this agent may open
(always through `dossiers_visible_to`), and what every tab's page shows around its own
content (reference, state, flags, tabs).

Every tab view (synthèse, justificatifs, messages… registered in common.extensions) does:

    dossier = dossier_de_l_agent(request, pk)
    return render(request, "crm/dossiers/<tab>.html",
                  {**contexte_dossier(request, dossier, "messages"), ...})

and its template extends "crm/dossiers/dossier_base.html", filling block `onglet`.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from common.extensions import onglets_crm
from dossiers import suivi
from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors_droits import droits_sur, portee


def dossier_de_l_agent(request, pk: int, droit: str | None = None) -> Dossier:
    """The dossier if the agent sees it (else 404), and holds `droit` on its dispositif
    (else 403, C7). By default reading needs « voir » and any POST « instruire »: every
    write from a dossier's page (statut, data, messages, justificatifs…) instructs it."""
    # Its agent and équipe with it (the cover, the assignment's selects): read apart,
    # the page's query count depended on whether the dossier had an équipe.
    dossier = get_object_or_404(
        dossiers_visible_to(request.user).select_related("agent", "equipe"), pk=pk
    )
    if droit is None:
        droit = "voir" if request.method in ("GET", "HEAD", "OPTIONS") else "instruire"
    if not portee(request.user).peut(droit, dossier.dispositif_id):
        raise PermissionDenied
    return dossier


def droits_du_dossier(request, dossier: Dossier) -> dict[str, bool]:
    """The agent's rights on this dossier (C7), once per page from the scope already
    read (no query): the templates hide what the agent may not do
    (`droits_dossier.instruire`, `.exporter`, `.supprimer`), the views refuse it."""
    return droits_sur(request.user, dossier.dispositif_id)


def contexte_dossier(request, dossier: Dossier, actif: str) -> dict:
    onglets = []
    for onglet in onglets_crm(dossier, request.user):
        compteur = onglet.compteur(dossier, request.user) if onglet.compteur else None
        onglets.append(
            {
                "code": onglet.code,
                "libelle": onglet.libelle,
                "url": reverse(onglet.url_name, args=[dossier.pk]),
                "compteur": compteur,
                "actif": onglet.code == actif,
            }
        )
    return {
        "dossier": dossier,
        "droits_dossier": droits_du_dossier(request, dossier),
        "etat": suivi.etat(dossier, usager=False),
        "onglets": onglets,
        "onglet_actif": actif,
        "root_label": _("Tableau de bord"),
        "root_url": reverse("crm:home"),
        "links": [{"url": reverse("crm:dossiers"), "label": _("Dossiers")}],
        "current": dossier.reference,
        "menu_actif": "dossiers",
        "page_title": f"{dossier.reference} — {dossier.dispositif.titre}",
        # The header's « Nouveau contact » opens prefilled with this dossier (C5).
        "contact_contexte": f"dossier={dossier.pk}",
    }
