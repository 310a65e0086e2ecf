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
        error_messages={"invalid_choice": _("Dispositif inconnu ou hors de vos droits.")},
    )
    du = forms.DateField(
        label=_("Déposés du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    au = forms.DateField(
        label=_("au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, agent=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The agent's dispositifs only (C7): another's title is not offered; a forged
        # one is refused with the same message whether it exists or not.
        self.fields["dispositif"].queryset = dispositifs_du_filtre(agent)

    def hors_portee(self) -> bool:
        """A dispositif was asked for that the agent may not see (or that does not
        exist): the statistics then count nothing rather than every dispositif."""
        return self.is_bound and not self.is_valid() and "dispositif" in self.errors

    def clean(self):
        donnees = super().clean()
        if donnees.get("du") and donnees.get("au") and donnees["du"] > donnees["au"]:
            self.add_error("au", _("La fin de la période précède son début."))
        return donnees
