"""Exports of the CRM list (C2, C15) and the JSON flow of a dispositif (C12).

The export page receives the list's query string as-is (`filtres`) and hands it to the
list's own selector (`crm/exports/sources.py`), so the export holds what the list
shows. Up to GUICHET_EXPORT_SEUIL dossiers the file is streamed at once; above, a job
runs in the background and its page shows the progress (htmx every 2 s, a link
without JavaScript) and then the download link, for its owner only.
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.nombres import entier
from common.telechargement import reponse_fichier
from crm.access import agent_permission_required
from crm.dossiers import selection
from crm.exports import forms
from crm.exports.sources import SOURCE_LISTE
from dossiers import exports, flux, liste, services_exports
from dossiers.models import Dispositif, Export
from dossiers.selectors import dossiers_visible_to

# The « exporter » right per dispositif narrows the dossiers (C7); the CRM right gates
# the pages.
instructeur_required = agent_permission_required("dossiers.instruire_dossiers")


def _dispositif_par_defaut(request, filtres: str):
    """The dispositif asked for, else the only one of the selection (its fields are
    then offered without asking)."""
    choix = forms.DispositifForm(request.GET, agent=request.user)
    if "dispositif" in request.GET:
        if choix.is_valid() and choix.cleaned_data["dispositif"]:
            return Dispositif.objects.filter(pk=choix.cleaned_data["dispositif"]).first()
        return None
    dossiers = services_exports.dossiers_de(request.user, SOURCE_LISTE, filtres)
    ids = list(dossiers.order_by().values_list("dispositif_id", flat=True).distinct()[:2])
    return Dispositif.objects.filter(pk=ids[0]).first() if len(ids) == 1 else None


def _refus(request, filtres: str) -> list[str]:
    """The messages of the list's filters naming a dispositif or territoire outside the
    agent's scope: the export is then refused with them (it would hold nothing)."""
    return selection.dossiers_et_refus(request.user, filtres)[1]


def _page(request, form, dispositif, filtres, *, status=200, refus=None):
    refus = _refus(request, filtres) if refus is None else refus
    total = (
        0 if refus else services_exports.dossiers_de(request.user, SOURCE_LISTE, filtres).count()
    )
    context = {
        "refus": refus,
        "page_title": _("Exporter des dossiers"),
        "form": form,
        "choix_form": forms.DispositifForm(
            initial={"filtres": filtres, "dispositif": dispositif.pk if dispositif else None},
            agent=request.user,
        ),
        "dispositif": dispositif,
        "total": total,
        "seuil": services_exports.seuil(),
        "retour": reverse("crm:dossiers") + (f"?{filtres}" if filtres else ""),
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:dossiers"), "label": _("Dossiers")}],
        "current": _("Exporter"),
        "menu_actif": "dossiers",
    }
    return render(request, "crm/exports/exporter.html", context, status=status)


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def exporter(request):
    if request.method != "POST":
        filtres = request.GET.get("filtres", "")
        dispositif = _dispositif_par_defaut(request, filtres)
        form = forms.ExportForm(dispositif=dispositif, initial={"filtres": filtres})
        return _page(request, form, dispositif, filtres)
    filtres = request.POST.get("filtres", "")
    dispositif = None
    if (pk := liste.dispositif_visible(request.user, request.POST.get("dispositif"))) is not None:
        dispositif = Dispositif.objects.filter(pk=pk).first()
    form = forms.ExportForm(request.POST, dispositif=dispositif)
    refus = _refus(request, filtres)
    if refus or not form.is_valid():
        # Filters outside the scope: refused with their message, never the whole list.
        return _page(request, form, dispositif, filtres, status=400, refus=refus)
    try:
        resultat = services_exports.export_demander(
            agent=request.user,
            format_=form.cleaned_data["format"],
            source=SOURCE_LISTE,
            filtres=filtres,
            parametres=form.parametres(),
        )
    except services_exports.ExportRefuse as error:
        form.add_error(None, str(error))
        return _page(request, form, dispositif, filtres, status=400)
    if isinstance(resultat, Export):
        return redirect("crm:export", pk=resultat.pk)
    response = StreamingHttpResponse(resultat.morceaux(), content_type=resultat.format.type_mime)
    response["Content-Disposition"] = f'attachment; filename="{resultat.nom}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@instructeur_required
