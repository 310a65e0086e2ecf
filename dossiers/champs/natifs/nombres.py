"""Numbers: integers, decimals and amounts in euros.

Typed the French way or not: "1 234,50", "1234.50", "-12", "1 234,50 €" (amounts). Stored
exactly: integers as JSON ints, decimals and amounts as strings ("1234.50"), never floats.
Displayed the French way ("1 234,50 €", narrow no-break spaces between thousands),
exported with a dot and no thousands separator ("1234.50").
"""

import math
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dossiers.champs.base import Definition
from dossiers.champs.natifs.communs import ESPACE_INSECABLE, OptionsForm, Type, nombre_fr
from dossiers.champs.registry import register

LIMITE = Decimal(10) ** 15  # 15 digits before the comma: exact in every calculation
MAX_DECIMALES = 6
_NOMBRE = re.compile(r"([+-]?)([0-9]*)(?:[.,]([0-9]*))?")
_ESPACES = re.compile(r"\s")  # Unicode: also no-break and narrow no-break spaces


def lire_nombre(raw: Any, *, suffixe: str = "") -> tuple[Decimal, int]:
    """A number as typed or sent → (its exact value, how many decimals were typed).
    Raises ValueError for anything else."""
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int):
        return Decimal(raw), 0
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError(raw)
        raw = repr(raw)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise ValueError(raw)
        raw = format(raw, "f")
    texte = _ESPACES.sub("", str(raw)).replace("\u2212", "-")
    if suffixe and texte.endswith(suffixe):
        texte = texte[: -len(suffixe)]
    correspondance = _NOMBRE.fullmatch(texte) if len(texte) <= 40 else None
    if correspondance is None:
        raise ValueError(raw)
    signe, entiere, decimale = correspondance.groups()
    if not entiere and not decimale:
        raise ValueError(raw)
    decimale = decimale or ""
    return Decimal(f"{signe}{entiere or '0'}.{decimale or '0'}"), len(decimale)


class ChampNombre(forms.Field):
    """A decimal number typed freely (see `lire_nombre`), with an exact number of decimals
    when `decimales` is set (fewer are padded with zeros, more are refused)."""

    def __init__(
        self,
        *,
        decimales: int | None = None,
        min_value: Decimal | None = None,
        max_value: Decimal | None = None,
        suffixe: str = "",
        invalide: str,
        trop_de_decimales: str = "",
        **kwargs: Any,
    ) -> None:
        self.decimales = decimales
        self.min_value, self.max_value = min_value, max_value
        self.suffixe = suffixe
        self.invalide = invalide
        self.trop_de_decimales = trop_de_decimales or invalide
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            nombre, decimales = lire_nombre(value, suffixe=self.suffixe)
        except (ValueError, ArithmeticError):
            raise ValidationError(self.invalide, code="invalid") from None
        if abs(nombre) >= LIMITE:
            raise ValidationError(
                _("Ce nombre est trop grand : 15 chiffres au plus avant la virgule."),
                code="trop_grand",
            )
        maximum = MAX_DECIMALES if self.decimales is None else self.decimales
        if decimales > maximum:
            raise ValidationError(self.trop_de_decimales, code="decimales")
        if self.decimales is None:
            nombre = nombre.normalize() if nombre else Decimal(0)
        else:
            nombre = nombre.quantize(Decimal(1).scaleb(-self.decimales))
        return abs(nombre) if nombre == 0 else nombre  # never "-0.00"

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                _("Saisissez une valeur supérieure ou égale à %(limite)s."),
                code="min_value",
                params={"limite": self.limite(self.min_value)},
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                _("Saisissez une valeur inférieure ou égale à %(limite)s."),
                code="max_value",
                params={"limite": self.limite(self.max_value)},
            )

    def limite(self, valeur: Decimal) -> str:
        texte = nombre_fr(valeur)
        return f"{texte}{ESPACE_INSECABLE}{self.suffixe}" if self.suffixe else texte

    def prepare_value(self, value: Any) -> Any:
        """A stored value shown back in the input: "1234,50", without thousands spaces."""
        if isinstance(value, bool):
            return value
        if isinstance(value, int):  # format(40, "f") would give "40.000000"
            return str(value)
        if isinstance(value, Decimal):
            return format(value, "f").replace(".", ",")
        return value


class _OptionsBornes(OptionsForm):
    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        minimum, maximum = donnees.get("min"), donnees.get("max")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise ValidationError(
                _("Le minimum doit être inférieur ou égal au maximum."), code="bornes"
            )
        return donnees


def _borne(label: str) -> ChampNombre:
    return ChampNombre(
        label=label,
        required=False,
        invalide=_("Saisissez un nombre (exemple : 12,5)."),
    )


