"""Forms of who edits a dossier (F14, P7)."""

import datetime as dt

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import DateInput


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne"),
        max_length=254,
        help_text=_("Format attendu : nom@domaine.fr"),
        error_messages={
            "required": _("Indiquez l’adresse électronique de la personne."),
            "invalid": _("Saisissez une adresse électronique valide, par exemple nom@domaine.fr."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"


telephone = RegexValidator(
    r"^(\+33 ?|0)[1-9]( ?\d{2}){4}$",
    _("Saisissez un numéro de téléphone français, par exemple 06 12 34 56 78."),
)
code_postal = RegexValidator(
    r"^\d{5}$", _("Le code postal compte cinq chiffres, par exemple 45000.")
)


class TiersForm(forms.Form):
    """The person a request is filed for (P7)."""

    prenom = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        error_messages={"required": _("Indiquez le prénom de la personne.")},
    )
    nom = forms.CharField(
        label=_("Nom"),
        max_length=150,
        error_messages={"required": _("Indiquez le nom de la personne.")},
    )
    date_naissance = forms.DateField(
        label=_("Date de naissance"),
        widget=DateInput(),
        help_text=_("Format attendu : JJ/MM/AAAA"),
        error_messages={
            "required": _("Indiquez la date de naissance de la personne."),
            "invalid": _("Saisissez une date valide, par exemple 14/07/1985."),
        },
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        required=False,
        max_length=254,
        help_text=_("Format attendu : nom@domaine.fr"),
        error_messages={
            "invalid": _("Saisissez une adresse électronique valide, par exemple nom@domaine.fr.")
        },
    )
    telephone_mobile = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=20,
        validators=[telephone],
        help_text=_("Exemple : 06 12 34 56 78"),
    )
    adresse = forms.CharField(
        label=_("Adresse"),
        required=False,
        max_length=255,
        help_text=_("Exemple : 12 rue de la Paix"),
    )
    code_postal = forms.CharField(
        label=_("Code postal"), required=False, max_length=5, validators=[code_postal]
    )
    commune = forms.CharField(label=_("Commune"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {
            "prenom": "off",
            "nom": "off",
            "date_naissance": "off",
            "email": "off",
            "telephone_mobile": "off",
            "adresse": "off",
            "code_postal": "off",
            "commune": "off",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value

    def clean_date_naissance(self):
        date = self.cleaned_data["date_naissance"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("La date de naissance ne peut pas être dans le futur."))
        if date < dt.date(1900, 1, 1):
            raise forms.ValidationError(_("Saisissez une date de naissance après 1900."))
        return date

    def clean_telephone_mobile(self):
        return " ".join(self.cleaned_data["telephone_mobile"].split())
