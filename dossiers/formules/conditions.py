"""F5 conditions: JSON that shows or hides an onglet, a section or a champ.

The builder stores a condition as JSON; the server evaluates it (authoritative: a hidden
field's value is ignored) and the page evaluates the same JSON live (static/js/formules.js).

    condition := {"tous": [condition, …]}        all true (an empty list is true)
               | {"un_parmi": [condition, …]}    at least one true (empty: false)
               | {"non": condition}
               | {"profil": "association"}      the dossier's profile type is this code
               | {"profil": ["association", …]} … or one of these codes
               | {"champ": nom, "op": op, "valeur": v}
    op := "=" | "≠" | "<" | "≤" | ">" | "≥"      ("!=", "<>", "<=", ">=", "==" accepted)
        | "vide" | "rempli"                      (no "valeur")
        | "contient"                             a multiple choice holds the key v,
                                                 or a text holds the text v
        | "parmi"                                v is a list: the value is one of them
                                                 (a multiple choice: shares one key)
        | "premier"                              a choix classé's first choice is v
                                                 (any other value: the value is v)

`nom` is a field's technical name ("bloc.colonne" reads a column of a repeatable block);
"nombre(bloc)" is the number of elements of a repeatable block (F12), compared as a number
({"champ": "nombre(enfants)", "op": "≥", "valeur": 2}); 0 when empty or not a block.
Inside a block, a sub-field's condition names the same element's sub-fields directly
(the block evaluates it on the top-level data overlaid with the element's values).
Comparison rules are those of dossiers/formules/valeurs.py: numbers compare as numbers
(stored decimals "1234.50" included), ISO dates and texts in order, choices by key.

A missing field is empty: its condition is evaluated, never raises. `null` or `{}` is
always true. A malformed condition (one `valider_condition` refuses) is true as a whole:
the wizard keeps the element visible rather than break.
"""

import json
import re
from collections.abc import Iterable
from typing import Any

from dossiers.formules import valeurs
from dossiers.formules.valeurs import ALIAS, COMPARAISONS

OPERATEURS = (*COMPARAISONS, "vide", "rempli", "contient", "parmi", "premier")
OPERATEURS_SANS_VALEUR = ("vide", "rempli")
PROFONDEUR_MAX = 50

# How a condition sees each field type (the codes of dossiers/champs, plus those F4 still
# announces: calcul, liste_referentiel, adresse, tableau, bloc…): which operators apply.
# An unknown code is treated as text, the most permissive nature.
NATURES = {
    **dict.fromkeys(("entier", "decimal", "montant", "calcul", "age"), "nombre"),
    **dict.fromkeys(("date", "date_heure"), "date"),
    **dict.fromkeys(
        ("choix_unique_radio", "choix_unique_liste", "civilite", "liste_referentiel"), "choix"
    ),
    "choix_multiple": "choix_multiple",
    # Official lists and linked lists store a code (INSEE, SIREN, ISO 3166, a key):
    # conditions compare codes, as for any choice.
    **dict.fromkeys(("commune", "departement", "region", "epci", "pays", "liste_liee"), "choix"),
    "choix_classe": "classement",  # a ranked list of keys (F13)
    **dict.fromkeys(("carte", "piece_identite"), "structure"),
    **dict.fromkeys(("oui_non", "case_a_cocher", "acceptation_cgu"), "booleen"),
    **dict.fromkeys(
        (
            "adresse",
            "tableau",
            "bloc",
            "bloc_repetable",
            "piece_justificative",
            "creneau",
            "dossier_lie",
            "api_particulier",
            "note",
        ),
        "structure",
    ),
}
LIBELLES_NATURE = {
    "nombre": "nombre",
    "date": "date",
    "texte": "texte",
    "choix": "choix unique",
    "choix_multiple": "choix multiple",
    "booleen": "case à cocher",
    "structure": "valeur composée",
    "classement": "choix classé",
}
APPLICABLES = {
    "nombre": {*COMPARAISONS, "vide", "rempli", "parmi"},
    "date": {*COMPARAISONS, "vide", "rempli", "parmi"},
    "texte": set(OPERATEURS),
    "choix": {"=", "≠", "vide", "rempli", "parmi"},
    "choix_multiple": {"vide", "rempli", "contient", "parmi"},
    "classement": {"vide", "rempli", "contient", "parmi", "premier"},
    "booleen": {"=", "≠", "vide", "rempli"},
    "structure": {"vide", "rempli"},
}
CLES = ("tous", "un_parmi", "non", "profil", "champ")
CLES_PERMISES = {
    "tous": {"tous"},
    "un_parmi": {"un_parmi"},
    "non": {"non"},
    "profil": {"profil"},
    "champ": {"champ", "op", "valeur"},
}


# "nombre(enfants)": the element count of a repeatable block (F12).
NOMBRE_DE = re.compile(r"nombre\(([a-z][a-z0-9_]*)\)")
TYPES_A_ELEMENTS = ("bloc_repetable", "bloc", "tableau")


