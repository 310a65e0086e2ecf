"""Forms of the rights (C7) and territories (C8) screens: they parse; the rules live in
the models' clean() and dossiers.services_droits / services_territoires."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from common.extensions import tous_les_dashlets
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


# The profil's default dashboard (C1): one « position » box per dashlet (empty: not
# shown), no JavaScript needed to order them.
PREFIXE = "tableau__"


class TableauDeBordMixin:
    """For a ModelForm of ProfilMetier: adds the position fields, writes the ordered
    codes into `tableau_de_bord` (equal positions keep the dashlets' default order)."""

    def ajouter_champs_tableau(self) -> None:
        actuels = list(getattr(self.instance, "tableau_de_bord", None) or [])
        for dashlet in tous_les_dashlets():
            nom = f"{PREFIXE}{dashlet.code}"
            self.fields[nom] = forms.IntegerField(
                label=dashlet.libelle,
                required=False,
                min_value=1,
                max_value=99,
                help_text=dashlet.description,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            if dashlet.code in actuels:
                self.initial.setdefault(nom, actuels.index(dashlet.code) + 1)
        self.fields.pop("tableau_de_bord", None)

    def champs_tableau(self):
        return [self[nom] for nom in self.fields if nom.startswith(PREFIXE)]

    def codes_tableau(self) -> list[str]:
        positions = []
        for rang, dashlet in enumerate(tous_les_dashlets()):
            position = self.cleaned_data.get(f"{PREFIXE}{dashlet.code}")
            if position is not None:
                positions.append((position, rang, dashlet.code))
        return [code for _p, _r, code in sorted(positions)]

    def _post_clean(self):
        # Before the model's clean(): the instance holds the codes the boxes give.
        if hasattr(self, "cleaned_data"):
            self.instance.tableau_de_bord = self.codes_tableau()
        super()._post_clean()


AIDE_TABLEAU = _(
    "Numérotez les blocs à afficher (1 en haut) ; laissez vide ceux que ce profil ne "
    "propose pas. Un agent qui a composé son propre tableau de bord garde le sien."
)


class ProfilMetierForm(TableauDeBordMixin, forms.ModelForm):
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
        self.ajouter_champs_tableau()

    def champs_principaux(self):
        return [self[nom] for nom in self.fields if not nom.startswith(PREFIXE)]


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
