"""The CRM's trash (C14): dossiers put in the trash, restored or deleted for good (after
a confirmation page), for agents with dossiers.supprimer_dossiers. Dossiers come through
`dossiers_visible_to(agent, corbeille=True)`: only those the agent could open."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from crm.routage.views_dossier import supprimeur_required
from dossiers import services_corbeille
from dossiers.selectors import dossiers_visible_to

PAR_PAGE = 30


def _cadre(titre, *, sous_page=False) -> dict:
    return {
        "page_title": titre,
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:corbeille"), "label": _("Corbeille")}] if sous_page else [],
        "current": titre,
        "menu_actif": "dossiers",
    }


def _en_corbeille(request, pk):
    return get_object_or_404(dossiers_visible_to(request.user, "supprimer", corbeille=True), pk=pk)


@supprimeur_required
@require_safe
def corbeille(request):
    dossiers = (
        dossiers_visible_to(request.user, "supprimer", corbeille=True)
        .select_related("supprime_par")
        .order_by("-supprime_le", "-pk")
    )
    page = Paginator(dossiers, PAR_PAGE).get_page(request.GET.get("page"))
    delai = timedelta(days=settings.GUICHET_CORBEILLE_JOURS)
    context = {
        **_cadre(_("Corbeille")),
        "page": page,
        "lignes": [(d, d.supprime_le + delai) for d in page.object_list],
        "jours": settings.GUICHET_CORBEILLE_JOURS,
        "parametres": "",
    }
    return render(request, "crm/routage/corbeille.html", context)


@supprimeur_required
@require_POST
def restaurer(request, pk):
    dossier = _en_corbeille(request, pk)
    services_corbeille.dossier_restaurer(dossier=dossier, by=request.user)
    messages.success(request, _("Le dossier %(r)s est restauré.") % {"r": dossier.reference})
    return redirect("crm:dossier", pk=dossier.pk)


@supprimeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def supprimer(request, pk):
    """« Supprimer définitivement »: a confirmation page, then the deletion."""
    dossier = _en_corbeille(request, pk)
    if request.method == "POST":
        reference = services_corbeille.dossier_supprimer_definitivement(
            dossier=dossier, by=request.user
        )
        messages.success(request, _("Le dossier %(r)s est supprimé.") % {"r": reference})
        return redirect("crm:corbeille")
    from dossiers import editique as dossiers_editique

    context = {
        **_cadre(_("Supprimer le dossier %(r)s") % {"r": dossier.reference}, sous_page=True),
        "dossier": dossier,
        "nombre_documents": dossiers_editique.documents(dossier).count(),
    }
    return render(request, "crm/dossiers/supprimer.html", context)
