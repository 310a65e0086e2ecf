"""Text normalisation for search: lower case, no accents, single spaces."""

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
