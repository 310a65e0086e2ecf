"""Dispositifs in the builder: the list with their versions, creating and editing their
catalogue content, export and import of a form model, the preview per view."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseFormSet
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.nombres import entier
from crm.access import concepteur_required
from crm.formulaires import common
from crm.formulaires.apercu import apercu as construire_apercu
from crm.formulaires.forms import (
    DispositifForm,
    ImportForm,
    LienFormSet,
    PieceFormSet,
    RechercheDispositifsForm,
    apply_errors,
)
from dossiers import selectors, services
from dossiers.models import Dispositif, ModeleDossier, Vue


@concepteur_required
@require_safe
def liste(request):
    form = RechercheDispositifsForm(request.GET or None)
    q = filtre = ""
    if form.is_valid():
        q, filtre = form.cleaned_data["q"], form.cleaned_data["filtre"]
    dispositifs = selectors.dispositifs_du_constructeur(q=q, filtre=filtre)
    context = {
        "page_title": _("Formulaires et dispositifs"),
        "form": form,
        "dispositifs": dispositifs,
        **common.fil_ariane(),
    }
    return render(request, "crm/formulaires/liste.html", context)


def _formulaire_dispositif(request, dispositif: Dispositif | None):
    """The sheet, its documents to provide and its links (FAQ, terms…), saved together.
    "Ajouter un lien" posts the form to get one more blank link row, saving nothing: with
    htmx only the links are swapped (the rest of the page keeps what was typed), without
    JavaScript the page comes back with everything typed."""
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    ajout_lien = data is not None and "ajouter_lien" in data
    if ajout_lien:
        data = data.copy()
        total = data.get("liens-TOTAL_FORMS", "0")
        total = min(entier(total) or 0, 50)
        data["liens-TOTAL_FORMS"] = str(total + 1)
        data[f"liens-{total}-ordre"] = str(total)  # the new row comes last
    instance = dispositif or Dispositif()
    # The saved illustration, read before the form puts a new upload on the instance.
    illustration = instance.illustration.url if instance.illustration else ""
    form = DispositifForm(data, files, instance=dispositif)
    pieces = PieceFormSet(data, files, instance=instance, prefix="pieces")
    liens = LienFormSet(data, instance=instance, prefix="liens")
    if (
        data is not None
        and not ajout_lien
        and form.is_valid() & pieces.is_valid() & liens.is_valid()
    ):
        with transaction.atomic():
            dispositif = form.save()
            for formset in (pieces, liens):
                formset.instance = dispositif
                formset.save()
        messages.success(request, _("Le dispositif « %(t)s » est enregistré.") % {"t": dispositif})
        return redirect("crm:formulaire_dispositif", pk=dispositif.pk)
    if ajout_lien:
        _sans_erreurs(form, pieces, liens)
    titre = dispositif.titre if dispositif else _("Nouveau dispositif")
    context = {
        "page_title": titre if dispositif is None else _("Modifier « %(t)s »") % {"t": titre},
        "form": form,
        "pieces": pieces,
        "liens": liens,
        "ajout_lien": ajout_lien,
        "illustration": illustration,
        "erreurs": data is not None and not ajout_lien,
        "dispositif": dispositif,
        **common.fil_ariane((None, titre)),
    }
    return render(request, "crm/formulaires/dispositif_form.html", context)


def _sans_erreurs(*elements) -> None:
    """Forms shown again with what was typed but not checked (a row was asked for, not a
    save): their errors are set empty, so rendering them does not validate them."""
    for element in elements:
        if isinstance(element, BaseFormSet):
            element._errors, element._non_form_errors = [], ErrorList()
            _sans_erreurs(*element.forms)
        else:
            element._errors = ErrorDict()


@concepteur_required
def dispositif_creer(request):
    return _formulaire_dispositif(request, None)


@concepteur_required
def dispositif_modifier(request, pk):
    return _formulaire_dispositif(request, get_object_or_404(Dispositif, pk=pk))


@concepteur_required
@require_safe
def exporter(request, pk):
    """A version (draft or published) as the JSON of dossiers.services.modele_exporter."""
    modele = get_object_or_404(ModeleDossier.objects.select_related("dispositif"), pk=pk)
    contenu = json.dumps(services.modele_exporter(modele), ensure_ascii=False, indent=2)
    response = HttpResponse(contenu, content_type="application/json; charset=utf-8")
    nom = f"{modele.dispositif.slug}-v{modele.version}.json"
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response


@concepteur_required
def importer(request, pk):
    """Replace the dispositif's draft by an exported model; a refusal says why."""
    dispositif = get_object_or_404(Dispositif, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.modele_importer(
                form.cleaned_data["fichier"], dispositif=dispositif, by=request.user
            )
        except ValidationError as error:
            apply_errors(form, ValidationError({"fichier": error.messages}))
        else:
            messages.success(request, _("Le modèle est importé dans le brouillon."))
            return redirect("crm:formulaire_constructeur", pk=dispositif.pk)
    context = {
        "page_title": _("Importer un modèle dans « %(t)s »") % {"t": dispositif.titre},
        "form": form,
        "dispositif": dispositif,
        **common.fil_ariane(
            (reverse("crm:formulaire_constructeur", args=[pk]), dispositif.titre),
            (None, _("Importer")),
        ),
    }
    return render(request, "crm/formulaires/importer.html", context)


@concepteur_required
@require_safe
def apercu(request, pk, vue):
    """The draft as the citizen, the agent or the partner sees it: never submitted."""
    if vue not in Vue.values:
        raise Http404
    dispositif = get_object_or_404(Dispositif, pk=pk)
    modele = services.modele_brouillon(dispositif=dispositif, by=request.user)
    form, etapes = construire_apercu(modele, vue)
    context = {
        "page_title": _("Aperçu — %(vue)s") % {"vue": Vue(vue).label},
        "dispositif": dispositif,
        "modele": modele,
        "vue": vue,
        "vues": Vue.choices,
        "form": form,
        "etapes": etapes,
        **common.fil_ariane(
            (reverse("crm:formulaire_constructeur", args=[pk]), dispositif.titre),
            (None, _("Aperçu")),
        ),
    }
    return render(request, "crm/formulaires/apercu.html", context)
