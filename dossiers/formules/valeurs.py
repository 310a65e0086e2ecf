"""The semantics both languages share, written once: what a stored value is (empty,
number, text…), how two values compare, what "contains" means, and exact decimals.

static/js/formules.js implements the same rules line for line; a change here is a change
there (tests/dossiers/formules/test_accord_navigateur.py checks both agree).

Values are those of the dossier's data (dossiers/champs/base.py): None, str, bool, int,
float, lists and dicts. Classification (`nature`):

- empty: None, "", [], {} (and a missing field);
- number: int, finite float, Decimal, and a string written like a stored decimal
  ("-12", "1234.50": digits, an optional point followed by digits);
- boolean, text (any other non-empty string: ISO dates are texts and compare in date
  order), list (non-empty), other (non-empty dict, NaN).

Comparisons: "=" is true when both sides are empty, or of the same nature and equal
(lists: same length and equal element by element); "≠" is its negation; "<", "≤", ">",
"≥" compare two numbers, or two texts by code point (so ISO dates by date), and are false
otherwise (an empty field is never smaller nor greater than anything).
"""

import re
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Any

# + - * and rounding are exact (no precision limit, no rounding); only division rounds,
# to 28 significant digits, half to even, as Python's default decimal context does.
EXACT = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
PRECISION_DIVISION = 28
DIVISION = Context(
    prec=PRECISION_DIVISION,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

NOMBRE_STOCKE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T.*)?", re.DOTALL)

VIDE = "vide"
BOOLEEN = "booleen"
NOMBRE = "nombre"
TEXTE = "texte"
LISTE = "liste"
AUTRE = "autre"

ZERO = Decimal(0)
UN = Decimal(1)


def nature(valeur: Any) -> tuple[str, Any]:
    """(nature, normalised value): numbers come back as Decimal."""
    if valeur is None:
        return VIDE, None
    if isinstance(valeur, bool):
        return BOOLEEN, valeur
    if isinstance(valeur, Decimal):
        return (NOMBRE, valeur) if valeur.is_finite() else (AUTRE, valeur)
    if isinstance(valeur, int):
        return NOMBRE, Decimal(valeur)
    if isinstance(valeur, float):
        # repr() is the shortest text that reads back as the same float, as JavaScript's
        # String(number) is: both sides get the same decimal.
        if valeur != valeur or valeur in (float("inf"), float("-inf")):
            return AUTRE, valeur
        return NOMBRE, Decimal(repr(valeur))
    if isinstance(valeur, str):
        if valeur == "":
            return VIDE, None
        if NOMBRE_STOCKE.fullmatch(valeur):
            return NOMBRE, Decimal(valeur)
        return TEXTE, valeur
    if isinstance(valeur, list | tuple):
        return (LISTE, list(valeur)) if valeur else (VIDE, None)
    if isinstance(valeur, dict):
        return (AUTRE, valeur) if valeur else (VIDE, None)
    return AUTRE, valeur


def est_vide(valeur: Any) -> bool:
    return nature(valeur)[0] == VIDE


def vrai(valeur: Any) -> bool:
    """Truth of a value in si(), et, ou, non: empty, false and zero are false."""
    genre, normal = nature(valeur)
    if genre == VIDE:
        return False
    if genre == BOOLEEN:
        return normal
    if genre == NOMBRE:
        return normal != 0
    return True


def egal(a: Any, b: Any) -> bool:
    genre_a, na = nature(a)
    genre_b, nb = nature(b)
    if genre_a != genre_b:
        return False
    if genre_a == VIDE:
        return True
    if genre_a in (NOMBRE, TEXTE, BOOLEEN):
        return na == nb
    if genre_a == LISTE:
        return len(na) == len(nb) and all(egal(x, y) for x, y in zip(na, nb, strict=True))
    return False


def _ordre(a: Any, b: Any) -> int | None:
    """-1, 0 or 1 for two numbers or two texts; None when they cannot be ordered."""
    genre_a, na = nature(a)
    genre_b, nb = nature(b)
    if genre_a != genre_b or genre_a not in (NOMBRE, TEXTE):
        return None
    return (na > nb) - (na < nb)


COMPARAISONS = ("=", "≠", "<", "≤", ">", "≥")
# What an admin or a builder may type for each comparison; normalised on the way in.
ALIAS = {"==": "=", "!=": "≠", "<>": "≠", "<=": "≤", ">=": "≥"}


def comparer(a: Any, op: str, b: Any) -> bool:
    if op == "=":
        return egal(a, b)
    if op == "≠":
        return not egal(a, b)
    ordre = _ordre(a, b)
    if ordre is None:
        return False
    return {"<": ordre < 0, "≤": ordre <= 0, ">": ordre > 0, "≥": ordre >= 0}[op]


def contient(a: Any, b: Any) -> bool:
    """A multiple choice (list) holds the key b; a text holds the text b."""
    genre, normal = nature(a)
    if genre == LISTE:
        return any(egal(x, b) for x in normal)
    if isinstance(a, str) and a != "" and isinstance(b, str):
        return b in a
    return False


def parmi(a: Any, liste: list) -> bool:
    """a equals one of the values; a multiple choice shares at least one key with them."""
    genre, normal = nature(a)
    if genre == LISTE:
        return any(egal(x, y) for x in normal for y in liste)
    return any(egal(a, y) for y in liste)


def resoudre(data: Any, nom: str) -> Any:
    """The value of a field in the dossier's data. "bloc.colonne" reads a column of a
    repeatable block or table (a list of dicts: the list of that column's values) or a
    sub-value of a dict; anything missing is None."""
    parties = nom.split(".")
    valeur = data.get(parties[0]) if isinstance(data, dict) else None
    for partie in parties[1:]:
        if isinstance(valeur, dict):
            valeur = valeur.get(partie)
        elif isinstance(valeur, list):
            valeur = [x.get(partie) if isinstance(x, dict) else None for x in valeur]
        else:
            valeur = None
    return valeur


def arrondir(valeur: Decimal, decimales: int) -> Decimal:
    """Round half up (away from zero on a tie) to that many decimals, exactly."""
    arrondi = valeur.quantize(UN.scaleb(-decimales), rounding=ROUND_HALF_UP, context=EXACT)
    return arrondi.copy_abs() if arrondi == 0 else arrondi  # never "-0.00"


def texte_decimal(valeur: Decimal) -> str:
    """Canonical plain text of a decimal: no exponent, no trailing zero, "0" for zero;
    what formules.js returns, so both sides compare as text."""
    if valeur == 0:
        return "0"
    return format(valeur.normalize(EXACT), "f")
