"""Forms of the CRM's message screens; the rules stay in notifications.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import registry
from notifications.models import Canal, ModeleMessage, Statut


def choix_evenements():
    return [(e.code, e.libelle) for e in registry.evenements()]


class ModeleForm(forms.ModelForm):
    evenement = forms.ChoiceField(
        label=_("Événement"),
        help_text=_("Le modèle peut utiliser les variables de cet événement."),
    )

    class Meta:
        model = ModeleMessage
        fields = ["nom", "canal", "evenement", "sujet", "corps", "joindre_documents"]
        widgets = {"corps": forms.Textarea(attrs={"rows": 12, "spellcheck": "true"})}
        help_texts = {
            "sujet": _("Objet du courriel, titre de la notification ; inutile pour un SMS."),
            "corps": _("Variables entre doubles accolades, par exemple {{ usager.prenom }}."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evenement"].choices = choix_evenements()


class EnvoiTestForm(forms.Form):
    destinataire = forms.CharField(
        label=_("Envoyer le test à"),
        max_length=320,
        help_text=_("Une adresse électronique (ou un numéro de mobile pour un modèle SMS)."),
    )


class CorrespondanceForm(forms.Form):
    evenement = forms.ChoiceField(label=_("Événement"))
    modele = forms.ModelChoiceField(
        label=_("Modèle à envoyer"), queryset=ModeleMessage.objects.order_by("nom")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evenement"].choices = choix_evenements()


class FiltreFileForm(forms.Form):
    statut = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[("", _("Tous"))] + Statut.choices
    )
    canal = forms.ChoiceField(
        label=_("Canal"),
        required=False,
        choices=[("", _("Tous"))] + [c for c in Canal.choices if c[0] != Canal.APPLICATION],
    )
    q = forms.CharField(label=_("Destinataire ou objet"), required=False, max_length=200)
