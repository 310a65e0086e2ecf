"""Correction requests from the CRM (I10): on the dossier's Instruction tab, « Demander
une correction » opens a form (the fields the citizen may correct, as a checklist of
the form's fields; the reason shown to them; an optional due date) that calls
`instruction.services_corrections.correction_demander`; an open request may be
cancelled. The citizen's answer is seen in the tab's list of requests and the history."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from crm.dossier_page import contexte_dossier, dossier_de_l_agent
from crm.dossiers.forms import apply_errors
from crm.dossiers.views import instructeur_required
from dossiers import services_champs
from instruction import selectors_corrections, services_corrections


class DemandeCorrectionForm(forms.Form):
    champs = forms.MultipleChoiceField(
        label=gettext_lazy("Champs à corriger par l’usager"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choisissez au moins un champ à corriger.")},
    )
    motif = forms.CharField(
        label=gettext_lazy("Motif"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Montré à l’usager, dans le courriel et sur sa demande."),
        error_messages={"required": gettext_lazy("Indiquez à l’usager le motif de la correction.")},
    )
    echeance = forms.DateField(
        label=gettext_lazy("À corriger avant le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Facultatif. Format attendu : JJ/MM/AAAA"),
        error_messages={"invalid": gettext_lazy("Saisissez une date valide.")},
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["champs"].choices = [
            (c.nom, f"{c.libelle} ({c.nom})")
            for c in services_champs.champs_corrigeables(dossier.modele)
        ]


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_correction(request, pk):
    # Its form too needs « instruire » (C7): a reader gets no form to fill in vain.
    dossier = dossier_de_l_agent(request, pk, droit="instruire")
    form = DemandeCorrectionForm(request.POST or None, dossier=dossier)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services_corrections.correction_demander(
                    dossier=dossier,
                    champs=form.cleaned_data["champs"],
                    motif=form.cleaned_data["motif"],
                    echeance=form.cleaned_data["echeance"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("La demande de correction est envoyée à l’usager."))
                return redirect("crm:dossier_instruction", pk=dossier.pk)
        status = 400
    context = {
        **contexte_dossier(request, dossier, "instruction"),
        "form": form,
        "ouverte": selectors_corrections.correction_ouverte(dossier),
        "page_title": _("Demander une correction — %(r)s") % {"r": dossier.reference},
    }
    return render(request, "crm/dossiers/correction.html", context, status=status)


@instructeur_required
@require_POST
def dossier_correction_annuler(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    try:
        services_corrections.correction_annuler(dossier=dossier, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("La demande de correction est annulée."))
    return redirect("crm:dossier_instruction", pk=dossier.pk)
