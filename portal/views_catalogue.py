"""The catalogue of démarches and their service sheets (P1, P2, F1)."""

import hashlib
import json
from pathlib import PurePosixPath
from typing import NamedTuple

from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dossiers.selectors import catalogue as dispositifs_du_catalogue
from dossiers.selectors import (
    catalogue_empreinte,
    fiche_empreinte,
    fiches_publiees_avec_formulaire,
    modeles_publies,
    thematiques_du_catalogue,
    types_profil_du_catalogue,
)
from portal.compte import profil_courant

# The GET parameters of the filter form; any of them present means the visitor chose.
FILTRES = ("thematique", "type", "recherche")
RECHERCHE_MAX = 100

MODES_DEPOT = [
    ("depot_avec_compte", gettext_lazy("Faire ma demande")),
    ("depot_sans_compte", gettext_lazy("Faire ma demande sans compte")),
    ("depot_pour_autrui", gettext_lazy("Faire une demande pour un proche")),
]


# The rendered tiles and the filter lists stay in the cache this long at most; their key
# holds the catalogue's fingerprint, so a change shows at once whatever this is.
CACHE_DUREE = 60 * 60


class Resultats(NamedTuple):
    """The tiles of one search, rendered once for everyone (no per-visitor part)."""

    nombre: int
    titres: list[str]
    html: str


def _listes_de_filtres(empreinte: str) -> tuple[list, list]:
    """The thématiques and profile types offered as filters, cached with the catalogue."""
    return cache.get_or_set(
        f"catalogue:filtres:{empreinte}",
        lambda: (thematiques_du_catalogue(), types_profil_du_catalogue()),
        CACHE_DUREE,
    )


def _filtres(params, thematiques, types) -> dict[str, str]:
    """The filters asked for; unknown values are ignored rather than answered with nothing."""
    thematique = params.get("thematique", "")
    code = params.get("type", "")
    return {
        "thematique": thematique if any(t.slug == thematique for t in thematiques) else "",
        "type": code if any(t.code == code for t in types) else "",
        "recherche": params.get("recherche", "").strip()[:RECHERCHE_MAX],
    }


def _resultats(empreinte: str, filtres: dict[str, str]) -> Resultats:
    """The tiles for `filtres`, from the cache when the catalogue has not changed since
    (the key: its fingerprint, the language and the normalised filters)."""
    filtres_json = json.dumps(filtres, sort_keys=True, ensure_ascii=False)
    digest = hashlib.md5(filtres_json.encode(), usedforsecurity=False).hexdigest()
    cle = f"catalogue:tuiles:{empreinte}:{get_language()}:{digest}"
    resultats = cache.get(cle)
    if resultats is None:
        dispositifs = list(
            dispositifs_du_catalogue(
                thematique=filtres["thematique"],
                type_profil=filtres["type"],
                recherche=filtres["recherche"],
            )
        )
        html = render_to_string(
            "portal/includes/catalogue_tuiles.html",
            {"dispositifs": dispositifs, "filtre_actif": any(filtres.values())},
        )
        resultats = Resultats(len(dispositifs), [d.titre for d in dispositifs], html)
        cache.set(cle, resultats, CACHE_DUREE)
    return resultats


def _page_anonyme(
    request, empreinte: str, demande: list, espace: str = "catalogue"
) -> tuple[str | None, HttpResponse | None]:
    """For a visitor without an account and without a message to show (the page then
    holds nothing of theirs): the cache key of the whole page — `espace`, the page's
    fingerprint, the language and `demande` (what of the request the page depends on)
    — and the page if it is in the cache. (None, None) for anyone else."""
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return None, None
    digest = hashlib.md5(json.dumps(demande).encode(), usedforsecurity=False).hexdigest()
    cle = f"{espace}:page:{empreinte}:{get_language()}:{digest}"
    contenu = cache.get(cle)
    if contenu is None:
        return cle, None
    return cle, HttpResponse(contenu)


def _garder_page(cle_page: str | None, request, response) -> None:
    """Kept only when the page used nothing of the request's own (a CSRF token, a cookie)."""
    if cle_page and not response.cookies and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        cache.set(cle_page, response.content, CACHE_DUREE)


def _page_anonyme_du_catalogue(request, empreinte: str):
    demande = [request.path, bool(request.htmx), [request.GET.get(nom, "") for nom in FILTRES]]
    cle_page, response = _page_anonyme(request, empreinte, demande)
    if response is not None:
        patch_vary_headers(response, ("HX-Request",))
    return cle_page, response


