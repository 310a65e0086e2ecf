"""The advanced search's form (C10)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier
from dossiers.selectors_gestion import dispositifs_du_filtre


class RechercheAvanceeForm(forms.Form):
    categorie = forms.ChoiceField(
        label=_("Rechercher parmi"),
        choices=[
            ("dossiers", _("Dossiers")),
            ("individus", _("Individus")),
            ("profils", _("Profils")),
        ],
        initial="dossiers",
        widget=forms.RadioSelect,
    )
    nom = forms.CharField(
        label=_("Nom ou raison sociale"),
        required=False,
        max_length=150,
        help_text=_("Les accents et les fautes de frappe sont tolérés."),
    )
    prenom = forms.CharField(label=_("Prénom"), required=False, max_length=150)
    date_naissance = forms.DateField(
        label=_("Date de naissance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Individus et demandeurs des dossiers."),
    )
    commune = forms.CharField(label=_("Commune"), required=False, max_length=150)
    dispositif = forms.TypedChoiceField(
        label=_("Dispositif"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Dispositif inconnu ou hors de vos droits.")},
    )
    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous"))]
        + [(v, label) for v, label in Dossier.Statut.choices if v != Dossier.Statut.BROUILLON],
    )
    depose_du = forms.DateField(
        label=_("Déposé à partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    depose_au = forms.DateField(
        label=_("Déposé jusqu’au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    # The criteria each category reads; the others are ignored for it.
    CRITERES = {
        "dossiers": (
            "nom",
            "prenom",
            "date_naissance",
            "commune",
            "dispositif",
            "statut",
            "depose_du",
            "depose_au",
        ),
        "individus": ("nom", "prenom", "date_naissance", "commune"),
        "profils": ("nom", "commune"),
    }

    def __init__(self, *args, agent=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The agent's dispositifs only (C7): another's title is not offered.
        self.fields["dispositif"].choices = [("", _("Tous"))] + [
            (d.pk, d.titre) for d in dispositifs_du_filtre(agent)
        ]

    def clean(self):
        data = super().clean()
        du, au = data.get("depose_du"), data.get("depose_au")
        if du and au and du > au:
            self.add_error("depose_au", _("Cette date doit suivre la date « Déposé à partir du »."))
        if self.errors:
            return data
        criteres = self.CRITERES.get(data.get("categorie"), ())
        if not any(data.get(nom) for nom in criteres):
            raise forms.ValidationError(
                _("Indiquez au moins un critère pour cette recherche."), code="vide"
            )
        return data
