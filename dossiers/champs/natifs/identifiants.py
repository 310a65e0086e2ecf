"""Identifiers: NIR (social security number), SIRET, SIREN, RNA, IBAN (foreign ones too)
and BIC. Typed with or without spaces, stored compact ("FR7630006000011234567890189"),
displayed grouped ("FR76 3000 6000 0112 3456 7890 189"), validated by the checks of
`common.validators` (python-stdnum), whose French messages give an example."""

import re
from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.fr import nir, siren, siret

from common.validators import (
    validate_bic,
    validate_iban,
    validate_nir,
    validate_rna,
    validate_siren,
    validate_siret,
)
from dossiers.champs.base import Definition
from dossiers.champs.natifs.communs import Type
from dossiers.champs.registry import register

_SEPARATEURS = re.compile(r"[\s.\-/]")  # Unicode spaces included


class ChampIdentifiant(forms.CharField):
    def __init__(self, *, type_champ: "_Identifiant", **kwargs: Any) -> None:
        self.type_champ = type_champ
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        texte = super().to_python(value)
        return self.type_champ.compacter(texte) if texte else texte

    def validate(self, value: str) -> None:
        super().validate(value)
        if value:
            self.type_champ.valider(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) and value and self.type_champ.motif.fullmatch(value):
            return self.type_champ.grouper(value)
        return value


class _Identifiant(Type):
    categorie = "Identifiants"
    # The compact form, checked before the validator: the common validators read the
    # digits of what they are given ("7328a29…" → "7328…"), a stored identifier must be
    # exactly its characters.
    motif: ClassVar[re.Pattern[str]]
    validateur: Callable[[str], None]
    longueur: ClassVar[int] = 50
    autocomplete: ClassVar[str] = "off"

    def compacter(self, texte: str) -> str:
        return _SEPARATEURS.sub("", texte).upper()

    def valider(self, compact: str) -> None:
        # Given "" when the shape is wrong, so the validator raises its own message.
        self.validateur(compact if self.motif.fullmatch(compact) else "")

    def grouper(self, compact: str) -> str:
        return compact

    def form_field(self, definition: Definition) -> forms.Field:
        return ChampIdentifiant(
            type_champ=self,
            max_length=self.longueur,
            widget=forms.TextInput(
                attrs={"autocomplete": self.autocomplete, "spellcheck": "false"}
            ),
            **self.attributs(definition),
        )

    def afficher(self, definition: Definition, valeur: str) -> str:
        return self.grouper(valeur) if self.motif.fullmatch(valeur) else valeur

    def exporter(self, definition: Definition, valeur: str, *, libelles: bool) -> str:
        return valeur


@register
class Nir(_Identifiant):
    code = "nir"
    libelle = _("Numéro de sécurité sociale (NIR)")
    motif = re.compile(r"[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}")
    validateur = staticmethod(validate_nir)

    def grouper(self, compact: str) -> str:
        return nir.format(compact)


@register
class Siret(_Identifiant):
    code = "siret"
    libelle = _("Numéro SIRET")
    motif = re.compile(r"[0-9]{14}")
    validateur = staticmethod(validate_siret)

    def grouper(self, compact: str) -> str:
        return siret.format(compact)


@register
class Siren(_Identifiant):
    code = "siren"
    libelle = _("Numéro SIREN")
    motif = re.compile(r"[0-9]{9}")
    validateur = staticmethod(validate_siren)

    def grouper(self, compact: str) -> str:
        return siren.format(compact)


@register
class Rna(_Identifiant):
    code = "rna"
    libelle = _("Numéro RNA d’association")
    motif = re.compile(r"W[0-9][0-9AB][0-9]{7}")
    validateur = staticmethod(validate_rna)


@register
class Iban(_Identifiant):
    """French and foreign accounts alike (the IBAN's own country format is checked)."""

    code = "iban"
    libelle = _("IBAN")
    motif = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
    validateur = staticmethod(validate_iban)

    def grouper(self, compact: str) -> str:
        return iban.format(compact)


@register
class Bic(_Identifiant):
    code = "bic"
    libelle = _("BIC")
    motif = re.compile(r"[A-Z0-9]{8}(?:[A-Z0-9]{3})?")
    validateur = staticmethod(validate_bic)
