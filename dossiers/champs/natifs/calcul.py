"""Calcul (F4): a number computed from the other fields of the form by a formula.

The formula (`formule`) is written in the language of dossiers/formules/calculs.py
(never eval): other fields by technical name, keys of choice fields as texts, functions
such as si(), arrondi(), somme(). Like `age`, the usager never types it: `form_field` is a
disabled input carrying the parsed formula as JSON (`data-calcul`, with `data-decimales`)
so static/js/formules.js updates it live, and the server stores
`calculer(definition, donnees)` under the field's name, never a posted value.

Stored as a decimal string rounded half up to `decimales` ("12.5"), like `montant`; None
when it cannot be computed (a division by zero, a text where a number is needed), and
the field then shows why.
"""

import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from dossiers.champs.base import Definition, refuse
from dossiers.champs.natifs.communs import ESPACE_INSECABLE, OptionsForm, Type, nombre_fr
from dossiers.champs.natifs.nombres import LIMITE, MAX_DECIMALES, lire_nombre
from dossiers.champs.registry import register
from dossiers.formules import ErreurCalcul, ErreurFormule, analyser, ast_en_json, evaluer
from dossiers.formules.calculs import DIVISION_PAR_ZERO


class ChampFormule(forms.CharField):
    """A formula, read by `analyser`: its error is the French message, with the position."""

    def validate(self, value: str) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        try:
            analyser(value)
        except ErreurFormule as erreur:
            message = erreur.message
            if erreur.position is not None:
                message = f"{message} (caractère {erreur.position})"
            raise ValidationError(message, code="formule") from None


class WidgetCalcul(forms.TextInput):
    """The computed value, read-only, followed by the holder of the calcul's error
    (filled by the server on display and by formules.js as the usager types)."""

    message = ""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        html = super().render(name, value, attrs, renderer)
        identifiant = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        return html + format_html(
            '<p class="fr-message fr-message--error" id="{}-calcul-erreur"'
            ' data-calcul-erreur="{}"{}>{}</p>',
            identifiant,
            identifiant,
            "" if self.message else SafeString(" hidden"),
            self.message,
        )


@register
class Calcul(Type):
    code = "calcul"
    libelle = _("Calcul")
    categorie = "Nombres"
    type_json = (str, int)
    calcule = True

    class Options(OptionsForm):
        formule = ChampFormule(
            label=_("Formule"),
            help_text=_(
                "Par exemple : arrondi(montant_demande / budget_total * 100, 1). Les champs "
                "par leur nom technique, les choix par leur clé entre guillemets."
            ),
            max_length=5000,
        )
        decimales = forms.IntegerField(
            label=_("Nombre de décimales"),
            help_text=_("Le résultat est arrondi au plus proche (0 à 6 ; 2 par défaut)."),
            required=False,
            min_value=0,
            max_value=MAX_DECIMALES,
        )
        unite = forms.CharField(
            label=_("Unité"),
            help_text=_("Affichée après le nombre, par exemple « € » ou « % »."),
            required=False,
            max_length=20,
        )

    def options(self, definition: Definition) -> dict[str, Any]:
        options = super().options(definition)
        if options["decimales"] is None:
            options["decimales"] = 2
        return options

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        attributs = self.attributs(definition)
        attributs["required"] = False
        if not definition.aide:
            attributs["help_text"] = (
                _("Calculé à partir de vos réponses, en %(unite)s.") % {"unite": options["unite"]}
                if options["unite"]
                else _("Calculé à partir de vos réponses.")
            )
        widget = WidgetCalcul(
            attrs={
                "readonly": True,
                "data-calcul": json.dumps(
                    ast_en_json(analyser(options["formule"])), ensure_ascii=False
                ),
                "data-decimales": str(options["decimales"]),
            }
        )
        return forms.CharField(disabled=True, widget=widget, **attributs)

    def resultat(self, definition: Definition, donnees: dict[str, Any]) -> tuple[str | None, str]:
        """(the stored value, "") or (None, why it cannot be computed)."""
        options = self.options(definition)
        try:
            valeur = evaluer(analyser(options["formule"]), donnees)
            valeur = valeur.quantize(Decimal(1).scaleb(-options["decimales"]), ROUND_HALF_UP)
        except ErreurCalcul as erreur:
            return None, erreur.message
        except ArithmeticError:
            return None, DIVISION_PAR_ZERO
        if abs(valeur) >= LIMITE:
            return None, str(_("Le résultat du calcul est trop grand."))
        if valeur == 0:
            valeur = abs(valeur)  # never "-0.00"
        return format(valeur, "f"), ""

    def calculer(self, definition: Definition, donnees: dict[str, Any]) -> str | None:
        """The value from the dossier's data (stored JSON values); None when it cannot be
        computed (see `message`)."""
        return self.resultat(definition, donnees)[0]

    def message(self, definition: Definition, donnees: dict[str, Any]) -> str:
        """Why the calcul cannot be computed on these data ("" when it can)."""
        return self.resultat(definition, donnees)[1]

    def clean(self, definition: Definition, raw: Any) -> str | None:
        """A value given by an import or a correction (the wizard never reads one): a
        number, rounded to the field's decimals."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        try:
            nombre, _decimales = lire_nombre(raw)
        except (ValueError, ArithmeticError):
            raise refuse(_("Saisissez un nombre (exemple : 12,5)."), "invalid") from None
        if abs(nombre) >= LIMITE:
            raise refuse(_("Le résultat du calcul est trop grand."), "trop_grand")
        decimales = self.options(definition)["decimales"]
        nombre = nombre.quantize(Decimal(1).scaleb(-decimales), ROUND_HALF_UP)
        return format(abs(nombre) if nombre == 0 else nombre, "f")

    def to_json(self, value: Any) -> str | None:
        return None if value in (None, "") else str(value)

    def from_json(self, stored: Any) -> Decimal:
        if isinstance(stored, bool) or not isinstance(stored, str | int):
            raise TypeError(stored)
        valeur = Decimal(stored)
        if not valeur.is_finite() or abs(valeur) >= LIMITE:
            raise ValueError(stored)
        return valeur

    def afficher(self, definition: Definition, valeur: Decimal) -> str:
        unite = self.options(definition)["unite"]
        texte = nombre_fr(valeur)
        return f"{texte}{ESPACE_INSECABLE}{unite}" if unite else texte

    def exporter(self, definition: Definition, valeur: Decimal, *, libelles: bool) -> str:
        return format(valeur, "f")
