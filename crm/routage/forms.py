"""Forms of the routing screens (C14): teams, routing rules, labels, and the dossier
page's panel. They parse input; the rules stay in dossiers.services_routage."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import (
    Dispositif,
    Equipe,
    Etiquette,
    PreferenceResume,
    RegleRoutage,
    Territoire,
)
from dossiers.selectors_gestion import agents_instructeurs
from dossiers.selectors_routage import champs_du_dispositif, equipes_actives


class EquipeForm(forms.ModelForm):
    class Meta:
        model = Equipe
        fields = ["nom", "code", "description", "active", "agents", "dispositifs"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "agents": forms.CheckboxSelectMultiple,
            "dispositifs": forms.CheckboxSelectMultiple,
        }
        help_texts = {"code": _("Lettres minuscules, chiffres et tirets, par exemple « enfance ».")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agents"].queryset = agents_instructeurs()
        self.fields["dispositifs"].queryset = Dispositif.objects.order_by("titre")


def _territoire_libelle(territoire: Territoire) -> str:
    # « Centre (Belleville) »: sous-territoires of two communes may share a name.
    return f"{territoire.nom} ({territoire.parent.nom})" if territoire.parent_id else territoire.nom


class RegleRoutageForm(forms.ModelForm):
    class Meta:
        model = RegleRoutage
        fields = [
            "nom",
            "active",
            "dispositif",
            "champ",
            "operateur",
            "valeur",
            "communes",
            "territoire",
            "equipe",
            "agent",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispositif"].queryset = Dispositif.objects.order_by("titre")
        territoire = self.fields["territoire"]
        territoire.queryset = Territoire.objects.select_related("parent").order_by("nom")
        territoire.empty_label = _("Tous les territoires")
        territoire.label_from_instance = _territoire_libelle
        self.fields["dispositif"].empty_label = _("Tous les dispositifs")
        self.fields["equipe"].queryset = equipes_actives()
        self.fields["equipe"].empty_label = _("Aucune")
        self.fields["agent"].queryset = agents_instructeurs()
        self.fields["agent"].empty_label = _("Aucun")

    def clean(self):
        data = super().clean()
        dispositif, champ = data.get("dispositif"), data.get("champ")
        if dispositif and champ and not champs_du_dispositif(dispositif).filter(nom=champ).exists():
            self.add_error(
                "champ",
                _("Le formulaire de ce dispositif n’a pas de champ « %(c)s ».") % {"c": champ},
            )
        return data


class EtiquetteForm(forms.ModelForm):
    class Meta:
        model = Etiquette
        fields = ["libelle", "couleur", "description", "active"]


class EquipeDossierForm(forms.Form):
    equipe = forms.ModelChoiceField(
        label=_("Équipe chargée du dossier"),
        queryset=Equipe.objects.none(),
        required=False,
        empty_label=_("Aucune"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "equipe_dossier_%s")
        super().__init__(*args, **kwargs)
        self.fields["equipe"].queryset = equipes_actives()


class EtiquetteDossierForm(forms.Form):
    """The label to add or remove: any label by id (a removed one may be inactive); an
    unknown id is refused as a form error, never a 500."""

    etiquette = forms.ModelChoiceField(label=_("Étiquette"), queryset=Etiquette.objects.all())
    action = forms.ChoiceField(choices=[("ajouter", "ajouter"), ("retirer", "retirer")])


class PreferenceResumeForm(forms.Form):
    """« Mes dossiers suivis »: how the agent hears of their followed dossiers."""

    frequence = forms.ChoiceField(
        label=_("Recevoir le résumé de mes dossiers suivis"),
        choices=PreferenceResume.Frequence.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une fréquence."),
            "invalid_choice": _("Choisissez l’une des fréquences proposées."),
        },
    )
