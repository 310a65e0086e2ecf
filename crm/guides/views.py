"""The guide builder (I1, F7): dispositifs with their guide and versions, a version's
page, creating a guide, publishing a draft, copying a version into a new draft, export
and import as JSON. Agents with the builder's right (`concepteur_required`, as the form
builder)."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from crm.access import concepteur_required
from crm.formulaires.forms import RechercheDispositifsForm, apply_errors
from crm.guides import common
from crm.guides.forms import ImportForm, PublierForm
from dossiers.models import Dispositif
from instruction import echange, selectors_guide, services, services_guide


@concepteur_required
@require_safe
def liste(request):
    form = RechercheDispositifsForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "page_title": _("Guides d’instruction"),
        "form": form,
        "dispositifs": selectors_guide.dispositifs_des_guides(q=q),
        **common.fil_ariane(),
    }
    return render(request, "crm/guides/liste.html", context)


@concepteur_required
@require_POST
def creer(request, pk):
    dispositif = get_object_or_404(Dispositif, pk=pk)
    try:
        version = services_guide.guide_creer(dispositif=dispositif)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("crm:guides")
    messages.success(request, _("Le guide de « %(d)s » est créé.") % {"d": dispositif.titre})
    return redirect("crm:guide_version", pk=version.pk)


def page_version(request, version, *, lies=None, erreur=""):
    context = {
        "page_title": common.titre_version(version),
        "dispositif": version.guide.dispositif,
        "versions": version.guide.versions.order_by("-numero"),
        "publier": PublierForm(),
        "erreur": erreur,
        **common.arbre(version, lies),
        **common.fil_ariane((None, common.titre_version(version))),
    }
    return render(request, "crm/guides/version.html", context)


@concepteur_required
@require_safe
def version(request, pk):
    version = get_object_or_404(selectors_guide.version_du_constructeur(pk))
    return page_version(request, version)


@concepteur_required
@require_POST
def publier(request, pk):
    version = get_object_or_404(selectors_guide.version_du_constructeur(pk))
    try:
        services.version_publier(version=version)
    except ValidationError as error:
        return page_version(request, version, erreur=" ".join(error.messages))
    messages.success(
        request,
        _("La version %(n)s est publiée : les nouveaux dossiers y entrent.")
        % {"n": version.numero},
    )
    return redirect("crm:guide_version", pk=version.pk)


@concepteur_required
@require_POST
def copier(request, pk):
    version = get_object_or_404(selectors_guide.version_du_constructeur(pk))
    copie = services.version_copier(version=version)
    messages.success(
        request,
        _("Nouveau brouillon (version %(n)s), copie de la version %(v)s.")
        % {"n": copie.numero, "v": version.numero},
    )
    return redirect("crm:guide_version", pk=copie.pk)


@concepteur_required
@require_safe
def exporter(request, pk):
    version = get_object_or_404(selectors_guide.version_du_constructeur(pk))
    contenu = json.dumps(echange.guide_exporter(version), ensure_ascii=False, indent=2)
    response = HttpResponse(contenu, content_type="application/json; charset=utf-8")
    nom = f"guide-{version.guide.dispositif.slug}-v{version.numero}.json"
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response


@concepteur_required
def importer(request, pk):
    """An exported guide as a new draft of this dispositif's guide; a refusal says why."""
    dispositif = get_object_or_404(Dispositif, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = echange.guide_importer(form.cleaned_data["fichier"], dispositif=dispositif)
        except ValidationError as error:
            apply_errors(form, ValidationError({"fichier": error.messages}))
        else:
            messages.success(
                request,
                _("Guide importé : nouveau brouillon (version %(n)s).") % {"n": version.numero},
            )
            return redirect("crm:guide_version", pk=version.pk)
    context = {
        "page_title": _("Importer un guide pour « %(t)s »") % {"t": dispositif.titre},
        "form": form,
        "dispositif": dispositif,
        **common.fil_ariane((None, _("Importer un guide"))),
    }
    return render(request, "crm/guides/importer.html", context)