def lire_champ(data: dict, nom: str) -> Any:
    """A field's value, or a block's element count for "nombre(bloc)"."""
    compte = NOMBRE_DE.fullmatch(nom)
    if compte:
        elements = data.get(compte[1])
        return len(elements) if isinstance(elements, list) else 0
    return valeurs.resoudre(data, nom)


def nature_du_type(code: str) -> str:
    return NATURES.get(code, "texte")


class _Malformee(Exception):
    pass


def evaluer_condition(condition: Any, data: dict, *, profil: str | None = None) -> bool:
    """True when the element is shown. Never raises (see the module docstring)."""
    if condition is None or condition == {}:
        return True
    try:
        return _evaluer(condition, data if isinstance(data, dict) else {}, profil, 0)
    except _Malformee:
        return True


def _cle(condition: Any) -> str:
    if isinstance(condition, dict):
        for cle in CLES:
            if cle in condition:
                return cle
    raise _Malformee


def _evaluer(condition: Any, data: dict, profil: str | None, profondeur: int) -> bool:
    if profondeur > PROFONDEUR_MAX:
        raise _Malformee
    cle = _cle(condition)
    contenu = condition[cle]
    if cle in ("tous", "un_parmi"):
        if not isinstance(contenu, list):
            raise _Malformee
        resultats = (_evaluer(c, data, profil, profondeur + 1) for c in contenu)
        return all(resultats) if cle == "tous" else any(resultats)
    if cle == "non":
        return not _evaluer(contenu, data, profil, profondeur + 1)
    if cle == "profil":
        if isinstance(contenu, str):
            return profil == contenu
        if isinstance(contenu, list) and all(isinstance(c, str) for c in contenu):
            return profil in contenu
        raise _Malformee
    # cle == "champ"
    op = condition.get("op")
    op = ALIAS.get(op, op) if isinstance(op, str) else op
    if not isinstance(contenu, str) or op not in OPERATEURS:
        raise _Malformee
    valeur = lire_champ(data, contenu)
    if op == "vide":
        return valeurs.est_vide(valeur)
    if op == "rempli":
        return not valeurs.est_vide(valeur)
    if "valeur" not in condition:
        raise _Malformee
    attendu = condition["valeur"]
    if op == "premier":  # the first choice of a choix classé (or the value itself)
        return valeurs.egal(valeur[0] if isinstance(valeur, list) and valeur else valeur, attendu)
    if op == "contient":
        return valeurs.contient(valeur, attendu)
    if op == "parmi":
        if not isinstance(attendu, list):
            raise _Malformee
        return valeurs.parmi(valeur, attendu)
    return valeurs.comparer(valeur, op, attendu)


def champs_references(condition: Any) -> set[str]:
    """The fields a condition reads (top-level technical names: "bloc" for
    "bloc.colonne"), to know which inputs re-evaluate it. Ignores malformed parts."""
    trouves: set[str] = set()
    _parcourir(condition, trouves, 0)
    return trouves


def _parcourir(condition: Any, trouves: set[str], profondeur: int) -> None:
    if profondeur > PROFONDEUR_MAX:
        return
    try:
        cle = _cle(condition)
    except _Malformee:
        return
    contenu = condition[cle]
    if cle in ("tous", "un_parmi") and isinstance(contenu, list):
        for c in contenu:
            _parcourir(c, trouves, profondeur + 1)
    elif cle == "non":
        _parcourir(contenu, trouves, profondeur + 1)
    elif cle == "champ" and isinstance(contenu, str) and contenu:
        compte = NOMBRE_DE.fullmatch(contenu)
        trouves.add(compte[1] if compte else contenu.split(".")[0])


def valider_condition(
    condition: Any, champs: dict[str, str], *, profils: Iterable[str] | None = None
) -> list[str]:
    """French messages for everything wrong in a condition (empty list: valid).

    `condition` is the JSON (dict) or its text; `champs` maps the form model's technical
    names to their type codes; `profils`, when given, the known profile type codes."""
    if isinstance(condition, str):
        try:
            condition = json.loads(condition)
        except json.JSONDecodeError as erreur:
            return [
                f"La condition n’est pas un JSON valide (ligne {erreur.lineno}, "
                f"colonne {erreur.colno})."
            ]
    if condition is None or condition == {}:
        return []
    erreurs: list[str] = []
    _valider(condition, champs, set(profils) if profils is not None else None, erreurs, 0)
    return list(dict.fromkeys(erreurs))


