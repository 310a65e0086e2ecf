"""On the Instruction tab (I8): « Revenir au statut précédent » — the statut before the
current one, through instruction.services_retour (its history line, the re-entered
statut's actions) — and what the tab shows of the automatic changes to come (the
statut's timers and when each is due)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm.dossier_page import dossier_de_l_agent
from crm.dossiers.views import instructeur_required
from instruction import selectors, services_minuteurs, services_retour
from instruction.models import Statut

# Beside the tab's change form: its own field names and ids.
PREFIXE = "retour"


class RetourForm(forms.Form):
    motif = forms.CharField(
        label=gettext_lazy("Motif du retour"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The statut the agent saw: another agent's change meanwhile is refused.
    attendu = forms.ModelChoiceField(queryset=Statut.objects.all(), widget=forms.HiddenInput)


def contexte_retour(dossier, suivi) -> dict:
    """What the Instruction tab adds: the return form when there is a previous statut,
    and the timers of the current statut."""
    if suivi is None:
        return {}
    precedent = services_retour.statut_precedent(dossier)
    return {
        "precedent": precedent,
        "retour_form": (
            RetourForm(initial={"attendu": suivi.statut_id}, prefix=PREFIXE) if precedent else None
        ),
        "minuteurs": services_minuteurs.minuteurs_du_dossier(suivi, dossier.donnees),
        "echec_minuteur": services_minuteurs.echec_minuteur(suivi),
    }


@instructeur_required
@require_POST
def retour(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    form = RetourForm(request.POST, prefix=PREFIXE)
    if not form.is_valid() or selectors.suivi_de(dossier) is None:
        messages.error(request, _("Le retour au statut précédent n’a pas pu être demandé."))
        return redirect("crm:dossier_instruction", pk=dossier.pk)
    try:
        changement = services_retour.retour_statut_precedent(
            dossier=dossier,
            by=request.user,
            reason=form.cleaned_data["motif"],
            attendu=form.cleaned_data["attendu"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Le dossier est revenu au statut « %(statut)s ».")
            % {"statut": changement.vers.libelle},
        )
    return redirect("crm:dossier_instruction", pk=dossier.pk)
