"""Text normalisation for search: lower case, no accents, single spaces."""

import datetime
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w@.+-]+")


def fold(value: str | None) -> str:
    """'  Éléonore D'ARC ' → "eleonore d arc": what search columns and queries compare."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", without_accents.casefold())).strip()


def digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")


def phone_search_digits(value: str | None) -> str:
    """A phone as digits in both French forms, so "06 12…" finds "+33 6 12…" and back."""
    number = digits(value)
    if number.startswith("33") and len(number) == 11:
        return f"{number} 0{number[2:]}"
    if number.startswith("0") and len(number) == 10:
        return f"{number} 33{number[1:]}"
    return number


def search_words(value: str | None) -> str:
    """fold(), then every non-alphanumeric character as a space: "e.dupont@exemple.fr" →
    "e dupont exemple fr", so each part of an email or a compound name is a word."""
    return _SPACES.sub(" ", re.sub(r"[^a-z0-9]+", " ", fold(value))).strip()


MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def date_fr(valeur: datetime.date) -> str:
    """date(2026, 3, 12) → "12 mars 2026"; the first of the month is "1er mars 2026"."""
    jour = "1er" if valeur.day == 1 else str(valeur.day)
    return f"{jour} {MOIS[valeur.month - 1]} {valeur.year}"
