"""Gabarits: the one template language of documents (éditique), mails and SMS
(notifications). Admins write it; callers hand it plain data; nothing else is reachable.

Syntax (Jinja2's, sandboxed): ``{{ dossier.reference }}``, ``{% if … %}…{% elif … %}…
{% else %}…{% endif %}``, ``{% for ligne in dossier.champs.depenses %}…{% endfor %}``,
filters such as ``{{ nom|upper }}``, ``{{ montant|montant }}``, ``{{ date|date }}``.

API (stable: the notifications app builds on it)
-------------------------------------------------
``Variable(nom, libelle, enfants=(), liste=False, exemple=None)``
    One entry of the context schema a caller declares: a leaf (``enfants`` empty), a
    group of named children (``dossier`` → ``reference``…), or, with ``liste=True``, a
    list whose elements have ``enfants`` (a repeatable block). ``exemple`` is the value
    the sample context gives a leaf.
``valider(source, schema, *, html=True) -> list[Probleme]``
    Static check, without rendering: syntax errors, unknown filters, tags that reach
    other templates (include, import, extends), and every variable path that the schema
    does not declare (``dossier.champs.montnt``, ``agent.password``), with its line and
    a French message. Empty list: the template is publishable.
``rendre(source, contexte, *, html=True) -> str``
    Renders with the context (plain data only: dict, list, tuple, str, int, Decimal,
    float, bool, None, date, datetime). HTML mode autoescapes values; text mode (SMS,
    mail subject and text part) does not. Raises ``ErreurGabarit`` (French message, with
    the line) on an undefined variable or a forbidden operation; never returns a
    half-rendered text.
``exemple(schema) -> dict``
    A sample context from the schema (each leaf's ``exemple``, else « [libellé] »;
    lists get two elements), for previews without real data.
``lignes(schema) -> list[tuple[str, str, bool]]``
    The schema flattened as (path, label, is_list) rows, to show admins what they may
    write.

Why it is safe: the environment is Jinja2's ``ImmutableSandboxedEnvironment`` and,
further, attribute and item access only ever read *keys of mappings*, *indexes of
sequences* and a few fields of ``loop``: ``{{ x.__class__ }}``, ``{{ x.items() }}`` or
``{{ agent.password }}`` are undefined (render refuses, ``valider`` names them), and
there are no globals to call. Repetition (`"a" * n`, `liste * n`) and powers are
bounded, and the filters that call methods or pad to a chosen width are removed, so a
template cannot exhaust a worker's memory. The context itself holds plain values the caller built,
never model instances, so there is nothing to walk to even through a filter.

Printing: ``None`` prints as nothing, booleans as « Oui » / « Non », dates as « 2 mars
2026 », datetimes as « 2 mars 2026 à 14 h 05 », Decimals and floats with a decimal comma
and a narrow no-break space between thousands.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from common.text import date_fr

__all__ = [
    "ErreurGabarit",
    "Probleme",
    "Variable",
    "exemple",
    "lignes",
    "rendre",
    "valider",
]

# What a template may read of `loop` inside a for: plain values only (no cycle/changed).
LOOP_ATTRS = frozenset(
    {"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0"}
)
# The longest text or list a template may build by repetition.
TAILLE_MAX = 100_000
# Tags that would reach another template: there is none to reach, and none is wanted.
TAGS_REFUSES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


@dataclass(frozen=True)
class Variable:
    """One entry of a context schema (see the module's docstring)."""

    nom: str
    libelle: str
    enfants: tuple[Variable, ...] = ()
    liste: bool = False
    exemple: Any = None

    def enfant(self, nom: str) -> Variable | None:
        for variable in self.enfants:
            if variable.nom == nom:
                return variable
        return None


@dataclass(frozen=True)
class Probleme:
    """What `valider` found: the variable path (or "" for syntax), its line, a message."""

    variable: str
    ligne: int | None
    message: str

    def __str__(self) -> str:
        if self.ligne:
            return f"Ligne {self.ligne} : {self.message}"
        return self.message


class ErreurGabarit(Exception):
    """A template that cannot be rendered; `str()` is a French message for the admin."""

    def __init__(self, message: str, ligne: int | None = None):
        super().__init__(message)
        self.message = message
        self.ligne = ligne

    def __str__(self) -> str:
        if self.ligne:
            return f"Ligne {self.ligne} : {self.message}"
        return self.message


# --- printing ----------------------------------------------------------------------------


def _nombre(valeur: Decimal | float | int, decimales: int | None = None) -> str:
    if decimales is None:
        if isinstance(valeur, int) or (
            isinstance(valeur, Decimal) and valeur == valeur.to_integral()
        ):
            decimales = 0
        else:
            decimales = 2
    texte = f"{valeur:,.{decimales}f}"
    return texte.replace(",", "\u202f").replace(".", ",")


def date_longue(valeur: Any) -> str:
    """« 2 mars 2026 » (« 1er » for the first day), « … à 14 h 05 » for a datetime."""
    if isinstance(valeur, str):
        try:
            valeur = (
                dt.date.fromisoformat(valeur[:10])
                if len(valeur) <= 10
                else dt.datetime.fromisoformat(valeur)
            )
        except ValueError:
            return valeur
    if not isinstance(valeur, dt.date):
        return "" if valeur is None else str(valeur)
    texte = date_fr(valeur)
    if isinstance(valeur, dt.datetime):
        texte += f" à {valeur.hour} h {valeur.minute:02d}"
    return texte


def montant(valeur: Any) -> str:
    """« 1 234,50 € » from a number, a Decimal or a numeric string; "" when empty."""
    if valeur in (None, ""):
        return ""
    try:
        nombre = Decimal(str(valeur).replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except ArithmeticError:
        return str(valeur)
    return f"{_nombre(nombre, 2)}\u00a0€"


def nombre(valeur: Any, decimales: int | None = None) -> str:
    if isinstance(valeur, bool) or not isinstance(valeur, int | float | Decimal):
        return "" if valeur is None else str(valeur)
    return _nombre(valeur, decimales)


def afficher(valeur: Any) -> Any:
    """`finalize`: how a bare {{ value }} prints."""
    if valeur is None:
        return ""
    if valeur is True:
        return "Oui"
    if valeur is False:
        return "Non"
    if isinstance(valeur, dt.date):
        return date_longue(valeur)
    if isinstance(valeur, float | Decimal):
        return _nombre(valeur)
    return valeur


# --- the environment ---------------------------------------------------------------------


class _Environnement(ImmutableSandboxedEnvironment):
    """Only mapping keys, sequence indexes and loop fields are readable."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Mapping):
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                return self.undefined(obj=obj, name=attribute)
        if isinstance(obj, LoopContext) and attribute in LOOP_ATTRS:
            return getattr(obj, attribute)
        return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Mapping):
            try:
                return obj[argument]
            except (KeyError, TypeError):
                return self.undefined(obj=obj, name=str(argument))
        if (
            isinstance(obj, Sequence)
            and not isinstance(obj, str)
            and isinstance(argument, int)
            and not isinstance(argument, bool)
        ):
            try:
                return obj[argument]
            except IndexError:
                return self.undefined(obj=obj, name=str(argument))
        if isinstance(argument, str):
            return self.getattr(obj, argument)
        return self.undefined(obj=obj, name=str(argument))

    # `"a" * 10**9` or `liste * 10**9` would take the worker's memory: bounded.
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float | Decimal) and abs(right) > 100:
            raise SecurityError("puissance trop grande")
        if operator == "*":
            for sequence, fois in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | list | tuple)
                    and isinstance(fois, int)
                    and len(sequence) * fois > TAILLE_MAX
                ):
                    raise SecurityError("texte ou liste trop long")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        # No globals and no readable methods: only filters and tests run code.
        raise SecurityError("appel de fonction interdit")


def _environnement(html: bool) -> _Environnement:
    env = _Environnement(
        autoescape=html,
        undefined=StrictUndefined,
        finalize=afficher,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.clear()
    env.filters.update({"date": date_longue, "montant": montant, "nombre": nombre})
    # Filters that call Python methods or format with %: not for admins.
    # and those that pad to a width the template chooses (`center(10**9)`).
    for nom in ("attr", "format", "xmlattr", "tojson", "pprint", "urlize", "indent", "center"):
        env.filters.pop(nom, None)
    return env


_ENV_HTML = _environnement(html=True)
_ENV_TEXTE = _environnement(html=False)


def _env(html: bool) -> _Environnement:
    return _ENV_HTML if html else _ENV_TEXTE


@lru_cache(maxsize=512)
def _compiler(source: str, html: bool):
    return _env(html).from_string(source)


def _message_syntaxe(erreur: TemplateSyntaxError) -> str:
    texte = erreur.message or ""
    bas = texte.lower()
    if "unexpected end of template" in bas:
        bloc = re.search(r"block that needs to be closed is '(\w+)'", texte)
        fin = f"{{% end{bloc.group(1)} %}}" if bloc else "{% endif %} ou un {% endfor %}"
        return f"Bloc non fermé : il manque un {fin}."
    if "unknown tag" in bas:
        return f"Balise inconnue ou mal placée ({texte})."
    if "no filter named" in bas:
        return f"Filtre inconnu ({texte})."
    if "no test named" in bas:
        return f"Test inconnu ({texte})."
    return f"Erreur de syntaxe ({texte})."


# --- rendering ---------------------------------------------------------------------------


def rendre(source: str, contexte: Mapping[str, Any], *, html: bool = True) -> str:
    """The rendered text; raises ErreurGabarit with a French message."""
    try:
        gabarit = _compiler(source, html)
    except TemplateSyntaxError as erreur:
        raise ErreurGabarit(_message_syntaxe(erreur), erreur.lineno) from None
    try:
        return gabarit.render(dict(contexte))
    except UndefinedError as erreur:
        raise ErreurGabarit(
            f"Variable non définie dans ce contexte ({erreur.message}).", _ligne(erreur)
        ) from None
    except SecurityError as erreur:
        raise ErreurGabarit(f"Opération interdite ({erreur}).", _ligne(erreur)) from None
    except (TypeError, ValueError, ArithmeticError) as erreur:
        raise ErreurGabarit(f"Valeur inattendue ({erreur}).", _ligne(erreur)) from None


def _ligne(erreur: Exception) -> int | None:
    """The template line of a render-time error, read from the traceback."""
    # Jinja rewrites the traceback so that template frames carry the template's lines.
    trace, ligne = erreur.__traceback__, None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            ligne = trace.tb_lineno
        trace = trace.tb_next
    return ligne


# --- static validation -------------------------------------------------------------------

_TOUT = Variable("*", "")  # anything: a literal, a filter's result, a {% set %} name
_BOUCLE = Variable("loop", "boucle", tuple(Variable(nom, nom) for nom in sorted(LOOP_ATTRS)))


def _chemin(expr: nodes.Node) -> str:
    if isinstance(expr, nodes.Name):
        return expr.name
    if isinstance(expr, nodes.Getattr):
        return f"{_chemin(expr.node)}.{expr.attr}"
    if isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const):
        return f"{_chemin(expr.node)}.{expr.arg.value}"
    if isinstance(expr, nodes.Getitem):
        return f"{_chemin(expr.node)}[…]"
    return "…"


class _Verificateur:
    def __init__(self, schema: Sequence[Variable]):
        self.racine = {v.nom: v for v in schema}
        self.problemes: list[Probleme] = []
        self._vus: set[tuple[str, int | None]] = set()

    def signaler(self, chemin: str, ligne: int | None, message: str) -> None:
        if (chemin, ligne) not in self._vus:
            self._vus.add((chemin, ligne))
            self.problemes.append(Probleme(chemin, ligne, message))

    def inconnue(self, chemin: str, ligne: int, connus: Sequence[str]) -> None:
        nom = chemin.rsplit(".", 1)[-1]
        proche = difflib.get_close_matches(nom, list(connus), n=1)
        suggestion = f" Vouliez-vous dire « {proche[0]} » ?" if proche else ""
        self.signaler(
            chemin,
            ligne,
            f"Variable inconnue « {chemin} » : elle n'est pas dans le contexte de ce "
            f"modèle.{suggestion}",
        )

    # Returns the schema entry an expression stands for (_TOUT when not a variable path,
    # None when unknown, already reported).
    def resoudre(self, expr: nodes.Node, portee: dict[str, Variable]) -> Variable | None:
        if isinstance(expr, nodes.Name):
            if expr.name in portee:
                return portee[expr.name]
            self.inconnue(expr.name, expr.lineno, list(portee))
            return None
        if isinstance(expr, nodes.Getattr | nodes.Getitem):
            base = self.resoudre(expr.node, portee)
            if base is None:
                return None
            if isinstance(expr, nodes.Getitem) and not isinstance(expr.arg, nodes.Const):
                self.visiter(expr.arg, portee)
                if base is _TOUT:
                    return _TOUT
                if base.liste:  # x[i]: an element
                    return Variable(base.nom, base.libelle, base.enfants)
                self.signaler(
                    _chemin(expr),
                    expr.lineno,
                    f"Accès calculé « {_chemin(expr)} » : écrivez le nom de la variable.",
                )
                return None
            cle = expr.attr if isinstance(expr, nodes.Getattr) else expr.arg.value
            if base is _TOUT:
                return _TOUT
            if base.liste and isinstance(cle, int):
                return Variable(base.nom, base.libelle, base.enfants)
            enfant = base.enfant(str(cle))
            if enfant is None:
                self.inconnue(_chemin(expr), expr.lineno, [e.nom for e in base.enfants])
            return enfant
        self.visiter(expr, portee)
        return _TOUT

    def visiter(self, noeud: nodes.Node, portee: dict[str, Variable]) -> None:
        if isinstance(noeud, TAGS_REFUSES):
            self.signaler(
                "",
                noeud.lineno,
                "Les balises include, import et extends ne sont pas disponibles.",
            )
            return
        if isinstance(noeud, nodes.Name | nodes.Getattr | nodes.Getitem):
            self.resoudre(noeud, portee)
            return
        if isinstance(noeud, nodes.For):
            iterable = self.resoudre(noeud.iter, portee)
            interieure = dict(portee)
            element = _TOUT
            if iterable is not None and iterable is not _TOUT:
                if iterable.liste:
                    element = Variable(iterable.nom, iterable.libelle, iterable.enfants)
                else:
                    self.signaler(
                        _chemin(noeud.iter),
                        noeud.lineno,
                        f"« {_chemin(noeud.iter)} » n'est pas une liste : "
                        "{% for %} ne peut pas la parcourir.",
                    )
            if isinstance(noeud.target, nodes.Name):
                interieure[noeud.target.name] = element
            for cible in noeud.target.find_all(nodes.Name):  # a tuple target: k, v
                interieure[cible.name] = _TOUT
            interieure["loop"] = _BOUCLE
            if noeud.test is not None:
                self.visiter(noeud.test, interieure)
            for enfant in noeud.body:
                self.visiter(enfant, interieure)
            for enfant in noeud.else_:
                self.visiter(enfant, portee)
            return
        if isinstance(noeud, nodes.Assign | nodes.AssignBlock):
            if isinstance(noeud, nodes.Assign):
                self.visiter(noeud.node, portee)
            else:
                for enfant in noeud.body:
                    self.visiter(enfant, portee)
            for cible in [noeud.target, *noeud.target.find_all(nodes.Name)]:
                if isinstance(cible, nodes.Name):
                    portee[cible.name] = _TOUT
            return
        if isinstance(noeud, nodes.Macro | nodes.CallBlock):
            self.signaler("", noeud.lineno, "Les macros ne sont pas disponibles.")
            return
        if isinstance(noeud, nodes.Call):
            self.signaler(
                _chemin(noeud.node),
                noeud.lineno,
                f"Appel « {_chemin(noeud.node)}(…) » interdit : utilisez un filtre, "
                "par exemple {{ nom|upper }}.",
            )
            return
        for enfant in noeud.iter_child_nodes():
            self.visiter(enfant, portee)


def valider(source: str, schema: Sequence[Variable], *, html: bool = True) -> list[Probleme]:
    """The template's problems against the declared schema (see the module docstring)."""
    env = _env(html)
    try:
        arbre = env.parse(source)
    except TemplateSyntaxError as erreur:
        return [Probleme("", erreur.lineno, _message_syntaxe(erreur))]
    verificateur = _Verificateur(schema)
    verificateur.visiter(arbre, dict(verificateur.racine))
    try:  # unknown filters and tests are found when compiling
        _compiler(source, html)
    except TemplateSyntaxError as erreur:  # TemplateAssertionError included
        verificateur.problemes.append(Probleme("", erreur.lineno, _message_syntaxe(erreur)))
    return sorted(verificateur.problemes, key=lambda p: (p.ligne or 0, p.variable))


# --- schema helpers ----------------------------------------------------------------------


def _exemple(variable: Variable) -> Any:
    if variable.liste:
        element = {e.nom: _exemple(e) for e in variable.enfants}
        return [element, dict(element)]
    if variable.enfants:
        return {e.nom: _exemple(e) for e in variable.enfants}
    if variable.exemple is not None:
        return variable.exemple
    return f"[{variable.libelle}]"


def exemple(schema: Sequence[Variable]) -> dict[str, Any]:
    """A sample context for previews: every declared variable has a value."""
    return {variable.nom: _exemple(variable) for variable in schema}


def lignes(schema: Sequence[Variable], prefixe: str = "") -> list[tuple[str, str, bool]]:
    """(path, label, is_list) for every declared variable, depth first."""
    sortie: list[tuple[str, str, bool]] = []
    for variable in schema:
        chemin = f"{prefixe}{variable.nom}"
        sortie.append((chemin, variable.libelle, variable.liste))
        if variable.enfants:
            # A list's children are read on its element, named in a {% for %}: "element.x".
            sortie.extend(lignes(variable.enfants, "element." if variable.liste else f"{chemin}."))
    return sortie
