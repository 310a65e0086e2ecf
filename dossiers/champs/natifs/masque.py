"""The input mask of the text type: "99 99 99 99 99", "AA-999-AA", "+33 9 99 99 99 99".

- `9` is a digit (0 to 9), `A` a letter (accents allowed), `*` a letter or a digit;
- `\\` makes the next character a literal (`\\9` is the digit 9 itself);
- any other character is a literal, written as it is.

What the usager types is fitted to the mask, not compared to it: separators he types
(spaces, dots, dashes… any character that is neither a letter nor a digit) are skipped,
the mask's literals are inserted where he left them out, so "0612345678",
"06.12.34.56.78" and "06 12 34 56 78" are all stored "06 12 34 56 78". A letter or a digit
that does not fit its place, or one too many, refuses the value. Fitting a fitted value
gives it back unchanged.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHIFFRES = "0123456789"


def _chiffre(c: str) -> bool:
    return c in CHIFFRES


def _lettre(c: str) -> bool:
    return c.isalpha()


def _lettre_ou_chiffre(c: str) -> bool:
    return c.isalpha() or c in CHIFFRES


CASES: dict[str, Callable[[str], bool]] = {"9": _chiffre, "A": _lettre, "*": _lettre_ou_chiffre}
_EXEMPLES = {"9": "1234567890", "A": "ABCDEFGHIJ", "*": "X1Y2Z3W4V5"}
_SENS = {"9": "un chiffre", "A": "une lettre", "*": "une lettre ou un chiffre"}


@dataclass(frozen=True)
class Masque:
    texte: str
    # (True, "9"|"A"|"*") for a place to fill, (False, character) for a literal.
    elements: tuple[tuple[bool, str], ...]

    @classmethod
    def lire(cls, texte: str) -> "Masque":
        elements: list[tuple[bool, str]] = []
        echappe = False
        for c in texte:
            if echappe:
                elements.append((False, c))
                echappe = False
            elif c == "\\":
                echappe = True
            else:
                elements.append((c in CASES, c))
        if echappe:
            raise ValidationError(
                _("Le masque se termine par « \\ » : ajoutez le caractère à écrire tel quel."),
                code="masque",
            )
        if not any(case for case, _c in elements):
            raise ValidationError(
                _(
                    "Le masque doit contenir au moins un 9 (un chiffre), un A (une lettre) ou un * (une lettre ou un chiffre), par exemple « 99 99 99 99 99 »."
                ),
                code="masque",
            )
        return cls(texte, tuple(elements))

    def appliquer(self, valeur: str) -> str | None:
        """The value fitted to the mask, or None when it does not fit."""
        sortie = []
        i, fin = 0, len(valeur)
        for case, c in self.elements:
            if case:
                while i < fin and not valeur[i].isalnum():
                    i += 1  # a separator the usager typed
                if i == fin or not CASES[c](valeur[i]):
                    return None
                sortie.append(valeur[i])
                i += 1
            else:
                if i < fin and valeur[i] == c:
                    i += 1
                sortie.append(c)
        if any(reste.isalnum() for reste in valeur[i:]):
            return None
        return "".join(sortie)

    def exemple(self) -> str:
        """A value that fits: "99 99 99 99 99" → "12 34 56 78 90", "AA-999" → "AB-123"."""
        rangs = dict.fromkeys(CASES, 0)
        sortie = []
        for case, c in self.elements:
            if case:
                modele = _EXEMPLES[c]
                sortie.append(modele[rangs[c] % len(modele)])
                rangs[c] += 1
            else:
                sortie.append(c)
        return "".join(sortie)

    def legende(self) -> str:
        """ "9 est un chiffre et A une lettre": what the mask's letters mean."""
        presentes = [c for c in CASES if (True, c) in self.elements]
        parties = [
            f"{c} {'est ' if rang == 0 else ''}{_SENS[c]}" for rang, c in enumerate(presentes)
        ]
        if len(parties) == 1:
            return parties[0]
        return ", ".join(parties[:-1]) + " et " + parties[-1]
