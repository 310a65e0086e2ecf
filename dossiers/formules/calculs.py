"""F4 calcul fields: a small formula language over the dossier's other fields.

The server parses the formula (`analyser`) into a tree, evaluates it (authoritative) and
hands the page the same tree as JSON (`ast_en_json`), which static/js/formules.js
evaluates live with the same rules. Nothing is ever passed to eval/exec/compile.

Grammar (lowest precedence first; + - * / associate to the left; a comparison takes
two operands, never a chain):

    formule      := ou
    ou           := et ("ou" et)*
    et           := negation ("et" negation)*
    negation     := "non" negation | comparaison
    comparaison  := addition (("=" | "≠" | "<" | "≤" | ">" | "≥") addition)?
                    (also "==", "!=", "<>", "<=", ">=")
    addition     := produit (("+" | "-") produit)*
    produit      := signe (("*" | "/") signe)*
    signe        := "-" signe | primaire
    primaire     := NOMBRE | TEXTE | FONCTION "(" formule ("," formule)* ")"
                  | CHAMP | "(" formule ")"
    NOMBRE       := [0-9]+ ("." [0-9]+)?            (a point, never a comma)
    TEXTE        := "…" or '…'  (\\ escapes the next character): keys of choice fields
    CHAMP        := [A-Za-z_][A-Za-z0-9_]* ("." [A-Za-z_][A-Za-z0-9_]*)*
                    a technical name; "bloc.colonne" is a column of a repeatable block;
                    "tableau.ligne.colonne" a cell of a tableau, "tableau.colonne" the
                    list of a tableau column's cells (see resoudre_tableau)

Functions: si(condition, alors, sinon) (only the chosen branch is evaluated),
min(…), max(…), somme(…), nb(…) (lists are flattened; min/max/somme of nothing is 0;
nb counts the non-empty values), arrondi(x) / arrondi(x, n) (half up, n from 0 to 10),
abs(x), age(date) (full years at today's date), contient(liste_ou_texte, valeur).
Repeatable blocks (F12, a list of elements): somme(devis.montant), min(…), max(…) over a
sub-field's values; nombre(enfants) is the number of elements (0 when empty; a value
that is not a block is an error); moyenne(…) averages the non-empty values (lists
flattened; none at all is an error, never 0).

Values: a number is an exact Decimal (+ - * are exact; / keeps 28 significant digits,
half to even, like Python's default context). In arithmetic a missing or empty field
counts as 0, a checkbox as 1 or 0, a stored decimal string ("1234.50") as its number;
a list or a non-numeric text is an error (ErreurCalcul). In comparisons a missing field
is empty (`x = ""` tests emptiness, `x > 0` is false when x is empty) and values compare
as dossiers/formules/valeurs.py says (choice keys as texts, ISO dates in date order). In
si/et/ou/non, empty, false and zero are false. The result is a Decimal; the calcul field
rounds it to its decimals.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dossiers.formules import valeurs
from dossiers.formules.valeurs import ALIAS, COMPARAISONS, EXACT, ZERO

LONGUEUR_MAX = 5000
IMBRICATION_MAX = 40  # parentheses and function calls inside one another
PROFONDEUR_MAX = 150  # depth of the tree ("a + b + c …" grows one level per term)
DECIMALES_MAX = 10
MOTS_CLES = ("et", "ou", "non")
# name → (fewest, most arguments; None: any number)
FONCTIONS: dict[str, tuple[int, int | None]] = {
    "si": (3, 3),
    "min": (1, None),
    "max": (1, None),
    "somme": (1, None),
    "nb": (1, None),
    "arrondi": (1, 2),
    "abs": (1, 1),
    "age": (1, 1),
    "contient": (2, 2),
    # Repeatable blocks (F12): nombre(enfants) counts the elements, moyenne(devis.montant)
    # averages a sub-field's non-empty values (somme, min, max read blocks as lists).
    "nombre": (1, 1),
    "moyenne": (1, None),
}
ARITHMETIQUE = ("+", "-", "*", "/")
OPERATEURS_BINAIRES = (*ARITHMETIQUE, *COMPARAISONS, "et", "ou")
DIVISION_PAR_ZERO = "Le calcul divise par zéro : vérifiez les valeurs saisies."
MOYENNE_DE_RIEN = "La moyenne ne porte sur aucune valeur : complétez au moins un élément."


class ErreurFormule(ValueError):
    """A formula that cannot be read; `position` counts characters from 1."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.message = message
        self.position = position


