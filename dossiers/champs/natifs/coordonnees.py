"""Contact details: email address and phone number."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.validators import format_phone, normalize_phone
from dossiers.champs.base import Definition
from dossiers.champs.natifs.communs import Type
from dossiers.champs.registry import register


class ChampEmail(forms.EmailField):
    def to_python(self, value: Any) -> str:
        return super().to_python(value).lower()


@register
class Email(Type):
    """Stored lower-cased, as accounts store theirs."""

    code = "email"
    libelle = _("Adresse électronique")
    categorie = "Coordonnées"

    def form_field(self, definition: Definition) -> forms.Field:
        attributs = self.attributs(
            definition,
            invalid=_("Saisissez une adresse électronique valide (exemple : nom@exemple.fr)."),
            max_length=_("Cette adresse électronique est trop longue : 254 caractères au plus."),
        )
        attributs["help_text"] = definition.aide or _("Format attendu : nom@domaine.fr")
        return ChampEmail(
            max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}), **attributs
        )


class SaisieTelephone(forms.TextInput):
    input_type = "tel"


class ChampTelephone(forms.CharField):
    """French or international numbers; the cleaned value is E.164 (+33612345678)."""

    def to_python(self, value: Any) -> str:
        texte = super().to_python(value)
        return normalize_phone(texte) if texte else texte

    def prepare_value(self, value: Any) -> Any:
        return format_phone(value) if isinstance(value, str) and value.startswith("+") else value


@register
class Telephone(Type):
    code = "telephone"
    libelle = _("Numéro de téléphone")
    categorie = "Coordonnées"

    def form_field(self, definition: Definition) -> forms.Field:
        attributs = self.attributs(definition)
        attributs["help_text"] = definition.aide or _(
            "Exemple : 06 12 34 56 78 ou, hors de France, +32 470 12 34 56"
        )
        return ChampTelephone(
            max_length=30,
            widget=SaisieTelephone(attrs={"autocomplete": "tel"}),
            **attributs,
        )

    def afficher(self, definition: Definition, valeur: str) -> str:
        return format_phone(valeur)

    def exporter(self, definition: Definition, valeur: str, *, libelles: bool) -> str:
        return format_phone(valeur)
