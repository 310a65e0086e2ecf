from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.selectors_gestion import dispositifs_du_filtre
from instruction.selectors_statistiques import REGROUPEMENTS


class StatistiquesForm(forms.Form):
    regroupement = forms.ChoiceField(
        label=_("Regrouper par"), choices=list(REGROUPEMENTS.items()), required=False
    )
    dispositif = forms.ModelChoiceField(
        label=_("Dispositif"),
        queryset=dispositifs_du_filtre(),
        required=False,
        empty_label=_("Tous"),
    )
    du = forms.DateField(
        label=_("Déposés du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    au = forms.DateField(
        label=_("au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("du") and donnees.get("au") and donnees["du"] > donnees["au"]:
            self.add_error("au", _("La fin de la période précède son début."))
        return donnees
