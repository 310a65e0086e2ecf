"""Moving a selection of dossiers (I3) from the CRM list: the list's checkboxes post the
selection here; this page offers what the selection may take (statuts by code with how
many of the dossiers allow each, the guides' manual déclencheurs), then applies it to
each dossier in its own transaction and reports the moved and the skipped with their
reasons (instruction.services_lot). Dossiers come through `dossiers_visible_to`: a
forged or foreign pk is reported as not found, never a 500.

Synchronous up to services_lot.LOT_MAX dossiers; larger batches, field updates and
campaigns are issue 9's Celery batches (crm/lots/, instruction.services_lots)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.nombres import entiers
from crm.dossiers.forms import apply_errors
from crm.dossiers.views import instructeur_required
from dossiers.selectors import dossiers_visible_to
from instruction import services_lot


class LotForm(forms.Form):
    choix = forms.ChoiceField(label=gettext_lazy("Action"), widget=forms.RadioSelect)
    motif = forms.CharField(
        label=gettext_lazy("Motif"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Il figure dans l’historique de chaque dossier."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choix, total, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choix"].choices = [
            (
                c.valeur,
                _("%(libelle)s — permis pour %(n)s dossier(s) sur %(total)s")
                % {"libelle": c.libelle, "n": c.nombre, "total": total},
            )
            for c in choix
        ]


@instructeur_required
@require_POST
def lot(request):
    demandes = request.POST.getlist("dossiers")
    pks = sorted(entiers(demandes))
    if len(pks) > services_lot.LOT_MAX:
        messages.error(
            request,
            _("Sélectionnez au plus %(n)s dossiers à la fois.") % {"n": services_lot.LOT_MAX},
        )
        return redirect("crm:dossiers")
    # Moving a statut instructs: only the dispositifs where the agent may (C7).
    dossiers = list(
        dossiers_visible_to(request.user, "instruire").filter(pk__in=pks).order_by("reference")
    )
    if not dossiers:
        messages.error(request, _("Sélectionnez au moins un dossier dans la liste."))
        return redirect("crm:dossiers")
    introuvables = len(set(demandes)) - len(dossiers)
    form = LotForm(
        request.POST if "appliquer" in request.POST else None,
        choix=services_lot.lot_choix(dossiers),
        total=len(dossiers),
    )
    bilan, status = None, 200
    if form.is_bound:
        if form.is_valid():
            try:
                bilan = services_lot.lot_appliquer(
                    dossiers=dossiers,
                    choix=form.cleaned_data["choix"],
                    by=request.user,
                    motif=form.cleaned_data["motif"],
                )
            except ValidationError as error:
                apply_errors(form, error)
        if bilan is None:
            status = 400
    context = {
        "page_title": _("Changer le statut de dossiers"),
        "dossiers": dossiers,
        "introuvables": introuvables,
        "form": form,
        "bilan": bilan,
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:dossiers"), "label": _("Dossiers")}],
        "current": _("Changer le statut"),
        "menu_actif": "dossiers",
    }
    return render(request, "crm/dossiers/lot.html", context, status=status)
