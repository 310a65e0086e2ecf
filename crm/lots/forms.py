"""Forms of the batch pages: the operation, then its parameters (each offered from the
selection: the statuts its dossiers may take, its dispositifs and their fields, the
campaign templates). The service checks them again (instruction.services_lots)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from instruction import services_lots
from instruction.models import Lot


class SorteForm(forms.Form):
    sorte = forms.ChoiceField(
        label=gettext_lazy("Opération"),
        choices=Lot.Sorte.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choisissez une opération."),
            "invalid_choice": gettext_lazy("Choisissez une opération de la liste."),
        },
    )


class StatutForm(forms.Form):
    statut = forms.ChoiceField(
        label=gettext_lazy("Nouveau statut"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choisissez le statut."),
            "invalid_choice": gettext_lazy("Choisissez un statut de la liste."),
        },
    )
    motif = forms.CharField(
        label=gettext_lazy("Motif"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Il figure dans l’historique de chaque dossier."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choix, total, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [
            (
                c.valeur,
                _("%(libelle)s — permis pour %(n)s dossier(s) sur %(total)s")
                % {"libelle": c.libelle, "n": c.nombre, "total": total},
            )
            for c in choix
        ]

    def params(self) -> dict:
        return dict(self.cleaned_data)


class CampagneForm(forms.Form):
    modele = forms.ModelChoiceField(
        label=gettext_lazy("Modèle de message"),
        queryset=services_lots.modeles_campagne(),
        empty_label=gettext_lazy("Choisissez un modèle"),
        help_text=gettext_lazy(
            "Les modèles publiés de courriel ou de SMS écrits pour l’événement « changement "
            "de statut » : ils sont rendus pour chaque dossier avec son statut actuel."
        ),
        error_messages={
            "required": gettext_lazy("Choisissez le modèle de message."),
            "invalid_choice": gettext_lazy("Choisissez un modèle de la liste."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modele"].queryset = services_lots.modeles_campagne()
        self.fields["rythme"] = forms.IntegerField(
            label=_("Messages par minute"),
            min_value=1,
            max_value=services_lots.rythme_max(),
            initial=60,
            help_text=_("La campagne s’étale : pas plus de messages que cela chaque minute."),
        )

    def params(self) -> dict:
        return {"modele": self.cleaned_data["modele"].pk, "rythme": self.cleaned_data["rythme"]}


class ChampsForm(forms.Form):
    """Dispositif, then one of its fields; the value's own form comes from the field's
    type (`valeur_form`)."""

    dispositif = forms.TypedChoiceField(
        label=gettext_lazy("Dispositif"),
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choisissez le dispositif."),
            "invalid_choice": gettext_lazy("Choisissez un dispositif de la sélection."),
        },
    )
    champ = forms.ChoiceField(
        label=gettext_lazy("Champ à modifier"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choisissez un champ de la liste.")},
    )

    def __init__(self, *args, dispositifs, champs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispositif"].choices = [
            (d.pk, _("%(titre)s (%(n)s dossier(s))") % {"titre": d.titre, "n": n})
            for d, n in dispositifs
        ]
        if len(dispositifs) == 1:
            self.fields["dispositif"].initial = dispositifs[0][0].pk
        self.fields["champ"].choices = [("", _("Choisissez un champ"))] + [
            (c.nom, f"{c.libelle} ({c.nom})") for c in champs
        ]


def valeur_form(champ, data=None):
    """A form holding the chosen field's own form field, prefixed so that its widget's
    names cannot meet the page's other fields."""
    from dossiers import champs as types_de_champ
    from dossiers import services as dossiers_services
    from dossiers.models import Vue

    definition = dossiers_services.champ_definition(champ, Vue.CRM)
    field = types_de_champ.get(champ.type).form_field(definition)
    field.label = _("Nouvelle valeur de « %(champ)s »") % {"champ": champ.libelle}
    field.required = False
    form = forms.Form(data, prefix="v")
    form.fields[champ.nom] = field
    return form
