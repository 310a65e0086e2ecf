"""Consent: the acceptance of terms of use (F13)."""

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dossiers.champs.base import Definition
from dossiers.champs.natifs.choix import oui_non
from dossiers.champs.natifs.communs import OptionsForm, Type
from dossiers.champs.registry import register


@register
class AcceptationCgu(Type):
    """One checkbox that must be checked, whatever the view says of `obligatoire`: stored
    True, and nothing else (an unchecked box never validates)."""

    code = "acceptation_cgu"
    libelle = _("Acceptation des conditions d’utilisation")
    categorie = "Consentement"
    type_json = bool

    class Options(OptionsForm):
        texte = forms.CharField(
            label=_("Texte de la case"),
            help_text=_(
                "Par exemple « J’accepte les conditions générales d’utilisation du service. »"
            ),
            max_length=500,
        )
        lien = forms.URLField(
            label=_("Adresse des conditions"),
            required=False,
            assume_scheme="https",
            validators=[URLValidator(schemes=["http", "https"])],
        )
        libelle_lien = forms.CharField(
            label=_("Texte du lien"),
            help_text=_("Par défaut « Lire les conditions générales d’utilisation »."),
            required=False,
            max_length=200,
        )

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        attributs = self.attributs(
            definition, required=_("Cochez cette case pour accepter les conditions et continuer.")
        )
        attributs["label"] = options["texte"]
        attributs["required"] = True
        if options["lien"]:
            lien = format_html(
                '<a href="{}" target="_blank" rel="noopener noreferrer">{}'
                '<span class="fr-sr-only"> (nouvelle fenêtre)</span></a>',
                options["lien"],
                options["libelle_lien"] or _("Lire les conditions générales d’utilisation"),
            )
            attributs["help_text"] = (
                format_html("{} {}", definition.aide, lien) if definition.aide else lien
            )
        return forms.BooleanField(**attributs)

    def to_json(self, value: Any) -> bool | None:
        return True if value else None

    def est_vide(self, stored: Any) -> bool:
        return stored is not True

    def afficher(self, definition: Definition, valeur: Any) -> str:
        return oui_non(True)

    def exporter(self, definition: Definition, valeur: Any, *, libelles: bool) -> str:
        return oui_non(True) if libelles else "oui"
