"""Forms of the commission and meeting screens (I6). Amounts are typed the French way
(« 1 500,50 », « 1500.50 € »); anything else gets a French message next to the field,
the input kept."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.formulaires.forms import DateHeureInput
from instruction.models import Commission, Decision

_BLANCS = re.compile(r"[\s\u00a0\u202f]")


class MontantField(forms.Field):
    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 30})

    def to_python(self, value):
        texte = _BLANCS.sub("", str(value or "")).removesuffix("€").replace(",", ".")
        if not texte:
            return None
        if len(texte) > 30:
            raise forms.ValidationError(_("Ce montant est trop long."), code="long")
        try:
            montant = Decimal(texte)
        except InvalidOperation:
            raise forms.ValidationError(
                _("Saisissez un montant en euros (exemple : 1 234,50)."), code="invalide"
            ) from None
        if not montant.is_finite() or montant.as_tuple().exponent < -2:
            raise forms.ValidationError(
                _("Saisissez un montant avec au plus 2 chiffres après la virgule."),
                code="decimales",
            )
        if montant < 0:
            raise forms.ValidationError(
                _("Le montant accordé ne peut pas être négatif."), code="negatif"
            )
        if montant >= Decimal("1e10"):
            raise forms.ValidationError(_("Ce montant est trop élevé."), code="trop_eleve")
        return montant


class SeanceForm(forms.Form):
    commission = forms.ModelChoiceField(
        label=_("Commission"), queryset=Commission.objects.filter(active=True)
    )
    date = forms.DateTimeField(label=_("Date et heure"), widget=DateHeureInput())
    lieu = forms.CharField(label=_("Lieu"), required=False, max_length=200)


class SeanceModifierForm(forms.Form):
    date = forms.DateTimeField(label=_("Date et heure"), widget=DateHeureInput())
    lieu = forms.CharField(label=_("Lieu"), required=False, max_length=200)
    proces_verbal = forms.CharField(
        label=_("Procès-verbal"),
        required=False,
        max_length=50000,
        help_text=_("Texte du procès-verbal (mise en forme HTML simple acceptée)."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class DocumentForm(forms.Form):
    titre = forms.CharField(label=_("Titre du document"), required=False, max_length=200)
    fichier = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, DOCX, ODT, JPEG ou PNG ; 10 Mo au plus."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"), choices=[("", _("Choisir"))] + list(Decision.choices)
    )
    montant = MontantField(label=_("Montant accordé (€)"), required=False)
    motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InscrireForm(forms.Form):
    seance = forms.TypedChoiceField(label=_("Séance"), coerce=int)

    def __init__(self, *args, seances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seance"].choices = [("", _("Choisir une séance"))] + [
            (s.pk, str(s)) for s in seances
        ]


class ReunionForm(forms.Form):
    objet = forms.CharField(label=_("Objet"), max_length=200)
    date = forms.DateTimeField(label=_("Date et heure"), widget=DateHeureInput())
    lieu = forms.CharField(label=_("Lieu"), required=False, max_length=200)
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        max_length=5000,
        help_text=_("Un par ligne."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    compte_rendu = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    references = forms.CharField(
        label=_("Dossiers évoqués"),
        required=False,
        max_length=5000,
        help_text=_("Références des dossiers, séparées par des espaces ou des virgules."),
    )

    def __init__(self, *args, dossiers_visibles, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossiers_visibles = dossiers_visibles

    def clean_references(self):
        references = [r for r in re.split(r"[\s,;]+", self.cleaned_data["references"]) if r]
        trouves = dict(
            self.dossiers_visibles.filter(reference__in=references).values_list("reference", "pk")
        )
        inconnues = [r for r in references if r not in trouves]
        if inconnues:
            raise forms.ValidationError(
                _("Dossier(s) introuvable(s) : %(refs)s.") % {"refs": ", ".join(inconnues)}
            )
        return [trouves[r] for r in references]