class ChampEntier(ChampNombre):
    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        nombre = super().to_python(value)
        return None if nombre is None else int(nombre)


@register
class Entier(Type):
    code = "entier"
    libelle = _("Nombre entier")
    categorie = "Nombres"
    type_json = int

    class Options(_OptionsBornes):
        min = forms.IntegerField(label=_("Valeur minimale"), required=False)
        max = forms.IntegerField(label=_("Valeur maximale"), required=False)

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        sans_virgule = _("Saisissez un nombre entier, sans virgule (exemple : 12).")
        return ChampEntier(
            decimales=0,
            min_value=options["min"],
            max_value=options["max"],
            invalide=sans_virgule,
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            **self.attributs(definition),
        )

    def from_json(self, stored: Any) -> int:
        if isinstance(stored, bool) or not isinstance(stored, int | str):
            raise TypeError(stored)
        return int(stored)

    def afficher(self, definition: Definition, valeur: int) -> str:
        return nombre_fr(valeur)


def _message_decimales(decimales: int) -> str:
    if decimales == 0:
        return str(_("Saisissez un nombre entier, sans virgule (exemple : 12)."))
    exemple = "12," + "123456"[:decimales]
    return ngettext(
        "Saisissez un nombre avec au plus %(n)d chiffre après la virgule (exemple : %(exemple)s).",
        "Saisissez un nombre avec au plus %(n)d chiffres après la virgule (exemple : %(exemple)s).",
        decimales,
    ) % {"n": decimales, "exemple": exemple}


@register
class Nombre(Type):
    code = "decimal"
    libelle = _("Nombre décimal")
    categorie = "Nombres"
    type_json = (str, int)

    class Options(_OptionsBornes):
        min = _borne(_("Valeur minimale"))
        max = _borne(_("Valeur maximale"))
        decimales = forms.IntegerField(
            label=_("Nombre de décimales"),
            help_text=_(
                "Affichées et enregistrées toujours au même nombre (12,50). Laissez vide pour garder celles saisies (6 au plus)."
            ),
            required=False,
            min_value=0,
            max_value=MAX_DECIMALES,
        )
        unite = forms.CharField(
            label=_("Unité"),
            help_text=_("Affichée après le nombre, par exemple « m² » ou « kg »."),
            required=False,
            max_length=20,
        )

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        decimales = options["decimales"]
        attributs = self.attributs(definition)
        if options["unite"]:
            attributs["help_text"] = (
                f"{definition.aide} En {options['unite']}."
                if definition.aide
                else f"En {options['unite']}."
            )
        return ChampNombre(
            decimales=decimales,
            min_value=options["min"],
            max_value=options["max"],
            invalide=_(
                "Saisissez un nombre, avec une virgule pour les décimales (exemple : 12,5)."
            ),
            trop_de_decimales=_message_decimales(MAX_DECIMALES if decimales is None else decimales),
            **attributs,
        )

    def to_json(self, value: Decimal | None) -> str | None:
        return None if value is None else format(value, "f")

    def from_json(self, stored: Any) -> Decimal:
        if isinstance(stored, bool) or not isinstance(stored, str | int):
            raise TypeError(stored)
        valeur = Decimal(stored)
        if not valeur.is_finite() or abs(valeur) >= LIMITE:  # "1E+999999999" is 1 GB as text
            raise ValueError(stored)
        return valeur

    def afficher(self, definition: Definition, valeur: Decimal) -> str:
        unite = self.options(definition)["unite"]
        texte = nombre_fr(valeur)
        return f"{texte}{ESPACE_INSECABLE}{unite}" if unite else texte


@register
class Montant(Nombre):
    code = "montant"
    libelle = _("Montant en euros")
    categorie = "Nombres"

    class Options(_OptionsBornes):
        min = _borne(_("Montant minimal"))
        max = _borne(_("Montant maximal"))

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        attributs = self.attributs(definition)
        attributs["help_text"] = definition.aide or _("En euros, par exemple 1 234,50.")
        return ChampNombre(
            decimales=2,
            min_value=options["min"],
            max_value=options["max"],
            suffixe="€",
            invalide=_("Saisissez un montant en euros (exemple : 1 234,50)."),
            trop_de_decimales=_(
                "Saisissez un montant avec au plus 2 chiffres après la virgule (exemple : 1 234,50)."
            ),
            **attributs,
        )

    def from_json(self, stored: Any) -> Decimal:
        return super().from_json(stored).quantize(Decimal("0.01"))

    def afficher(self, definition: Definition, valeur: Decimal) -> str:
        return f"{nombre_fr(valeur)}{ESPACE_INSECABLE}€"
