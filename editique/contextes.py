"""The kinds of context a document template is written for, registered by the apps that
build them (dossiers registers "dossier"): éditique never imports them.

A kind declares its variables (the schema templates are checked against), a sample
context for previews, the "cibles" that narrow it (a dispositif, whose form fields become
variables) and the objects a template can be previewed or produced on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from common.gabarits import Variable, exemple


class TypeContexte:
    """Base class; an app subclasses it and calls `enregistrer(instance)` in ready()."""

    code: str = ""
    libelle: str = ""

    def cibles(self) -> list[tuple[str, str]]:
        """(code, label) choices narrowing the context; none by default."""
        return []

    def schema(self, cible: str = "") -> list[Variable]:
        raise NotImplementedError

    def exemple(self, cible: str = "") -> dict[str, Any]:
        return exemple(self.schema(cible))

    def objets(self, cible: str = "", *, limite: int = 50) -> list[tuple[int, str]]:
        """(pk, label) of recent objects a template may be previewed on."""
        return []

    def contexte(self, pk: int, *, utilisateur=None) -> tuple[Any, dict[str, Any]]:
        """(object, context) for one object; LookupError when it does not exist."""
        raise LookupError(pk)


_REGISTRE: dict[str, TypeContexte] = {}


def enregistrer(type_contexte: TypeContexte) -> TypeContexte:
    _REGISTRE[type_contexte.code] = type_contexte
    return type_contexte


def get(code: str) -> TypeContexte:
    """The registered kind; KeyError for an unknown code."""
    return _REGISTRE[code]


def types() -> list[TypeContexte]:
    return list(_REGISTRE.values())


# --- variables every context shares -------------------------------------------------------

SCHEMA_COMMUN = (
    Variable(
        "collectivite",
        "La collectivité",
        (Variable("nom", "Nom de la collectivité", exemple="Ville de Belleville-sur-Loire"),),
    ),
    Variable(
        "agent",
        "L’agent qui produit le document",
        (
            Variable("prenom", "Prénom", exemple="Claire"),
            Variable("nom", "Nom", exemple="Martin"),
            Variable("nom_complet", "Prénom et nom", exemple="Claire Martin"),
            Variable("email", "Adresse électronique", exemple="claire.martin@mairie.fr"),
        ),
    ),
    Variable("aujourdhui", "Date du jour", exemple=dt.date(2026, 3, 2)),
)


def contexte_commun(agent=None) -> dict[str, Any]:
    """Plain values only: the agent's names, never the user object (nor its hash)."""
    prenom = getattr(agent, "first_name", "") or ""
    nom = getattr(agent, "last_name", "") or ""
    return {
        "collectivite": {"nom": settings.GUICHET_AUTHORITY_NAME},
        "agent": {
            "prenom": prenom,
            "nom": nom,
            "nom_complet": f"{prenom} {nom}".strip(),
            "email": getattr(agent, "email", "") or "",
        },
        "aujourdhui": timezone.localdate(),
    }


def choix_contextes() -> list[tuple[str, str]]:
    return [(t.code, t.libelle) for t in types()]


def choix_cibles() -> list[tuple[str, str]]:
    """Every registered kind's cibles, after « none » (common variables only)."""
    choix = [("", "Aucun : variables communes seulement")]
    for type_contexte in types():
        choix += type_contexte.cibles()
    return choix
