"""Answers among choices: yes/no, a single checkbox, one choice (radio buttons or a
drop-down list), several choices (checkboxes), civilité.

Choices come from `definition.choix` ((key, label) pairs): the key is stored and is what
calculs and exports by key use; the label is displayed. A key that is not (or no longer)
among the choices is refused on input and displayed as it is.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dossiers.champs.base import Definition
from dossiers.champs.natifs.communs import OptionsForm, Type
from dossiers.champs.registry import register
from usagers.enums import Civilite as CiviliteReferentiel

OUI, NON = _("Oui"), _("Non")
MESSAGE_CHOIX_INCONNU = _(
    "Ce choix ne fait pas partie de la liste : sélectionnez l’une des options proposées."
)
_VRAI = {"oui", "true", "1", "on"}
_FAUX = {"non", "false", "0", "off"}


def oui_non(valeur: bool) -> str:
    return str(OUI if valeur else NON)


class ChampOuiNon(forms.ChoiceField):
    """Two radio buttons; the cleaned value is True, False or None (no answer)."""

    def __init__(self, **kwargs: Any) -> None:
        # data-booleen: the page's formulas read the answer as the server stores it (a
        # boolean), so conditions and calculs on it agree live (static/js/formules.js).
        kwargs.setdefault("widget", forms.RadioSelect(attrs={"data-booleen": ""}))
        super().__init__(choices=[("oui", OUI), ("non", NON)], **kwargs)

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            return value
        texte = str(value).strip().lower()
        if texte in _VRAI:
            return True
        if texte in _FAUX:
            return False
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def validate(self, value: bool | None) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, bool):
            return "oui" if value else "non"
        return value


class _Booleen(Type):
    type_json = bool

    def from_json(self, stored: Any) -> bool:
        if not isinstance(stored, bool):
            raise TypeError(stored)
        return stored

    def afficher(self, definition: Definition, valeur: bool) -> str:
        return oui_non(valeur)

    def exporter(self, definition: Definition, valeur: bool, *, libelles: bool) -> str:
        return oui_non(valeur) if libelles else ("oui" if valeur else "non")


@register
class OuiNon(_Booleen):
    """Stored True or False; "Non" is an answer, so a required field accepts it."""

    code = "oui_non"
    libelle = _("Oui / Non")
    categorie = "Choix"

    def form_field(self, definition: Definition) -> forms.Field:
        return ChampOuiNon(
            **self.attributs(
                definition,
                required=_("Répondez par oui ou par non."),
                invalid_choice=_("Répondez par oui ou par non."),
            )
        )


class ChampCase(forms.BooleanField):
    def to_python(self, value: Any) -> bool:
        if isinstance(value, str) and value.strip().lower() in _FAUX:
            return False
        return super().to_python(value)


@register
class CaseACocher(_Booleen):
    """One checkbox: stored True (checked) or False. Required means it must be checked."""

    code = "case_a_cocher"
    libelle = _("Case à cocher")
    categorie = "Choix"

    def form_field(self, definition: Definition) -> forms.Field:
        return ChampCase(
            **self.attributs(definition, required=_("Cochez cette case pour continuer."))
        )


class _ChoixUnique(Type):
    """One key among `choix` (the definition's, or the type's own `CHOIX`)."""

    CHOIX: tuple[tuple[str, str], ...] = ()

    def choix(self, definition: Definition) -> tuple[tuple[str, str], ...]:
        return self.CHOIX or definition.choix

    def champ(self, definition: Definition, **kwargs: Any) -> forms.Field:
        return forms.ChoiceField(
            **kwargs,
            **self.attributs(
                definition,
                required=_("Sélectionnez une réponse."),
                invalid_choice=MESSAGE_CHOIX_INCONNU,
            ),
        )

    def form_field(self, definition: Definition) -> forms.Field:
        return self.champ(definition, choices=self.choix(definition), widget=forms.RadioSelect)

    def to_json(self, value: Any) -> str | None:
        return value or None

    def afficher(self, definition: Definition, valeur: Any) -> str:
        return str(dict(self.choix(definition)).get(valeur, valeur))

    def exporter(self, definition: Definition, valeur: Any, *, libelles: bool) -> str:
        return self.afficher(definition, valeur) if libelles else valeur


@register
class ChoixUniqueRadio(_ChoixUnique):
    code = "choix_unique_radio"
    libelle = _("Choix unique (boutons radio)")
    categorie = "Choix"


@register
class ChoixUniqueListe(_ChoixUnique):
    code = "choix_unique_liste"
    libelle = _("Choix unique (liste déroulante)")
    categorie = "Choix"

    def form_field(self, definition: Definition) -> forms.Field:
        choix = [("", _("Sélectionner une option")), *self.choix(definition)]
        return self.champ(definition, choices=choix, widget=forms.Select)


@register
class Civilite(_ChoixUnique):
    code = "civilite"
    libelle = _("Civilité")
    categorie = "Choix"
    # The référentiel's own keys, so prefill from the individu ("individu.civilite") fits.
    CHOIX = tuple(CiviliteReferentiel.choices)


class ChampChoixMultiple(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, min_choix: int | None, max_choix: int | None, **kwargs: Any) -> None:
        self.min_choix, self.max_choix = min_choix, max_choix
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value] if value else []
        if isinstance(value, list | tuple) and not all(
            isinstance(cle, str | int) and not isinstance(cle, bool) for cle in value
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def clean(self, value: Any) -> list[str]:
        """The checked keys once each, in the order of the choices."""
        cochees = set(super().clean(value))
        return [str(cle) for cle, _libelle in self.choices if str(cle) in cochees]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        nombre = len(set(value))
        if value and self.min_choix and nombre < self.min_choix:
            raise ValidationError(
                ngettext(
                    "Cochez au moins %(n)d option.",
                    "Cochez au moins %(n)d options.",
                    self.min_choix,
                ),
                code="min_choix",
                params={"n": self.min_choix},
            )
        if self.max_choix and nombre > self.max_choix:
            raise ValidationError(
                ngettext(
                    "Cochez au plus %(n)d option.", "Cochez au plus %(n)d options.", self.max_choix
                ),
                code="max_choix",
                params={"n": self.max_choix},
            )


@register
class ChoixMultiple(Type):
    """Checkboxes; stored as the list of checked keys, in the order of the choices."""

    code = "choix_multiple"
    libelle = _("Choix multiple (cases à cocher)")
    categorie = "Choix"
    valeurs_multiples = True
    type_json = list

    class Options(OptionsForm):
        min_choix = forms.IntegerField(
            label=_("Nombre minimal de cases cochées"), required=False, min_value=1
        )
        max_choix = forms.IntegerField(
            label=_("Nombre maximal de cases cochées"), required=False, min_value=1
        )

        def clean(self) -> dict[str, Any]:
            donnees = super().clean()
            minimum, maximum = donnees.get("min_choix"), donnees.get("max_choix")
            if minimum and maximum and minimum > maximum:
                raise ValidationError(
                    _("Le minimum doit être inférieur ou égal au maximum."), code="bornes"
                )
            return donnees

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        return ChampChoixMultiple(
            choices=definition.choix,
            min_choix=options["min_choix"],
            max_choix=options["max_choix"],
            **self.attributs(
                definition,
                required=_("Cochez au moins une option."),
                invalid_choice=MESSAGE_CHOIX_INCONNU,
                invalid_list=_("Cochez une ou plusieurs options de la liste."),
            ),
        )

    def to_json(self, value: Any) -> list[str]:
        return list(value or [])

    def from_json(self, stored: Any) -> list[str]:
        if not isinstance(stored, list):
            raise TypeError(stored)
        return [str(cle) for cle in stored]

    def afficher(self, definition: Definition, valeur: list[str]) -> str:
        libelles = dict(definition.choix)
        return ", ".join(str(libelles.get(cle, cle)) for cle in valeur)

    def exporter(self, definition: Definition, valeur: list[str], *, libelles: bool) -> str:
        noms = dict(definition.choix) if libelles else {}
        return " | ".join(str(noms.get(cle, cle)) for cle in valeur)
