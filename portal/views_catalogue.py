"""The catalogue of démarches and their service sheets (P1, P2, F1)."""

from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from dossiers.selectors import catalogue as dispositifs_du_catalogue
from dossiers.selectors import (
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


def _filtres(params, thematiques, types) -> dict[str, str]:
    """The filters asked for; unknown values are ignored rather than answered with nothing."""
    thematique = params.get("thematique", "")
    code = params.get("type", "")
    return {
        "thematique": thematique if any(t.slug == thematique for t in thematiques) else "",
        "type": code if any(t.code == code for t in types) else "",
        "recherche": params.get("recherche", "").strip()[:RECHERCHE_MAX],
    }


def _catalogue_page(request, *, context, filtres, thematiques, types):
    dispositifs = list(
        dispositifs_du_catalogue(
            thematique=filtres["thematique"],
            type_profil=filtres["type"],
            recherche=filtres["recherche"],
        )
    )
    context |= {
        "dispositifs": dispositifs,
        "filtres": filtres,
        "filtre_actif": any(filtres.values()),
        "thematiques": thematiques,
        "types": types,
    }
    template = (
        "portal/includes/catalogue_resultats.html" if request.htmx else "portal/catalogue.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_safe
def catalogue(request):
    """Every published démarche; a signed-in citizen who chose no filter first sees those
    of the profil they act for (its type), and can ask for all."""
    thematiques = thematiques_du_catalogue()
    types = types_profil_du_catalogue()
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
        request, context=context, filtres=filtres, thematiques=thematiques, types=types
    )


@require_safe
def catalogue_type(request, code):
    """The catalogue for one profile type (associations, entreprises…)."""
    thematiques = thematiques_du_catalogue()
    types = types_profil_du_catalogue()
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
        request, context=context, filtres=filtres, thematiques=thematiques, types=types
    )


@require_safe
def fiche(request, slug):
    """The service sheet: the six blocks, each shown when it holds something."""
    dispositif = get_object_or_404(fiches_publiees_avec_formulaire(), slug=slug)
    # Only the mode with an account has its wizard so far (sans compte, pour un proche:
    # later issues).
    avec_formulaire = dispositif.depot_avec_compte and dispositif.a_formulaire
    urls = {
        "depot_avec_compte": reverse("portal:demande", kwargs={"slug": dispositif.slug})
        if avec_formulaire
        else ""
    }
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
    return render(request, "portal/fiche.html", context)


@require_safe
def fiche_modele(request, slug, piece_pk):
    """A piece's template, downloaded under its own file name."""
    piece = get_object_or_404(modeles_publies(), pk=piece_pk, dispositif__slug=slug)
    try:
        fichier = piece.modele.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(fichier, as_attachment=True, filename=PurePosixPath(piece.modele.name).name)