class ErreurCalcul(ValueError):
    """A formula that cannot be computed with these values: the field shows as invalid."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- the tree --------------------------------------------------------------------------


@dataclass(frozen=True)
class Nombre:
    valeur: Decimal
    profondeur: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True)
class Texte:
    valeur: str
    profondeur: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True)
class Champ:
    nom: str
    profondeur: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True)
class Unaire:
    op: str  # "-" or "non"
    terme: "Ast"
    profondeur: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True)
class Binaire:
    op: str  # one of OPERATEURS_BINAIRES, canonical ("≠", not "!=")
    gauche: "Ast"
    droite: "Ast"
    profondeur: int = field(default=1, compare=False, repr=False)


@dataclass(frozen=True)
class Fonction:
    nom: str
    args: tuple["Ast", ...]
    profondeur: int = field(default=1, compare=False, repr=False)


Ast = Nombre | Texte | Champ | Unaire | Binaire | Fonction


def _profondeur(*enfants: Ast) -> int:
    return 1 + max((e.profondeur for e in enfants), default=0)


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Jeton:
    genre: str  # nombre, texte, nom, op, "(", ")", ",", fin
    texte: str
    position: int  # from 0
    valeur: Any = None


_SYMBOLES = {
    "+": "+",
    "-": "-",
    "*": "*",
    "/": "/",
    "=": "=",
    "≠": "≠",
    "<": "<",
    "≤": "≤",
    ">": ">",
    "≥": "≥",
    "==": "=",
    "!=": "≠",
    "<>": "≠",
    "<=": "≤",
    ">=": "≥",
}
_ESPACES = " \t\r\n\u00a0\u202f"


def _lettre(c: str) -> bool:
    return c == "_" or ("a" <= c <= "z") or ("A" <= c <= "Z")


def _chiffre(c: str) -> bool:
    return "0" <= c <= "9"


def _jetons(formule: str) -> list[_Jeton]:
    jetons: list[_Jeton] = []
    i, n = 0, len(formule)
    while i < n:
        c = formule[i]
        if c in _ESPACES:
            i += 1
        elif _chiffre(c):
            debut = i
            while i < n and _chiffre(formule[i]):
                i += 1
            if i < n and formule[i] == ".":
                i += 1
                if i >= n or not _chiffre(formule[i]):
                    raise ErreurFormule(
                        f"Nombre mal écrit « {formule[debut:i]} » en position {debut + 1} : "
                        "des chiffres sont attendus après le point.",
                        debut + 1,
                    )
                while i < n and _chiffre(formule[i]):
                    i += 1
            texte = formule[debut:i]
            jetons.append(_Jeton("nombre", texte, debut, Decimal(texte)))
        elif _lettre(c):
            debut = i
            while True:
                while i < n and (_lettre(formule[i]) or _chiffre(formule[i])):
                    i += 1
                if i + 1 < n and formule[i] == "." and _lettre(formule[i + 1]):
                    i += 1
                    continue
                break
            texte = formule[debut:i]
            genre = "op" if texte in MOTS_CLES else "nom"
            jetons.append(_Jeton(genre, texte, debut, texte))
        elif c in "\"'":
            debut = i
            i += 1
            morceaux = []
            while True:
                if i >= n:
                    raise ErreurFormule(
                        f"Texte non terminé : le guillemet ouvert en position {debut + 1} "
                        "n’est jamais fermé.",
                        debut + 1,
                    )
                if formule[i] == "\\" and i + 1 < n:
                    morceaux.append(formule[i + 1])
                    i += 2
                elif formule[i] == c:
                    i += 1
                    break
                else:
                    morceaux.append(formule[i])
                    i += 1
            jetons.append(_Jeton("texte", formule[debut:i], debut, "".join(morceaux)))
        elif formule[i : i + 2] in _SYMBOLES:
            jetons.append(_Jeton("op", formule[i : i + 2], i, _SYMBOLES[formule[i : i + 2]]))
            i += 2
        elif c in _SYMBOLES:
            jetons.append(_Jeton("op", c, i, _SYMBOLES[c]))
            i += 1
        elif c in "(),":
            jetons.append(_Jeton(c, c, i))
            i += 1
        else:
            raise ErreurFormule(f"Caractère inattendu « {c} » en position {i + 1}.", i + 1)
    jetons.append(_Jeton("fin", "", n))
    return jetons


class _Lecteur:
    """Recursive descent, one method per line of the grammar."""

    def __init__(self, jetons: list[_Jeton]):
        self.jetons = jetons
        self.i = 0
        self.imbrication = 0

    @property
    def courant(self) -> _Jeton:
        return self.jetons[self.i]

    def avancer(self) -> _Jeton:
        jeton = self.jetons[self.i]
        self.i += 1
        return jeton

    def est_op(self, *ops: str) -> bool:
        return self.courant.genre == "op" and self.courant.valeur in ops

    def noeud(self, classe, *args, enfants=(), position: int) -> Ast:
        profondeur = _profondeur(*enfants)
        if profondeur > PROFONDEUR_MAX:
            raise ErreurFormule(
                "La formule est trop longue ou trop imbriquée : découpez-la "
                "(somme(a, b, …) additionne de nombreux champs).",
                position + 1,
            )
        return classe(*args, profondeur=profondeur)

    def inattendu(self, attendu: str = "") -> ErreurFormule:
        jeton = self.courant
        if jeton.genre == "fin":
            return ErreurFormule(
                f"La formule est incomplète : {attendu or 'une valeur est attendue'} "
                f"en position {jeton.position + 1}.",
                jeton.position + 1,
            )
        suite = f" : {attendu}" if attendu else ""
        return ErreurFormule(
            f"« {jeton.texte} » inattendu en position {jeton.position + 1}{suite}.",
            jeton.position + 1,
        )

    def formule(self) -> Ast:
        arbre = self.ou()
        if self.courant.genre != "fin":
            if self.est_op(*COMPARAISONS):
                jeton = self.courant
                raise ErreurFormule(
                    f"Deux comparaisons se suivent en position {jeton.position + 1} : "
                    "ajoutez des parenthèses ou utilisez « et ».",
                    jeton.position + 1,
                )
            raise self.inattendu()
        return arbre

    def ou(self) -> Ast:
        gauche = self.et()
        while self.est_op("ou"):
            jeton = self.avancer()
            droite = self.et()
            gauche = self.noeud(
                Binaire, "ou", gauche, droite, enfants=(gauche, droite), position=jeton.position
            )
        return gauche

    def et(self) -> Ast:
        gauche = self.negation()
        while self.est_op("et"):
            jeton = self.avancer()
            droite = self.negation()
            gauche = self.noeud(
                Binaire, "et", gauche, droite, enfants=(gauche, droite), position=jeton.position
            )
        return gauche

    def negation(self) -> Ast:
        # A run of prefixes is read in a loop, not by recursion: "non non … x" of any
        # length ends in ErreurFormule, never in RecursionError.
        prefixes = []
        while self.est_op("non"):
            prefixes.append(self.avancer())
        arbre = self.comparaison()
        for jeton in reversed(prefixes):
            arbre = self.noeud(Unaire, "non", arbre, enfants=(arbre,), position=jeton.position)
        return arbre

    def comparaison(self) -> Ast:
        gauche = self.addition()
        if self.est_op(*COMPARAISONS):
            jeton = self.avancer()
            droite = self.addition()
            return self.noeud(
                Binaire,
                jeton.valeur,
                gauche,
                droite,
                enfants=(gauche, droite),
                position=jeton.position,
            )
        return gauche

    def addition(self) -> Ast:
        gauche = self.produit()
        while self.est_op("+", "-"):
            jeton = self.avancer()
            droite = self.produit()
            gauche = self.noeud(
                Binaire,
                jeton.valeur,
                gauche,
                droite,
                enfants=(gauche, droite),
                position=jeton.position,
            )
        return gauche

    def produit(self) -> Ast:
        gauche = self.signe()
        while self.est_op("*", "/"):
            jeton = self.avancer()
            droite = self.signe()
            gauche = self.noeud(
                Binaire,
                jeton.valeur,
                gauche,
                droite,
                enfants=(gauche, droite),
                position=jeton.position,
            )
        return gauche

    def signe(self) -> Ast:
        prefixes = []
        while self.est_op("-"):
            prefixes.append(self.avancer())
        arbre = self.primaire()
        for jeton in reversed(prefixes):
            arbre = self.noeud(Unaire, "-", arbre, enfants=(arbre,), position=jeton.position)
        return arbre

    def entrer(self, jeton: _Jeton) -> None:
        self.imbrication += 1
        if self.imbrication > IMBRICATION_MAX:
            raise ErreurFormule(
                f"La formule est trop imbriquée en position {jeton.position + 1} "
                f"({IMBRICATION_MAX} niveaux de parenthèses au plus).",
                jeton.position + 1,
            )

    def fermer(self, ouvrante: _Jeton) -> None:
        if self.courant.genre != ")":
            if self.courant.genre == "fin":
                raise ErreurFormule(
                    f"La parenthèse ouverte en position {ouvrante.position + 1} n’est jamais "
                    "fermée.",
                    ouvrante.position + 1,
                )
            raise self.inattendu("« ) » est attendue")
        self.avancer()
        self.imbrication -= 1

    def primaire(self) -> Ast:
        jeton = self.courant
        if jeton.genre == "nombre":
            self.avancer()
            return Nombre(jeton.valeur)
        if jeton.genre == "texte":
            self.avancer()
            return Texte(jeton.valeur)
        if jeton.genre == "(":
            self.avancer()
            self.entrer(jeton)
            arbre = self.ou()
            self.fermer(jeton)
            return arbre
        if jeton.genre == "nom":
            self.avancer()
            if self.courant.genre != "(":
                return Champ(jeton.valeur)
            return self.appel(jeton)
        raise self.inattendu("une valeur est attendue")

    def appel(self, nom: _Jeton) -> Ast:
        if nom.valeur not in FONCTIONS:
            connues = ", ".join(FONCTIONS)
            raise ErreurFormule(
                f"Fonction inconnue « {nom.valeur} » en position {nom.position + 1} "
                f"(fonctions connues : {connues}).",
                nom.position + 1,
            )
        ouvrante = self.avancer()
        self.entrer(ouvrante)
        args = [self.ou()]
        while self.courant.genre == ",":
            self.avancer()
            args.append(self.ou())
        self.fermer(ouvrante)
        minimum, maximum = FONCTIONS[nom.valeur]
        if len(args) < minimum or (maximum is not None and len(args) > maximum):
            raise ErreurFormule(
                f"La fonction « {nom.valeur} » (position {nom.position + 1}) attend "
                f"{_arite(minimum, maximum)}, pas {len(args)}.",
                nom.position + 1,
            )
        return self.noeud(
            Fonction, nom.valeur, tuple(args), enfants=tuple(args), position=nom.position
        )


def _arite(minimum: int, maximum: int | None) -> str:
    pluriel = "s" if (maximum or minimum) > 1 else ""
    if maximum is None:
        return f"au moins {minimum} argument{'s' if minimum > 1 else ''}"
    if minimum == maximum:
        return f"{minimum} argument{pluriel}"
    return f"{minimum} ou {maximum} arguments"


def analyser(formule: str) -> Ast:
    """Parse a formula; ErreurFormule (French message, 1-based position) when unreadable."""
    if not isinstance(formule, str):
        raise ErreurFormule("La formule doit être un texte.")
    if len(formule) > LONGUEUR_MAX:
        raise ErreurFormule(f"La formule est trop longue ({LONGUEUR_MAX} caractères au plus).")
    jetons = _jetons(formule)
    if jetons[0].genre == "fin":
        raise ErreurFormule("La formule est vide.")
    return _Lecteur(jetons).formule()


def references(ast: Ast) -> set[str]:
    """The fields a formula reads (top-level technical names: "bloc" for "bloc.colonne")."""
    trouves: set[str] = set()
    a_voir = [ast]
    while a_voir:
        noeud = a_voir.pop()
        if isinstance(noeud, Champ):
            trouves.add(noeud.nom.split(".")[0])
        elif isinstance(noeud, Unaire):
            a_voir.append(noeud.terme)
        elif isinstance(noeud, Binaire):
            a_voir += [noeud.gauche, noeud.droite]
        elif isinstance(noeud, Fonction):
            a_voir += noeud.args
    return trouves


def valider_calcul(formule: str, champs: dict[str, str] | set[str]) -> list[str]:
    """French messages for a formula the builder is about to save (empty list: valid)."""
    try:
        ast = analyser(formule)
    except ErreurFormule as erreur:
        return [erreur.message]
    return [
        f"Le calcul utilise le champ « {nom} », qui n’existe pas dans le modèle."
        for nom in sorted(references(ast))
        if nom not in champs
    ]


# --- writing back: text and JSON ---------------------------------------------------------

_NIVEAUX = {
    "ou": 1,
    "et": 2,
    "non": 3,
    **dict.fromkeys(COMPARAISONS, 4),
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
}
_NIVEAU_SIGNE = 7
_NIVEAU_PRIMAIRE = 8


def _niveau(ast: Ast) -> int:
    if isinstance(ast, Binaire):
        return _NIVEAUX[ast.op]
    if isinstance(ast, Unaire):
        return _NIVEAUX["non"] if ast.op == "non" else _NIVEAU_SIGNE
    if isinstance(ast, Nombre) and ast.valeur < 0:
        return _NIVEAU_SIGNE
    return _NIVEAU_PRIMAIRE


def _entre(ast: Ast, minimum: int) -> str:
    texte = en_texte(ast)
    return f"({texte})" if _niveau(ast) < minimum else texte


def en_texte(ast: Ast) -> str:
    """The formula as an admin would write it, with only the parentheses it needs:
    analyser(en_texte(ast)) == ast."""
    if isinstance(ast, Nombre):
        return format(ast.valeur, "f")
    if isinstance(ast, Texte):
        return '"' + ast.valeur.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(ast, Champ):
        return ast.nom
    if isinstance(ast, Unaire):
        if ast.op == "non":
            return f"non {_entre(ast.terme, _NIVEAUX['non'])}"
        return f"-{_entre(ast.terme, _NIVEAU_SIGNE)}"
    if isinstance(ast, Binaire):
        niveau = _NIVEAUX[ast.op]
        if ast.op in COMPARAISONS:  # no chains: both sides one level up
            return f"{_entre(ast.gauche, niveau + 1)} {ast.op} {_entre(ast.droite, niveau + 1)}"
        return f"{_entre(ast.gauche, niveau)} {ast.op} {_entre(ast.droite, niveau + 1)}"
    return f"{ast.nom}({', '.join(en_texte(a) for a in ast.args)})"


def ast_en_json(ast: Ast) -> dict:
    """The tree as JSON for the page (static/js/formules.js evaluates it):

    {"type": "nombre", "valeur": "12.50"}     a number, as plain decimal text
    {"type": "texte", "valeur": "marie"}
    {"type": "champ", "nom": "nb_enfants"}
    {"type": "unaire", "op": "-" | "non", "terme": …}
    {"type": "binaire", "op": "+" | "-" | "*" | "/" | "=" | "≠" | "<" | "≤" | ">" | "≥"
                              | "et" | "ou", "gauche": …, "droite": …}
    {"type": "fonction", "nom": "si", "args": […]}
    """
    if isinstance(ast, Nombre):
        return {"type": "nombre", "valeur": format(ast.valeur, "f")}
    if isinstance(ast, Texte):
        return {"type": "texte", "valeur": ast.valeur}
    if isinstance(ast, Champ):
        return {"type": "champ", "nom": ast.nom}
    if isinstance(ast, Unaire):
        return {"type": "unaire", "op": ast.op, "terme": ast_en_json(ast.terme)}
    if isinstance(ast, Binaire):
        return {
            "type": "binaire",
            "op": ast.op,
            "gauche": ast_en_json(ast.gauche),
            "droite": ast_en_json(ast.droite),
        }
    return {"type": "fonction", "nom": ast.nom, "args": [ast_en_json(a) for a in ast.args]}


def ast_depuis_json(donnees: Any, _profondeur_restante: int = PROFONDEUR_MAX) -> Ast:
    """The reverse of ast_en_json; ErreurFormule for anything else."""
    invalide = ErreurFormule("L’arbre de calcul enregistré est invalide.")
    if _profondeur_restante <= 0 or not isinstance(donnees, dict):
        raise invalide
    genre = donnees.get("type")
    suite = _profondeur_restante - 1
    if genre == "nombre":
        texte = donnees.get("valeur")
        if not isinstance(texte, str) or not valeurs.NOMBRE_STOCKE.fullmatch(texte):
            raise invalide
        return Nombre(Decimal(texte))
    if genre == "texte" and isinstance(donnees.get("valeur"), str):
        return Texte(donnees["valeur"])
    if genre == "champ" and isinstance(donnees.get("nom"), str) and donnees["nom"]:
        return Champ(donnees["nom"])
    if genre == "unaire" and donnees.get("op") in ("-", "non"):
        terme = ast_depuis_json(donnees.get("terme"), suite)
        return Unaire(donnees["op"], terme, profondeur=_profondeur(terme))
    if genre == "binaire":
        op = donnees.get("op")
        op = ALIAS.get(op, op) if isinstance(op, str) else op
        if op in OPERATEURS_BINAIRES:
            gauche = ast_depuis_json(donnees.get("gauche"), suite)
            droite = ast_depuis_json(donnees.get("droite"), suite)
            return Binaire(op, gauche, droite, profondeur=_profondeur(gauche, droite))
    if genre == "fonction" and donnees.get("nom") in FONCTIONS:
        args = donnees.get("args")
        minimum, maximum = FONCTIONS[donnees["nom"]]
        if isinstance(args, list) and minimum <= len(args) <= (maximum or len(args)):
            enfants = tuple(ast_depuis_json(a, suite) for a in args)
            return Fonction(donnees["nom"], enfants, profondeur=_profondeur(*enfants))
    raise invalide


# --- computing ---------------------------------------------------------------------------


def resoudre_tableau(data: Any, nom: str) -> Any:
    """A field's value as formulas read it: valeurs.resoudre, plus the columns of a tableau
    (F4, stored {row: {column: value}}): "budget.recettes.montant" is one cell and
    "budget.montant" the list of the column's cells, in row order, so that
    somme(budget.montant) is the column's total. A name that is a row's key is read as the
    row (the tableau's options never give a row and a column the same key)."""
    parties = nom.split(".")
    valeur = data.get(parties[0]) if isinstance(data, dict) else None
    for partie in parties[1:]:
        if isinstance(valeur, dict):
            if partie in valeur:
                valeur = valeur[partie]
            elif valeur and all(isinstance(rangee, dict) for rangee in valeur.values()):
                valeur = [rangee.get(partie) for rangee in valeur.values()]
            else:
                valeur = None
        elif isinstance(valeur, list):
            valeur = [x.get(partie) if isinstance(x, dict) else None for x in valeur]
        else:
            valeur = None
    return valeur


def evaluer(ast: Ast, data: dict, *, aujourdhui: datetime.date | None = None) -> Decimal:
    """The formula's value on the dossier's data; ErreurCalcul (French message) when it
    cannot be computed (division by zero, a text where a number is needed…)."""
    calcul = _Calcul(data if isinstance(data, dict) else {}, aujourdhui)
    resultat = calcul.nombre(calcul.valeur(ast), ast)
    return resultat.copy_abs() if resultat == 0 else resultat  # never "-0"


class _Calcul:
    def __init__(self, data: dict, aujourdhui: datetime.date | None):
        self.data = data
        self._aujourdhui = aujourdhui

    @property
    def aujourdhui(self) -> datetime.date:
        if self._aujourdhui is None:
            self._aujourdhui = timezone.localdate()
        return self._aujourdhui

    def nombre(self, valeur: Any, noeud: Ast) -> Decimal:
        """A value in arithmetic: empty is 0, a checkbox 1 or 0."""
        genre, normal = valeurs.nature(valeur)
        if genre == valeurs.VIDE:
            return ZERO
        if genre == valeurs.BOOLEEN:
            return valeurs.UN if normal else ZERO
        if genre == valeurs.NOMBRE:
            return normal
        if isinstance(noeud, Champ):
            if genre == valeurs.LISTE:
                raise ErreurCalcul(
                    f"Le champ « {noeud.nom} » contient plusieurs valeurs : utilisez "
                    f"somme({noeud.nom}) ou nb({noeud.nom})."
                )
            raise ErreurCalcul(f"Le champ « {noeud.nom} » ne contient pas un nombre.")
        if isinstance(noeud, Texte):
            raise ErreurCalcul(f"Le texte « {noeud.valeur} » n’est pas un nombre.")
        raise ErreurCalcul("Le calcul utilise une valeur qui n’est pas un nombre.")

    def valeur(self, noeud: Ast) -> Any:
        if isinstance(noeud, Nombre):
            return noeud.valeur
        if isinstance(noeud, Texte):
            return noeud.valeur
        if isinstance(noeud, Champ):
            return resoudre_tableau(self.data, noeud.nom)
        if isinstance(noeud, Unaire):
            terme = self.valeur(noeud.terme)
            if noeud.op == "non":
                return not valeurs.vrai(terme)
            return EXACT.minus(self.nombre(terme, noeud.terme))
        if isinstance(noeud, Binaire):
            return self.binaire(noeud)
        return self.fonction(noeud)

    def binaire(self, noeud: Binaire) -> Any:
        op = noeud.op
        if op == "et":
            return valeurs.vrai(self.valeur(noeud.gauche)) and valeurs.vrai(
                self.valeur(noeud.droite)
            )
        if op == "ou":
            return valeurs.vrai(self.valeur(noeud.gauche)) or valeurs.vrai(
                self.valeur(noeud.droite)
            )
        gauche = self.valeur(noeud.gauche)
        droite = self.valeur(noeud.droite)
        if op in COMPARAISONS:
            return valeurs.comparer(gauche, op, droite)
        a = self.nombre(gauche, noeud.gauche)
        b = self.nombre(droite, noeud.droite)
        if op == "+":
            return EXACT.add(a, b)
        if op == "-":
            return EXACT.subtract(a, b)
        if op == "*":
            return EXACT.multiply(a, b)
        if b == 0:
            raise ErreurCalcul(DIVISION_PAR_ZERO)
        return valeurs.DIVISION.divide(a, b)

    def aplatis(self, args: tuple[Ast, ...]) -> list[tuple[Any, Ast]]:
        sortie = []
        for arg in args:
            valeur = self.valeur(arg)
            if isinstance(valeur, list):
                sortie += [(element, arg) for element in valeur]
            else:
                sortie.append((valeur, arg))
        return sortie

    def fonction(self, noeud: Fonction) -> Any:
        nom, args = noeud.nom, noeud.args
        if nom == "si":
            condition = valeurs.vrai(self.valeur(args[0]))
            return self.valeur(args[1] if condition else args[2])
        if nom == "contient":
            return valeurs.contient(self.valeur(args[0]), self.valeur(args[1]))
        if nom == "nb":
            return Decimal(sum(1 for v, _ in self.aplatis(args) if not valeurs.est_vide(v)))
        if nom in ("somme", "min", "max"):
            nombres = [self.nombre(v, arg) for v, arg in self.aplatis(args)]
            if not nombres:
                return ZERO
            if nom == "min":
                return min(nombres)
            if nom == "max":
                return max(nombres)
            total = ZERO
            for n in nombres:
                total = EXACT.add(total, n)
            return total
        if nom == "nombre":
            return self.nombre_elements(args[0])
        if nom == "moyenne":
            return self.moyenne(args)
        if nom == "abs":
            return self.nombre(self.valeur(args[0]), args[0]).copy_abs()
        if nom == "arrondi":
            x = self.nombre(self.valeur(args[0]), args[0])
            n = self.nombre(self.valeur(args[1]), args[1]) if len(args) > 1 else ZERO
            if not (0 <= n <= DECIMALES_MAX and n == valeurs.arrondir(n, 0)):
                raise ErreurCalcul(
                    f"Le nombre de décimales d’arrondi() doit être un entier de 0 à "
                    f"{DECIMALES_MAX}."
                )
            return valeurs.arrondir(x, int(n))
        # age
        return self.age(self.valeur(args[0]), args[0])

    def nombre_elements(self, noeud: Ast) -> Decimal:
        """nombre(bloc): how many elements a repeatable block holds."""
        valeur = self.valeur(noeud)
        if isinstance(valeur, list):
            return Decimal(len(valeur))
        if valeurs.est_vide(valeur):
            return ZERO
        raise ErreurCalcul("nombre() compte les éléments d’un bloc répétable : nombre(enfants).")

    def moyenne(self, args: tuple[Ast, ...]) -> Decimal:
        """moyenne(…): the mean of the non-empty values; none is an error."""
        nombres = [self.nombre(v, arg) for v, arg in self.aplatis(args) if not valeurs.est_vide(v)]
        if not nombres:
            raise ErreurCalcul(MOYENNE_DE_RIEN)
        total = ZERO
        for n in nombres:
            total = EXACT.add(total, n)
        return valeurs.DIVISION.divide(total, Decimal(len(nombres)))

    def age(self, valeur: Any, noeud: Ast) -> Decimal:
        if valeurs.est_vide(valeur):
            return ZERO
        correspondance = valeurs.DATE_ISO.fullmatch(valeur) if isinstance(valeur, str) else None
        try:
            if correspondance is None:
                raise ValueError
            annee, mois, jour = (int(g) for g in correspondance.groups())
            datetime.date(annee, mois, jour)
        except ValueError:
            if isinstance(noeud, Champ):
                raise ErreurCalcul(
                    f"Le champ « {noeud.nom} » ne contient pas une date valide."
                ) from None
            raise ErreurCalcul("age() attend une date au format AAAA-MM-JJ.") from None
        today = self.aujourdhui
        return Decimal(today.year - annee - ((today.month, today.day) < (mois, jour)))
