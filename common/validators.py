"""Validators for French identifiers, with messages a citizen understands."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import bic, iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir, siren, siret

from common.text import digits

_RNA = re.compile(r"^W[0-9][0-9AB][0-9]{7}$")


def validate_siret(value: str) -> None:
    try:
        siret.validate(digits(value))
    except StdnumError:
        raise ValidationError(
            _(
                "Ce numéro SIRET n’est pas valide : il compte 14 chiffres (exemple : 732 829 320 00074)."
            ),
            code="siret",
        ) from None


def validate_siren(value: str) -> None:
    try:
        siren.validate(digits(value))
    except StdnumError:
        raise ValidationError(
            _("Ce numéro SIREN n’est pas valide : il compte 9 chiffres (exemple : 732 829 320)."),
            code="siren",
        ) from None


def validate_nir(value: str) -> None:
    """The social security number with its 2-digit key (Corsica: 2A, 2B)."""
    try:
        nir.validate(value)
    except StdnumError:
        raise ValidationError(
            _(
                "Ce numéro de sécurité sociale n’est pas valide : saisissez ses 13 chiffres suivis de la clé à 2 chiffres (exemple : 2 95 10 99 126 111 93)."
            ),
            code="nir",
        ) from None


def validate_rna(value: str) -> None:
    if not _RNA.match((value or "").strip().upper()):
        raise ValidationError(
            _(
                "Ce numéro RNA n’est pas valide : il commence par W suivi de 9 caractères (exemple : W751234567)."
            ),
            code="rna",
        )


def validate_iban(value: str) -> None:
    try:
        iban.validate(value)
    except StdnumError:
        raise ValidationError(
            _(
                "Cet IBAN n’est pas valide : vérifiez sa saisie (exemple : FR76 3000 6000 0112 3456 7890 189)."
            ),
            code="iban",
        ) from None


def validate_bic(value: str) -> None:
    try:
        bic.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Ce BIC n’est pas valide : il compte 8 ou 11 caractères (exemple : BDFEFRPPCCT)."),
            code="bic",
        ) from None


def normalize_phone(value: str) -> str:
    """A French or international number in E.164 (+33612345678); raises if invalid."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "Ce numéro de téléphone n’est pas valide (exemple : 06 12 34 56 78 ou +33 6 12 34 56 78)."
            ),
            code="telephone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalize_phone(value)


def format_phone(value: str) -> str:
    """+33612345678 → 06 12 34 56 78 (international format for foreign numbers)."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_past_date(value) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("La date ne peut pas être dans le futur."), code="date_future")
