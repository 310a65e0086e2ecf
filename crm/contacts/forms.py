"""Forms of the contacts screens. They parse input; the rules stay in contacts.services."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.enums import Canal, Sens, StatutContact
from contacts.selectors import modeles_actifs
from crm.referentiel.forms import DateInput
from dossiers.selectors import dossiers_visible_to
from usagers.models import Individu, Profil
from usagers.selectors import agents_actifs


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ContactForm(forms.Form):
    """The « Nouveau contact » form. Interlocuteurs and dossiers are offered among those
    already chosen (context, model, earlier search) and the search's candidates; the
    dossiers only among those the agent may open, so a forged id is an invalid choice."""

    modele = forms.ModelChoiceField(
        label=_("Modèle de contact"),
        queryset=None,
        required=False,
        empty_label=_("— Aucun —"),
        help_text=_("Préremplit le canal, l’objet, le compte rendu et les agents."),
    )
    canal = forms.ChoiceField(label=_("Canal"), choices=Canal.choices, widget=forms.RadioSelect)
    sens = forms.ChoiceField(
        label=_("Sens"), choices=Sens.choices, initial=Sens.ENTRANT, widget=forms.RadioSelect
    )
    quand = forms.DateTimeField(label=_("Date et heure"), widget=DateTimeInput)
    objet = forms.CharField(label=_("Objet"), max_length=200)
    compte_rendu = forms.CharField(
        label=_("Compte rendu"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    individus = forms.ModelMultipleChoiceField(
        label=_("Individus"),
        queryset=Individu.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    profils = forms.ModelMultipleChoiceField(
        label=_("Profils"),
        queryset=Profil.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interlocuteur_libre = forms.CharField(
        label=_("Interlocuteur non référencé"),
        max_length=200,
        required=False,
        help_text=_("Quand la personne n’est pas dans le référentiel : nom, qualité, téléphone."),
    )
    agents = forms.ModelMultipleChoiceField(
        label=_("Agents liés"),
        queryset=agents_actifs(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Vous êtes ajouté d’office comme émetteur du contact."),
    )
    dossiers = forms.ModelMultipleChoiceField(
        label=_("Dossiers liés"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    statut = forms.ChoiceField(
        label=_("Statut"),
        choices=StatutContact.choices,
        initial=StatutContact.OUVERT,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, individus=(), profils=(), dossiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modele"].queryset = modeles_actifs()
        # With JavaScript, choosing a model applies it at once (the button does it without).
        self.fields["modele"].widget.attrs.update(
            {
                "hx-post": reverse("crm:contact_nouveau"),
                "hx-trigger": "change",
                "hx-vals": '{"action": "modele"}',
            }
        )
        self.fields["dossiers"].queryset = dossiers_visible_to(user)
        self.fields["quand"].initial = timezone.localtime().replace(second=0, microsecond=0)
        # What each list offers (the validation querysets stay the whole tables).
        self.fields["individus"].choices = [(i.pk, i.nom_complet) for i in individus]
        self.fields["profils"].choices = [(p.pk, p.nom) for p in profils]
        self.fields["dossiers"].choices = [
            (d.pk, f"{d.reference} — {d.dispositif.titre}") for d in dossiers
        ]


class RechercheInterlocuteurForm(forms.Form):
    q = forms.CharField(label=_("Rechercher un individu ou un profil"), required=False)


class TacheForm(forms.Form):
    libelle = forms.CharField(label=_("Tâche"), max_length=200)
    echeance = forms.DateField(label=_("Échéance"), required=False, widget=DateInput)
    assignee = forms.ModelChoiceField(
        label=_("Confiée à"),
        queryset=agents_actifs(),
        required=False,
        empty_label=_("— Personne —"),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeplacerForm(forms.Form):
    dossier = forms.ModelChoiceField(label=_("Dossier"), queryset=None, widget=forms.RadioSelect)

    def __init__(self, *args, user, candidats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = dossiers_visible_to(user)
        self.fields["dossier"].choices = [
            (d.pk, f"{d.reference} — {d.dispositif.titre} — {d.demandeur_individu or ''}")
            for d in candidats
        ]


class FiltresForm(forms.Form):
    q = forms.CharField(label=_("Objet ou interlocuteur"), required=False)
    canal = forms.ChoiceField(
        label=_("Canal"), choices=[("", _("Tous"))] + Canal.choices, required=False
    )
    statut = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous"))] + StatutContact.choices, required=False
    )
    agent = forms.ModelChoiceField(
        label=_("Agent"), queryset=agents_actifs(), required=False, empty_label=_("Tous")
    )
    du = forms.DateField(label=_("Du"), required=False, widget=DateInput)
    au = forms.DateField(label=_("Au"), required=False, widget=DateInput)
