"""Forms of filing without an account and of following such a request (P6, F14)."""

from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dossiers.models import VerificationSuivi
from dossiers.services_hors_compte import code_normaliser, verification_normaliser
from portal.forms import DateInput

format_html_lazy = lazy(format_html, str)


class CodePostalInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "postal-code", **(attrs or {})})


def _champ_verification(nature: str, **kwargs) -> forms.Field:
    if nature == VerificationSuivi.DATE_NAISSANCE:
        return forms.DateField(
            label=_("Votre date de naissance"),
            widget=DateInput(attrs={"autocomplete": "bday"}),
            help_text=_("Elle vous sera demandée avec votre code de suivi."),
            **kwargs,
        )
    return forms.CharField(
        label=_("Votre code postal"),
        max_length=10,
        widget=CodePostalInput(),
        help_text=_(
            "Cinq chiffres, par exemple 45000. Il vous sera demandé avec votre code de suivi."
        ),
        **kwargs,
    )


class CoordonneesSuiviForm(forms.Form):
    """The « Vos coordonnées de suivi » step, before a request is filed without account."""

    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        help_text=_(
            "Le lien de suivi, le code de suivi et la clé de rattachement y seront envoyés."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    email_confirmation = forms.EmailField(
        label=_("Confirmez votre adresse électronique"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    prenom = forms.CharField(
        label=_("Votre prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    nom = forms.CharField(
        label=_("Votre nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    consentement = forms.BooleanField(
        label=format_html_lazy(
            '{} <a href="{}">{}</a>.',
            _(
                "J’accepte que mon adresse électronique et l’information de vérification "
                "servent uniquement au suivi de cette demande, comme décrit dans la page"
            ),
            reverse_lazy("portal:privacy"),
            _("Données personnelles"),
        ),
        error_messages={"required": _("Cochez cette case pour déposer votre demande.")},
    )

    def __init__(self, *args, verification: str, demander_nom: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.nature = verification
        champs = dict(self.fields)
        self.fields = {
            "email": champs["email"],
            "email_confirmation": champs["email_confirmation"],
            "verification": _champ_verification(verification),
            **({"prenom": champs["prenom"], "nom": champs["nom"]} if demander_nom else {}),
            "consentement": champs["consentement"],
        }

    def clean_verification(self):
        valeur = self.cleaned_data["verification"]
        if verification_normaliser(self.nature, valeur) is None:
            raise forms.ValidationError(
                _("Saisissez un code postal de cinq chiffres, par exemple 45000."),
                code="code_postal",
            )
        return valeur

    def clean(self):
        cleaned = super().clean()
        email, confirmation = cleaned.get("email"), cleaned.get("email_confirmation")
        if email and confirmation and email.strip().lower() != confirmation.strip().lower():
            self.add_error(
                "email_confirmation",
                _("Les deux adresses ne sont pas identiques : vérifiez votre saisie."),
            )
        return cleaned


class CodeSuiviForm(forms.Form):
    """The tracking code and the verification value given when filing."""

    code = forms.CharField(
        label=_("Code de suivi"),
        max_length=20,
        help_text=_("Dix caractères, dans le courriel reçu au dépôt. Par exemple : K7QPM-3XHTA"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    verification = forms.CharField(
        label=_("Date de naissance ou code postal"),
        max_length=20,
        help_text=_(
            "Celui que vous avez donné au dépôt (le courriel le rappelle). "
            "Date au format JJ/MM/AAAA, code postal en cinq chiffres."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_code(self):
        code = code_normaliser(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("Un code de suivi compte dix lettres et chiffres, par exemple K7QPM-3XHTA."),
                code="format",
            )
        return code


class LienRenvoyerForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique donnée au dépôt"),
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    reference = forms.CharField(
        label=_("Référence de la demande"),
        max_length=40,
        help_text=_("Par exemple : 2026-SAL-000042"),
    )


class RattacherForm(forms.Form):
    reference = forms.CharField(
        label=_("Référence de la demande"),
        max_length=40,
        help_text=_("Par exemple : 2026-SAL-000042"),
    )
    cle = forms.CharField(
        label=_("Clé de rattachement"),
        max_length=40,
        help_text=_(
            "Seize caractères, dans le courriel reçu au dépôt. Par exemple : ABCD-EFGH-JKMN-PQRS"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
