"""Forms of a guide version's timers and déclencheurs (I8), on the builder's
« Automatismes » page: the statuts offered are the version's own."""

from django import forms
from django.utils.translation import gettext_lazy as _

from instruction.models import Declencheur, Minuteur, Statut, VersionGuide


def _statuts(version: VersionGuide):
    return (
        Statut.objects.filter(version=version)
        .select_related("etape")
        .order_by("etape__ordre", "ordre", "pk")
    )


class MinuteurForm(forms.ModelForm):
    # Both forms are on one page: prefixed, their fields' ids differ.
    prefix = "minuteur"

    class Meta:
        model = Minuteur
        fields = [
            "statut",
            "libelle",
            "delai",
            "unite",
            "depart",
            "champ",
            "cible",
            "vers_precedent",
            "motif",
            "actif",
        ]

    def __init__(self, *args, version: VersionGuide, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].queryset = _statuts(version)
        self.fields["statut"].help_text = _("Le minuteur court tant que le dossier y reste.")
        self.fields["cible"].queryset = _statuts(version)
        self.fields["delai"].min_value = -3650
        self.fields["delai"].max_value = 3650
        self.fields["delai"].widget.attrs.update(min=-3650, max=3650)


class DeclencheurForm(forms.ModelForm):
    champs = forms.CharField(
        label=_("Champs modifiables"),
        required=False,
        max_length=1000,
        help_text=_(
            "Noms techniques que les données reçues peuvent renseigner, séparés par des "
            "virgules, ex. « date_commission, montant_vote »."
        ),
    )

    prefix = "declencheur"

    class Meta:
        model = Declencheur
        fields = [
            "code",
            "libelle",
            "cible",
            "vers_precedent",
            "champs",
            "motif",
            "manuel",
            "webhook",
        ]

    def __init__(self, *args, version: VersionGuide, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cible"].queryset = _statuts(version)
        if self.instance.pk:
            self.initial["champs"] = ", ".join(self.instance.champs or [])

    def clean_champs(self):
        return [nom.strip() for nom in self.cleaned_data["champs"].split(",") if nom.strip()]
