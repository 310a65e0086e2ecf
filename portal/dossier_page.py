"""The frame of a dossier's page on the portal (P10): which dossier this request may
open, and what every tab's page shows around its own content (title, state, tabs).

Every tab view (suivi, justificatifs, messages… registered in common.extensions) does:

    dossier = dossier_de_la_requete(request, pk)
    return render(request, "portal/dossiers/<tab>.html",
                  {**contexte_dossier(request, dossier, "messages"), ...})

and its template extends "portal/dossiers/dossier_base.html", filling block `onglet`.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from common.extensions import onglets_portail
from dossiers import suivi
from dossiers.models import Dossier
from dossiers.selectors import dossiers_of
from portal.compte import fil_ariane

# The filed dossiers this browser may follow without an account (P6): their pks, put
# there once the follow link or the tracking code with its verification was accepted.
SUIVIS_SESSION = "guichet_dossiers_suivis"


def dossiers_accessibles(request):
    return dossiers_of(request.user, suivis=request.session.get(SUIVIS_SESSION, ()))


def dossier_de_la_requete(request, pk: int) -> Dossier:
    """The dossier `pk` if this request may open it, else 404 (never 403: whether a
    dossier exists is not told)."""
    return get_object_or_404(dossiers_accessibles(request), pk=pk)


def contexte_dossier(request, dossier: Dossier, actif: str) -> dict:
    onglets = []
    for onglet in onglets_portail(dossier, request.user):
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
    titre = dossier.dispositif.titre
    liens = (
        fil_ariane((_("Mes demandes"), reverse("portal:dossiers")))
        if request.user.is_authenticated
        else []
    )
    return {
        "dossier": dossier,
        "etat": suivi.etat(dossier, usager=True),
        "onglets": onglets,
        "onglet_actif": actif,
        "page_title": f"{titre} — {dossier.reference or _('brouillon')}",
        "breadcrumb_links": liens,
        # Filed without an account and followed by a signed-in visitor: offer to attach
        # it to their account (P6, portal:suivi_rattacher, with its key).
        "rattachable": bool(
            request.user.is_authenticated
            and dossier.code_suivi
            and dossier.cree_par_id is None
            and dossier.cle_rattachement
        ),
    }