def _catalogue_page(request, *, context, filtres, thematiques, types, empreinte, cle_page):
    context |= {
        "resultats": _resultats(empreinte, filtres),
        "filtres": filtres,
        "thematiques": thematiques,
        "types": types,
    }
    template = (
        "portal/includes/catalogue_resultats.html" if request.htmx else "portal/catalogue.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    _garder_page(cle_page, request, response)
    return response


@require_safe
def catalogue(request):
    """Every published démarche; a signed-in citizen who chose no filter first sees those
    of the profil they act for (its type), and can ask for all."""
    empreinte = catalogue_empreinte()
    cle_page, response = _page_anonyme_du_catalogue(request, empreinte)
    if response is not None:
        return response
    thematiques, types = _listes_de_filtres(empreinte)
    filtres = _filtres(request.GET, thematiques, types)
    profil = None
    if not any(name in request.GET for name in FILTRES):
        profil = profil_courant(request)
        if profil is not None and any(t.code == profil.type_profil.code for t in types):
            filtres["type"] = profil.type_profil.code
        else:
            profil = None
    context = {
        "page_title": _("Démarches en ligne"),
        "action_url": reverse("portal:catalogue"),
        "profil_preselectionne": profil,
    }
    return _catalogue_page(
        request,
        context=context,
        filtres=filtres,
        thematiques=thematiques,
        types=types,
        empreinte=empreinte,
        cle_page=cle_page,
    )


@require_safe
def catalogue_type(request, code):
    """The catalogue for one profile type (associations, entreprises…)."""
    empreinte = catalogue_empreinte()
    cle_page, response = _page_anonyme_du_catalogue(request, empreinte)
    if response is not None:
        return response
    thematiques, types = _listes_de_filtres(empreinte)
    type_profil = next((t for t in types if t.code == code), None)
    if type_profil is None:
        raise Http404
    filtres = _filtres(request.GET, thematiques, types) | {"type": type_profil.code}
    if type_profil.public:
        titre = _("Démarches pour les %(public)s") % {"public": type_profil.public}
    else:
        titre = _("Démarches : %(type)s") % {"type": type_profil}
    context = {
        "page_title": titre,
        "breadcrumb_links": [{"label": _("Démarches"), "url": reverse("portal:catalogue")}],
        "action_url": reverse("portal:catalogue_type", kwargs={"code": code}),
        "type_fixe": type_profil,
    }
    return _catalogue_page(
        request,
        context=context,
        filtres=filtres,
        thematiques=thematiques,
        types=types,
        empreinte=empreinte,
        cle_page=cle_page,
    )


@require_safe
def fiche(request, slug):
    """The service sheet: the six blocks, each shown when it holds something. For an
    anonymous visitor, the whole page from the cache while nothing it shows has changed
    (`fiche_empreinte`; the query string is in the key: it prefills the wizard's links)."""
    empreinte = fiche_empreinte(slug)
    cle_page = None
    if empreinte is not None:
        cle_page, response = _page_anonyme(
            request, empreinte, [request.get_full_path()], espace="fiche"
        )
        if response is not None:
            return response
    dispositif = get_object_or_404(fiches_publiees_avec_formulaire(), slug=slug)
    # With an account and without one (P6) have their wizard; on behalf (P7) a short
    # form first.
    parametres = f"?{request.GET.urlencode()}" if request.GET else ""  # prefills (P5)
    urls = {}
    for flag, nom in (
        ("depot_avec_compte", "portal:demande"),
        ("depot_sans_compte", "portal:demande_sans_compte"),
    ):
        if getattr(dispositif, flag) and dispositif.a_formulaire:
            urls[flag] = reverse(nom, kwargs={"slug": dispositif.slug}) + parametres
    if urls.get("depot_avec_compte") and dispositif.depot_pour_autrui:
        urls["depot_pour_autrui"] = reverse(
            "portal:demande_pour_autrui", kwargs={"slug": dispositif.slug}
        )
    modes = [
        {"code": flag, "label": label, "url": urls.get(flag, "")}
        for flag, label in MODES_DEPOT
        if getattr(dispositif, flag)
    ]
    context = {
        "page_title": dispositif.titre,
        "breadcrumb_links": [{"label": _("Démarches"), "url": reverse("portal:catalogue")}],
        "dispositif": dispositif,
        # url: the wizard's start page for that mode ("" while that mode has none yet).
        "modes_depot": modes,
        # With no published form model (or no mode with a wizard yet), the start buttons
        # give way to a callout pointing to the contacts.
        "formulaire_disponible": any(mode["url"] for mode in modes),
        "modes_a_venir": any(not mode["url"] for mode in modes),
        "a_contacts": any(
            [
                dispositif.contact_service,
                dispositif.contact_email,
                dispositif.contact_telephone,
                dispositif.contact_horaires,
                dispositif.aide,
            ]
        ),
    }
    response = render(request, "portal/fiche.html", context)
    _garder_page(cle_page, request, response)
    return response


@require_safe
def fiche_modele(request, slug, piece_pk):
    """A piece's template, downloaded under its own file name."""
    piece = get_object_or_404(modeles_publies(), pk=piece_pk, dispositif__slug=slug)
    try:
        fichier = piece.modele.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(fichier, as_attachment=True, filename=PurePosixPath(piece.modele.name).name)
