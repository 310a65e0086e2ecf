"""The Instruction tab of a dossier in the CRM (C3, I1, I5): the lifeline of its guide
(étapes done, current with time spent against the target, to come), the current statut,
the form moving it to a next statut through `instruction.services.change_status`, and
the history of its statut changes.

The next statuts are offered as action buttons named by the guide (`Statut.bouton`:
« Déclarer recevable », « Refuser »…), each submitting the form with its statut. The
reason (« motif ») is optional unless the chosen statut requires it (the statut's
« motif obligatoire » property, e.g. a refusal): the button says so, and change_status
refuses without it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.extensions import OngletDossier, register_onglet_crm
from crm.dossier_page import contexte_dossier, dossier_de_l_agent
from crm.dossiers import views_retour
from crm.dossiers.forms import apply_errors
from crm.dossiers.views import instructeur_required
from instruction import selectors, selectors_corrections, services
from instruction.models import Statut

HISTORIQUE_MAX = 100


class ChangementForm(forms.Form):
    statut = forms.ModelChoiceField(
        label=gettext_lazy("Nouveau statut"), queryset=Statut.objects.none()
    )
    motif = forms.CharField(
        label=gettext_lazy("Motif"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The statut the agent saw: another agent's change meanwhile is refused, not overwritten.
    attendu = forms.ModelChoiceField(queryset=Statut.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, suivi, suivants, **kwargs):
        super().__init__(*args, **kwargs)
        # Any statut of the version parses, so that change_status gives the precise refusal;
        # the choices offered are the allowed ones.
        version = Statut.objects.filter(version_id=suivi.version_id)
        self.fields["statut"].queryset = version
        self.fields["statut"].choices = [("", _("Choisir un statut"))] + [
            (
                s.pk,
                f"{s.etape.libelle} — {s.libelle}"
                + (f" ({_('motif obligatoire')})" if s.motif_obligatoire else ""),
            )
            for s in suivants
        ]
        # The page offers them as the guide's action buttons (« Déclarer recevable »,
        # « Refuser »…), each posting its statut; the select is their fallback label.
        self.boutons = [(s.pk, s.bouton) for s in suivants]
        avec_motif = [str(s.bouton) for s in suivants if s.motif_obligatoire]
        self.fields["motif"].help_text = (
            _("Obligatoire pour : %(boutons)s.") % {"boutons": ", ".join(avec_motif)}
            if avec_motif
            else _("Facultatif ; il figure dans l’historique du dossier.")
        )
        self.fields["attendu"].queryset = version
        self.fields["attendu"].initial = suivi.statut_id


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_instruction(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    suivi = selectors.suivi_de(dossier)
    form, status = None, 200
    if suivi is not None:
        form = ChangementForm(
            request.POST if request.method == "POST" else None,
            suivi=suivi,
            suivants=services.statuts_suivants(suivi),
        )
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.change_status(
                        dossier=dossier,
                        statut=form.cleaned_data["statut"],
                        by=request.user,
                        reason=form.cleaned_data["motif"],
                        attendu=form.cleaned_data["attendu"],
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("Le dossier est passé au statut « %(statut)s ».")
                        % {"statut": form.cleaned_data["statut"].libelle},
                    )
                    return redirect("crm:dossier_instruction", pk=dossier.pk)
            status = 400
    elif request.method == "POST":
        status = 400
    context = {
        **contexte_dossier(request, dossier, "instruction"),
        "suivi": suivi,
        "ligne": selectors.ligne_de_vie(suivi) if suivi else [],
        "changements": selectors.changements(dossier)[:HISTORIQUE_MAX] if suivi else [],
        "form": form,
        # Back to the previous statut and the timers (I8, views_retour).
        **views_retour.contexte_retour(dossier, suivi),
        # Correction requests to the citizen (I10): the open one, and the latest ones.
        "corrections": selectors_corrections.corrections(dossier) if suivi else [],
    }
    return render(request, "crm/dossiers/instruction.html", context, status=status)


def register() -> None:
    register_onglet_crm(
        OngletDossier(
            code="instruction",
            libelle=gettext_lazy("Instruction"),
            url_name="crm:dossier_instruction",
            ordre=15,
        )
    )
