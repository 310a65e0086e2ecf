"""The CRM map (C9): the dossiers of the visible box on a Leaflet map, filtered like the
list, grouped server-side (dossiers/selectors_carte.py). The page lists the same groups
or dossiers in a table (the map's text alternative, and all there is without
JavaScript); the map asks `carte_donnees` for JSON as it moves."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from crm.access import agent_permission_required
from crm.dossiers import forms_liste
from crm.dossiers.selection import filtre_actif, formulaire_et_dossiers
from dossiers import selectors_carte as carte

instructeur_required = agent_permission_required("dossiers.instruire_dossiers")

# The statut's DSFR badge kind → the marker's colour (DSFR « illustrative » colours,
# contrast ≥ 3:1 on the map as WCAG asks of graphical objects).
COULEURS = {
    "info": "#0063cb",
    "success": "#18753c",
    "warning": "#b34000",
    "error": "#ce0500",
    "new": "#695240",
    "": "#3a3a3a",
}
# What the map's own links set, not the list's filters.
PROPRES = ("bbox", "zoom", "tri", "colonnes", *forms_liste.PAGINATION)


def dossiers_de_la_liste(request):
    """The CRM list's form and dossiers for these GET parameters, as the list filters
    them (crm/dossiers/selection.py)."""
    return formulaire_et_dossiers(request.user, request.GET)


def _donnees(request, form, dossiers, emprise, zoom) -> carte.DonneesCarte:
    """Without any list filter, zoomed out (13 and coarser): the cells' counters, the
    same at any size of the base; else the dossiers of the box grouped."""
    donnees = None
    if not filtre_actif(form):
        donnees = carte.donnees_carte_comptees(request.user, emprise, zoom)
    return donnees or carte.donnees_carte(dossiers, emprise, zoom)


def _filtres(request) -> str:
    parametres = request.GET.copy()
    for cle in PROPRES:
        parametres.pop(cle, None)
    return parametres.urlencode()


def _json(donnees: carte.DonneesCarte) -> dict:
    return {
        "emprise": str(donnees.emprise),
        "zoom": donnees.zoom,
        "total": donnees.total,
        "groupes": [
            {"lat": g.latitude, "lon": g.longitude, "nombre": g.nombre} for g in donnees.groupes
        ],
        "points": [
            {
                "lat": p.latitude,
                "lon": p.longitude,
                "reference": p.reference,
                "statut": p.statut,
                "couleur": COULEURS.get(p.couleur, COULEURS[""]),
                "url": reverse("crm:dossier", args=[p.pk]),
            }
            for p in donnees.points
        ],
    }


@require_safe
@instructeur_required
def carte_donnees(request):
    """`?bbox=ouest,sud,est,nord&zoom=z&<the list's filters>` → groups or points (JSON).
    A box or zoom that cannot be read: 400 with the reason, in French."""
    try:
        emprise = carte.lire_emprise(request.GET.get("bbox"))
        zoom = carte.lire_zoom(request.GET.get("zoom"))
    except carte.EmpriseInvalide as erreur:
        return JsonResponse({"erreur": str(erreur)}, status=400)
    # Parsed without the filters' option lists: no form is shown here.
    form, dossiers = formulaire_et_dossiers(request.user, request.GET, options=False)
    # A dispositif or territoire outside the scope: nothing, and the message why.
    reponse = {**_json(_donnees(request, form, dossiers, emprise, zoom)), "refus": form.refus()}
    return JsonResponse(reponse)


@require_safe
@instructeur_required
def carte_page(request):
    """The map page; `bbox` and `zoom` (links of the table, without JavaScript) choose
    the box listed, else the settings' centre and zoom."""
    erreur = ""
    try:
        zoom = carte.lire_zoom(request.GET.get("zoom") or str(settings.GUICHET_CARTE_ZOOM))
        if request.GET.get("bbox"):
            emprise = carte.lire_emprise(request.GET.get("bbox"))
        else:
            emprise = carte.emprise_autour(*settings.GUICHET_CARTE_CENTRE[:2], zoom)
    except carte.EmpriseInvalide as exc:
        erreur = str(exc)
        zoom = settings.GUICHET_CARTE_ZOOM
        emprise = carte.emprise_autour(*settings.GUICHET_CARTE_CENTRE[:2], zoom)
    form, dossiers = dossiers_de_la_liste(request)
    donnees = _donnees(request, form, dossiers, emprise, zoom)
    filtres = _filtres(request)
    legende = carte.legende_territoires(request.user)
    context = {
        "page_title": _("Carte des dossiers"),
        "form": form,
        "donnees": donnees,
        "groupes": [(g, _zoom_sur(g, donnees, filtres)) for g in donnees.groupes],
        "points": [(p, COULEURS.get(p.couleur, COULEURS[""])) for p in donnees.points],
        "erreur": erreur,
        "filtres": filtres,
        "reglages": {
            "centre": [
                (donnees.emprise.sud + donnees.emprise.nord) / 2,
                (donnees.emprise.ouest + donnees.emprise.est) / 2,
            ],
            "zoom": zoom,
            "tuiles": settings.GUICHET_CARTE_TUILES,
            "attribution": settings.GUICHET_CARTE_ATTRIBUTION,
            "donnees": reverse("crm:carte_donnees"),
            "filtres": filtres,
        },
        "contours": legende.geojson,
        "legende": legende,
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:dossiers"), "label": _("Dossiers")}],
        "current": _("Carte"),
        "menu_actif": "dossiers",
    }
    return render(request, "crm/recherche/carte.html", context)


def _zoom_sur(groupe, donnees, filtres: str) -> str:
    """The page's link zooming on a group: its cell, two zoom levels closer."""
    pas = carte.taille_cellule(donnees.emprise, donnees.zoom)
    emprise = carte.Emprise(
        sud=groupe.latitude - pas,
        ouest=groupe.longitude - pas,
        nord=groupe.latitude + pas,
        est=groupe.longitude + pas,
    )
    zoom = min(donnees.zoom + 2, carte.ZOOM_MAX)
    suite = f"&{filtres}" if filtres else ""
    return f"{reverse('crm:carte')}?bbox={emprise}&zoom={zoom}{suite}"
