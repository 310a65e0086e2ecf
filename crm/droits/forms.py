"""Forms of the rights (C7) and territories (C8) screens: they parse; the rules live in
the models' clean() and dossiers.services_droits / services_territoires."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dossiers.models import ProfilMetier, Secteur, Territoire
from dossiers.selectors_droits import descendants


def _agents():
    return (
        get_user_model()
        .objects.filter(is_agent=True, is_active=True)
        .order_by("last_name", "first_name", "email")
    )


class AgentsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.email} ({obj.email})"


class ProfilMetierForm(forms.ModelForm):
    agents = AgentsField(queryset=None, required=False, label=_("Agents qui le détiennent"))

    class Meta:
        model = ProfilMetier
        fields = [
            "libelle",
            "code",
            "description",
            "tous_dispositifs",
            "voir",
            "instruire",
            "configurer",
            "exporter",
            "supprimer",
            "agents",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agents"].queryset = _agents()
        for nom in ("voir", "instruire", "configurer", "exporter", "supprimer"):
            self.fields[nom].help_text = _(
                "Sur tous les dispositifs, si la case ci-dessus est cochée."
            )


class TerritoireForm(forms.ModelForm):
    agents = AgentsField(queryset=None, required=False, label=_("Agents affectés"))

    class Meta:
        model = Territoire
        fields = ["nom", "code", "type", "parent", "agents"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agents"].queryset = _agents()
        self.fields["agents"].help_text = Territoire._meta.get_field("agents").help_text
        parents = Territoire.objects.order_by("nom")
        if self.instance.pk:  # not itself nor one of its sous-territoires
            arbre = list(Territoire.objects.values_list("pk", "parent_id"))
            parents = parents.exclude(pk__in=descendants({self.instance.pk}, arbre))
        self.fields["parent"].queryset = parents


class SecteurForm(forms.ModelForm):
    class Meta:
        model = Secteur
        fields = ["nature", "libelle", "code_insee", "code_postal", "polygone"]
        widgets = {"polygone": forms.Textarea(attrs={"rows": 3})}


SecteurFormSet = forms.inlineformset_factory(
    Territoire, Secteur, form=SecteurForm, extra=1, can_delete=True
)