def _valider(
    condition: Any,
    champs: dict[str, str],
    profils: set[str] | None,
    erreurs: list[str],
    profondeur: int,
) -> None:
    if profondeur > PROFONDEUR_MAX:
        erreurs.append(f"La condition est trop imbriquée ({PROFONDEUR_MAX} niveaux au plus).")
        return
    if not isinstance(condition, dict):
        erreurs.append("Chaque condition doit être un objet JSON (entre accolades).")
        return
    try:
        cle = _cle(condition)
    except _Malformee:
        erreurs.append(
            "Condition incomprise : elle doit contenir « champ », « profil », « tous », "
            "« un_parmi » ou « non »."
        )
        return
    for autre in condition.keys() - CLES_PERMISES[cle]:
        erreurs.append(f"Clé inconnue « {autre} » dans une condition sur « {cle} ».")
    contenu = condition[cle]
    if cle in ("tous", "un_parmi"):
        if not isinstance(contenu, list):
            erreurs.append(f"« {cle} » attend une liste de conditions.")
            return
        for c in contenu:
            _valider(c, champs, profils, erreurs, profondeur + 1)
    elif cle == "non":
        _valider(contenu, champs, profils, erreurs, profondeur + 1)
    elif cle == "profil":
        codes = [contenu] if isinstance(contenu, str) else contenu
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            erreurs.append("« profil » attend le code d’un type de profil ou une liste de codes.")
            return
        for code in codes:
            if profils is not None and code not in profils:
                erreurs.append(
                    f"La condition porte sur le type de profil « {code} », qui n’existe pas."
                )
    else:
        _valider_champ(condition, champs, erreurs)


def _valider_champ(condition: dict, champs: dict[str, str], erreurs: list[str]) -> None:
    nom = condition["champ"]
    if not isinstance(nom, str) or not nom:
        erreurs.append("« champ » attend le nom technique d’un champ.")
        return
    op = condition.get("op")
    op = ALIAS.get(op, op) if isinstance(op, str) else op
    if op not in OPERATEURS:
        erreurs.append(
            f"Opérateur inconnu « {condition.get('op')} » pour le champ « {nom} » : utilisez "
            "=, ≠, <, ≤, >, ≥, vide, rempli, contient ou parmi."
        )
        return
    compte = NOMBRE_DE.fullmatch(nom)
    racine = compte[1] if compte else nom.split(".")[0]
    if racine not in champs:
        erreurs.append(
            f"La condition porte sur le champ « {nom} », qui n’existe plus dans le modèle."
        )
        return
    if compte and champs[racine] not in TYPES_A_ELEMENTS:
        erreurs.append(
            f"« {nom} » compte les éléments d’un bloc répétable : « {racine} » n’en est pas un."
        )
        return
    # "nombre(bloc)" is a number; a column of a block is checked as text (its own type
    # is unknown here).
    if compte:
        nature = "nombre"
    elif racine == nom:
        nature = nature_du_type(champs[racine])
    else:
        nature = "texte"
    if op not in APPLICABLES[nature]:
        erreurs.append(
            f"L’opérateur « {op} » ne s’applique pas au champ « {nom} » "
            f"({LIBELLES_NATURE[nature]})."
        )
        return
    if op in OPERATEURS_SANS_VALEUR:
        if "valeur" in condition:
            erreurs.append(f"L’opérateur « {op} » ne prend pas de valeur (champ « {nom} »).")
        return
    if "valeur" not in condition:
        erreurs.append(f"Il manque la valeur à comparer au champ « {nom} ».")
        return
    valeur = condition["valeur"]
    if op == "parmi":
        if not isinstance(valeur, list):
            erreurs.append(f"L’opérateur « parmi » attend une liste de valeurs (champ « {nom} »).")
            return
        attendues = valeur
    else:
        attendues = [valeur]
    for attendu in attendues:
        message = _valeur_incompatible(nature, op, attendu, nom)
        if message:
            erreurs.append(message)


def _valeur_incompatible(nature: str, op: str, valeur: Any, nom: str) -> str | None:
    genre, _ = valeurs.nature(valeur)
    if op == "contient":
        if not isinstance(valeur, str):
            return f"La valeur cherchée dans le champ « {nom} » doit être un texte."
        return None
    if genre == valeurs.VIDE and op in ("=", "≠", "parmi"):
        return None  # "= vide" is a valid way to test emptiness
    if nature == "nombre" and genre != valeurs.NOMBRE:
        return f"La valeur comparée au champ « {nom} » doit être un nombre."
    if nature == "date" and not (isinstance(valeur, str) and valeurs.DATE_ISO.fullmatch(valeur)):
        return f"La valeur comparée au champ « {nom} » doit être une date au format AAAA-MM-JJ."
    if nature in ("choix", "classement") and not isinstance(valeur, str):
        return f"La valeur comparée au champ « {nom} » doit être la clé d’un choix (un texte)."
    if nature == "booleen" and not isinstance(valeur, bool):
        return f"La valeur comparée au champ « {nom} » doit être vrai ou faux (true ou false)."
    if (
        nature == "texte"
        and op in ("<", "≤", ">", "≥")
        and genre not in (valeurs.TEXTE, valeurs.NOMBRE)
    ):
        return f"La valeur comparée au champ « {nom} » doit être un texte ou un nombre."
    return None
