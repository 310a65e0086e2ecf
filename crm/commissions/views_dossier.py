"""Putting dossiers on a séance's agenda (I6): from a dossier's « Commissions » tab (its
agenda lines and meetings, and a form listing the open séances of the commissions of
its dispositif), and from the CRM list's selection (the list's checkboxes post here).
Dossiers come through `dossiers_visible_to`: a forged pk is « introuvable », never a
leak; each refusal (closed dossier, other dispositif, already on an agenda) is reported
with its reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from common.extensions import OngletDossier, register_onglet_crm
from common.nombres import entiers
from crm.commissions import forms
from crm.commissions.views import instructeur_required
from crm.dossier_page import contexte_dossier, dossier_de_l_agent
from instruction import selectors_commissions as selectors
from instruction import services_commissions as services
from instruction.models import Seance

SELECTION_MAX = 500


def _message_bilan(request, bilan) -> None:
    if bilan.ajoutes:
        messages.success(
            request,
            _("Inscrit(s) à l’ordre du jour : %(refs)s.")
            % {"refs": ", ".join(d.reference for d in bilan.ajoutes)},
        )
    for reference, raison in bilan.ignores:
        messages.error(request, f"{reference} : {raison}")


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_commissions(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    ouvertes = list(selectors.seances_ouvertes_pour(dossier))
    form = forms.InscrireForm(request.POST or None, seances=ouvertes)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            seance = get_object_or_404(Seance, pk=form.cleaned_data["seance"])
            try:
                bilan = services.ordre_du_jour_ajouter(
                    seance=seance, pks=[dossier.pk], by=request.user
                )
            except ValidationError as error:  # closed meanwhile
                form.add_error("seance", error.messages)
            else:
                if bilan.ajoutes:
                    _message_bilan(request, bilan)
                    return redirect("crm:dossier_commissions", pk=dossier.pk)
                form.add_error("seance", bilan.ignores[0][1])
        status = 400
    context = {
        **contexte_dossier(request, dossier, "commissions"),
        "points": selectors.points_du_dossier(dossier),
        "reunions": selectors.reunions_du_dossier(dossier),
        "raison_close": services.raison_dossier_clos(dossier),
        "ouvertes": ouvertes,
        "form": form,
    }
    return render(request, "crm/commissions/dossier.html", context, status=status)


@instructeur_required
@require_POST
def inscrire(request):
    """The CRM list's selection: choose an open séance, then each dossier is added or
    skipped with its reason."""
    pks = entiers(request.POST.getlist("dossiers"))
    if not pks or len(pks) > SELECTION_MAX:
        messages.error(
            request,
            _("Sélectionnez entre 1 et %(n)s dossiers dans la liste.") % {"n": SELECTION_MAX},
        )
        return redirect("crm:dossiers")
    ouvertes = list(selectors.seances_ouvertes())
    form = forms.InscrireForm(
        request.POST if "inscrire" in request.POST else None, seances=ouvertes
    )
    bilan, status = None, 200
    if form.is_bound:
        if form.is_valid():
            seance = get_object_or_404(Seance, pk=form.cleaned_data["seance"])
            try:
                bilan = services.ordre_du_jour_ajouter(seance=seance, pks=pks, by=request.user)
            except ValidationError as error:  # closed meanwhile
                form.add_error("seance", error.messages)
        if bilan is None:
            status = 400
    context = {
        "page_title": _("Inscrire des dossiers en commission"),
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:dossiers"), "label": _("Dossiers")}],
        "current": _("Inscrire en commission"),
        "menu_actif": "dossiers",
        "pks": pks,
        "form": form,
        "bilan": bilan,
        "seance": form.cleaned_data["seance"] if bilan else None,
    }
    return render(request, "crm/commissions/inscrire.html", context, status=status)


def register() -> None:
    register_onglet_crm(
        OngletDossier(
            code="commissions",
            libelle=gettext_lazy("Commissions"),
            url_name="crm:dossier_commissions",
            ordre=60,
        )
    )
