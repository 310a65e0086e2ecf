"""What the built-in types share: their base classes, options read through the type's own
`Options` form, and the French formatting of numbers and dates.

Two bases:

- `Type` stores a value. `clean()` refuses lists and mappings before the form field sees
  them (an API or an import can send anything; a browser cannot), `affichage()` and
  `export()` read the stored JSON back with `from_json()` and hand the Python value to
  `afficher()` / `exporter()`, which is what subclasses override. A stored value that no
  longer reads (a hand-edited row) is shown as it is rather than raising.
- `TypeSansValeur` stores nothing (`stocke_valeur = False`: note, pièce justificative).
  `form_field()` returns None: the wizard leaves it out of the Django form and renders
  `rendu(definition)` (safe HTML, possibly empty) at the field's place instead.
"""

import copy
import datetime
import json
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dossiers.champs.base import Definition, TypeChamp, refuse

ESPACE_FINE = "\u202f"  # narrow no-break space: the thousands separator of French numbers
ESPACE_INSECABLE = "\u00a0"  # before a unit or the euro sign

MESSAGE_OBLIGATOIRE = _("Ce champ est obligatoire.")


def grouper(chiffres: str) -> str:
    """ "1234567" → "1 234 567" (narrow no-break spaces)."""
    groupes = []
    while len(chiffres) > 3:
        groupes.insert(0, chiffres[-3:])
        chiffres = chiffres[:-3]
    groupes.insert(0, chiffres)
    return ESPACE_FINE.join(groupes)


def nombre_fr(valeur: Decimal | int) -> str:
    """Decimal("-1234.50") → "-1 234,50": decimals kept as stored, comma, grouped digits."""
    texte = format(valeur, "f") if isinstance(valeur, Decimal) else str(valeur)
    signe = "-" if texte.startswith("-") else ""
    entiere, _virgule, decimale = texte.lstrip("-").partition(".")
    return signe + grouper(entiere) + ("," + decimale if decimale else "")


def json_pret(valeur: Any) -> Any:
    """An option's cleaned value as JSON stores it (Decimal → "12.5", dates → ISO)."""
    if isinstance(valeur, Decimal):
        return format(valeur, "f")
    if isinstance(valeur, datetime.date):  # datetimes too
        return valeur.isoformat()
    return valeur


class OptionsForm(forms.Form):
    """The options an admin sets on a field in the builder. `en_json()` is what the field's
    definition stores in `options`; the type reads them back through the same form, so a
    value is parsed one way only."""

    def en_json(self) -> dict[str, Any]:
        return {
            nom: json_pret(valeur)
            for nom, valeur in self.cleaned_data.items()
            if valeur not in (None, "")
        }


def lire_options(type_champ: TypeChamp, definition: Definition) -> dict[str, Any]:
    """The definition's options, parsed and validated by the type's `Options` form.

    Options are plain JSON and an `Options` form reads nothing but them, so the result
    is kept per (form class, canonical JSON): a form field is built several times per
    request (150 fields: 300 validations), each time for the same few option sets. The
    caller gets its own copy (some adjust what they read)."""
    try:
        cle = (type_champ.Options, json.dumps(definition.options, sort_keys=True))
    except (TypeError, ValueError):  # not JSON (a hand-built definition): not kept
        return _valider_options(type_champ, definition)
    lues = _OPTIONS_LUES.get(cle)
    if lues is None:
        lues = _valider_options(type_champ, definition)
        if len(_OPTIONS_LUES) >= _OPTIONS_LUES_MAX:
            _OPTIONS_LUES.clear()
        _OPTIONS_LUES[cle] = lues
    return (
        copy.deepcopy(lues)
        if any(isinstance(v, list | dict) for v in lues.values())
        else dict(lues)
    )


def _valider_options(type_champ: TypeChamp, definition: Definition) -> dict[str, Any]:
    form = type_champ.Options(data=definition.options)
    if not form.is_valid():
        raise ImproperlyConfigured(
            f"Field {definition.nom!r} ({type_champ.code}) has invalid options: "
            f"{form.errors.as_text()}"
        )
    return form.cleaned_data


# Options already validated, by (Options class, canonical JSON); invalid ones are not
# kept (they raise each time, as the callers expect).
_OPTIONS_LUES: dict[tuple, dict[str, Any]] = {}
_OPTIONS_LUES_MAX = 2000


_SCALAIRES = (str, int, float, Decimal, datetime.date)  # bool is an int, datetime a date


class Type(TypeChamp):
    """Base of the built-in types that store a value."""

    # True for the types whose raw value is a list (choix multiple).
    valeurs_multiples: ClassVar[bool] = False
    # What `clean` stores (bool is never taken for an int); anything else in a stored row
    # is displayed and exported as it is.
    type_json: ClassVar[type | tuple[type, ...]] = str

    def options(self, definition: Definition) -> dict[str, Any]:
        return lire_options(self, definition)

    def attributs(self, definition: Definition, **messages: Any) -> dict[str, Any]:
        """The keyword arguments every form field takes from the definition."""
        return {
            "label": definition.libelle,
            "required": definition.obligatoire,
            "help_text": definition.aide,
            "error_messages": {"required": MESSAGE_OBLIGATOIRE, **messages},
        }

    def clean(self, definition: Definition, raw: Any) -> Any:
        acceptes = (*_SCALAIRES, list, tuple) if self.valeurs_multiples else _SCALAIRES
        if raw is not None and not isinstance(raw, acceptes):
            raise refuse(
                _("Cette valeur n’est pas valide : une seule réponse est attendue."),
                "valeur_invalide",
            )
        return super().clean(definition, raw)

    def lire(self, stored: Any) -> tuple[bool, Any]:
        """(True, the Python value) or (False, stored) when the stored value does not read."""
        attendu = self.type_json
        if isinstance(stored, bool) != (attendu is bool) or not isinstance(stored, attendu):
            return False, stored
        try:
            return True, self.from_json(stored)
        except (TypeError, ValueError, ArithmeticError):
            return False, stored

    def affichage(self, definition: Definition, stored: Any) -> str:
        if self.est_vide(stored):
            return ""
        lu, valeur = self.lire(stored)
        return self.afficher(definition, valeur) if lu else str(stored)

    def afficher(self, definition: Definition, valeur: Any) -> str:
        return str(valeur)

    def export(self, definition: Definition, stored: Any, *, libelles: bool = True) -> Any:
        if self.est_vide(stored):
            return ""
        lu, valeur = self.lire(stored)
        return self.exporter(definition, valeur, libelles=libelles) if lu else str(stored)

    def exporter(self, definition: Definition, valeur: Any, *, libelles: bool) -> Any:
        return self.to_json(valeur)


class TypeSansValeur(TypeChamp):
    """Layout and declarations: nothing typed, stored, validated or exported."""

    stocke_valeur = False

    def options(self, definition: Definition) -> dict[str, Any]:
        return lire_options(self, definition)

    def form_field(self, definition: Definition) -> None:  # type: ignore[override]
        return None

    def rendu(self, definition: Definition) -> str:
        """Safe HTML the wizard shows where an input would be ("" for nothing)."""
        return ""

    def clean(self, definition: Definition, raw: Any) -> None:
        return None

    def to_json(self, value: Any) -> None:
        return None

    def from_json(self, stored: Any) -> None:
        return None

    def est_vide(self, stored: Any) -> bool:
        return True

    def affichage(self, definition: Definition, stored: Any) -> str:
        return ""

    def export(self, definition: Definition, stored: Any, *, libelles: bool = True) -> str:
        return ""

    def variable(self, definition: Definition, stored: Any) -> str:
        return ""