@require_safe
def mes_exports(request):
    context = {
        "page_title": _("Mes exports"),
        "exports": services_exports.exports_de(request.user)[:50],
        "jours": services_exports.jours_conservation(),
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:dossiers"), "label": _("Dossiers")}],
        "current": _("Mes exports"),
        "menu_actif": "dossiers",
    }
    return render(request, "crm/exports/liste.html", context)


@instructeur_required
@require_safe
def export(request, pk):
    export = get_object_or_404(services_exports.exports_de(request.user), pk=pk)
    context = {
        "page_title": _("Export de dossiers"),
        "export": export,
        "jours": services_exports.jours_conservation(),
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:exports"), "label": _("Mes exports")}],
        "current": _("Export"),
        "menu_actif": "dossiers",
    }
    if request.htmx:
        return render(request, "crm/exports/includes/progression.html", context)
    return render(request, "crm/exports/export.html", context)


@instructeur_required
@require_safe
def fichier(request, pk):
    export = get_object_or_404(
        services_exports.exports_de(request.user), pk=pk, etat=Export.Etat.TERMINE
    )
    if not export.fichier:
        raise Http404
    return reponse_fichier(
        export.fichier,
        nom=export.nom_fichier,
        type_mime=exports.FORMATS[export.format].type_mime,
    )


def session_ou_jeton(view):
    """The flow answers a browser session or, for an outside system, a flow token
    (`Authorization: Bearer <secret>`): the token's agent then goes through the same
    checks as a session's (active agent with the right). A bad token is a 401."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        entete = request.headers.get("Authorization", "")
        if entete.startswith("Bearer "):
            agent = services_exports.agent_du_jeton(entete.removeprefix("Bearer ").strip())
            if agent is None:
                response = JsonResponse({"erreur": _("Jeton invalide ou révoqué.")}, status=401)
                response["WWW-Authenticate"] = 'Bearer realm="guichet"'
                return response
            request.user = agent
        return view(request, *args, **kwargs)

    return wrapper


@session_ou_jeton
@instructeur_required
@require_safe
def flux_dossiers(request, code):
    """GET /crm/flux/<code>/dossiers.json?apres=<id>&limite=<n> (docs/flux.md)."""
    dispositif = get_object_or_404(Dispositif, code=code)
    apres = entier(request.GET.get("apres") or 0)
    limite = entier(request.GET.get("limite") or flux.LIMITE_PAR_DEFAUT)
    if apres is None or limite is None or not 1 <= limite <= flux.LIMITE_MAX:
        return _erreur_flux(
            _("Paramètres invalides : apres est un identifiant, limite va de 1 à %(max)s.")
            % {"max": flux.LIMITE_MAX}
        )
    base = request.build_absolute_uri(reverse("crm:flux_dossiers", args=[code]))

    def url_suivante(dernier: int) -> str:
        return f"{base}?apres={dernier}&limite={limite}"

    contenu = flux.ecrire_flux(
        dossiers_visible_to(request.user, "exporter"),
        dispositif,
        apres=apres,
        limite=limite,
        url_suivante=url_suivante,
    )
    response = StreamingHttpResponse(contenu, content_type="application/json")
    response["Cache-Control"] = "private, no-store"
    return response


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def jetons(request):
    """The agent's flow tokens: a new one is shown once, on the answer to its creation."""
    form = forms.JetonForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _jeton, secret = services_exports.jeton_creer(
                agent=request.user, libelle=form.cleaned_data["libelle"]
            )
        except services_exports.ExportRefuse as error:
            form.add_error("libelle", str(error))
        else:
            form = forms.JetonForm()
    context = {
        "page_title": _("Jetons du flux JSON"),
        "form": form,
        "secret": secret,
        "jetons": services_exports.jetons_de(request.user)[:50],
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:exports"), "label": _("Mes exports")}],
        "current": _("Jetons du flux JSON"),
        "menu_actif": "dossiers",
    }
    status = 400 if request.method == "POST" and form.errors else 200
    response = render(request, "crm/exports/jetons.html", context, status=status)
    response["Cache-Control"] = "private, no-store"  # the secret is on this page once
    return response


@instructeur_required
@require_POST
def jeton_revoquer(request, pk):
    jeton = get_object_or_404(services_exports.jetons_de(request.user), pk=pk)
    services_exports.jeton_revoquer(jeton=jeton)
    messages.success(request, _("Le jeton « %(l)s » est révoqué.") % {"l": jeton.libelle})
    return redirect("crm:flux_jetons")


def _erreur_flux(message: str):
    return JsonResponse({"erreur": message}, status=400)
