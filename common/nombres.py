"""Numbers read from a request (query string, form, URL): never trusted to be well formed."""


def entier(valeur, *, chiffres: int = 9) -> int | None:
    """The non-negative integer written in ASCII digits in `valeur`, at most `chiffres`
    of them; None otherwise. « ² » and « ١ » are digits to str.isdigit but not all to
    int, and a 20-digit id overflows PostgreSQL's bigint: both would be a 500."""
    valeur = str(valeur if valeur is not None else "")
    if valeur.isascii() and valeur.isdigit() and len(valeur) <= chiffres:
        return int(valeur)
    return None


def entiers(valeurs) -> list[int]:
    """The well-formed ids among `valeurs` (`entier`), each once, in their order."""
    return list(dict.fromkeys(pk for v in valeurs if (pk := entier(v)) is not None))
