"""Helpers shared by the référentiel views: fetching records, breadcrumbs."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from usagers.models import Individu, Profil
from usagers.selectors import individu_pour_fiche, profil_pour_fiche

MENU = "usagers"


def individu_ou_404(pk: int, user, ability: str = "voir") -> Individu:
    """The individu with what its page shows; 404 if unknown, 403 without `ability`."""
    try:
        individu = individu_pour_fiche(pk)
    except Individu.DoesNotExist:
        raise Http404 from None
    if not individu.abilities(user)[ability]:
        raise PermissionDenied
    return individu


def profil_ou_404(pk: int, user, ability: str = "voir") -> Profil:
    try:
        profil = profil_pour_fiche(pk)
    except Profil.DoesNotExist:
        raise Http404 from None
    if not profil.abilities(user)[ability]:
        raise PermissionDenied
    return profil


def fil_ariane(*pairs) -> dict:
    """Context of includes/breadcrumb.html: CRM home › Usagers › … › current page."""
    links = []
    if pairs:
        links = [{"url": reverse("crm:usagers"), "label": _("Usagers")}]
        links += [{"url": url, "label": label} for url, label in pairs[:-1]]
    return {
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": links,
        "current": pairs[-1][1] if pairs else _("Usagers"),
        "menu_actif": MENU,
    }
