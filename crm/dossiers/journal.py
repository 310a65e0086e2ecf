"""How a dossier's journal (C11) reads in the CRM: each event with its date, author, the
object changed (the dossier, one of its justificatifs, its place in the guide…) and its
changes field by field, « avant → après ». The form's data (one JSON column) is diffed
per technical name, each named by its label in the form model version of the event.

Everything a page names is read in a fixed number of queries, whatever its size: the
authors at once, the objects of each related model at once, the fields' labels at once.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from crm.referentiel.display import _diff_value, _field
from dossiers.models import Champ, TypeJustificatif

ACTIONS = {
    "insert": gettext_lazy("Création"),
    "update": gettext_lazy("Modification"),
    "delete": gettext_lazy("Suppression"),
}
# Columns never shown: keys, bookkeeping, and what the journal's reader gains nothing from.
CACHES = {"id", "created_at", "updated_at", "code_suivi"}
# What a creation shows of the new row.
A_LA_CREATION = ("statut",)
VALEUR_MAX = 160


@dataclass
class Changement:
    libelle: str
    avant: str
    apres: str


@dataclass
class LigneJournal:
    date: datetime.datetime
    action: str
    auteur: User | None
    objet: str
    changements: list[Changement] = field(default_factory=list)


def _modele_suivi(event) -> type[models.Model]:
    return apps.get_model(event.pgh_obj_model)


def _colonnes(model, donnees: dict) -> list[tuple[models.Field, str]]:
    resultat = []
    for cle in donnees or {}:
        model_field = _field(model, cle)
        if model_field is not None and model_field.name not in CACHES:
            resultat.append((model_field, cle))
    return resultat


def _valeur_json(valeur: Any) -> str:
    if valeur in (None, "", [], {}):
        return _("(vide)")
    if isinstance(valeur, bool):
        return _("oui") if valeur else _("non")
    if isinstance(valeur, str | int | float):
        texte = str(valeur)
    else:
        texte = json.dumps(valeur, ensure_ascii=False)
    return Truncator(texte).chars(VALEUR_MAX)


def _valeur(model_field, valeur, related) -> str:
    if isinstance(model_field, models.DateTimeField) and valeur:
        try:
            moment = datetime.datetime.fromisoformat(valeur)
        except (TypeError, ValueError):
            return str(valeur)
        return date_format(timezone.localtime(moment), "j F Y H:i")
    return Truncator(_diff_value(model_field, valeur, related)).chars(VALEUR_MAX)


def _donnees(avant: dict, apres: dict, libelles: dict[str, str]) -> list[Changement]:
    """The form's data diffed per technical name, in the form's order of names known."""
    avant, apres = avant or {}, apres or {}
    noms = sorted(
        (n for n in set(avant) | set(apres) if avant.get(n) != apres.get(n)),
        key=lambda n: (libelles.get(n, n).lower(), n),
    )
    return [
        Changement(
            libelles.get(nom, nom), _valeur_json(avant.get(nom)), _valeur_json(apres.get(nom))
        )
        for nom in noms
    ]


def _a_lire(events) -> tuple[dict, set[int]]:
    """The pks each related model must resolve, and the form model versions named."""
    ids: dict[type[models.Model], set] = {User: set()}
    modeles: set[int] = set()
    for event in events:
        ids[User].add((event.pgh_context or {}).get("user"))
        model = _modele_suivi(event)
        valeurs = event.pgh_diff or {}
        for model_field, cle in _colonnes(model, valeurs):
            if isinstance(model_field, models.ForeignKey):
                ids.setdefault(model_field.related_model, set()).update(valeurs[cle])
        if "donnees" in valeurs:
            modeles.add((event.pgh_data or {}).get("modele_id"))
        if event.pgh_label == "insert":
            for model_field, cle in _colonnes(model, event.pgh_data):
                if model_field.name in A_LA_CREATION and isinstance(model_field, models.ForeignKey):
                    ids.setdefault(model_field.related_model, set()).add(event.pgh_data[cle])
        if event.pgh_obj_model == "dossiers.Justificatif":
            ids.setdefault(TypeJustificatif, set()).add((event.pgh_data or {}).get("type_id"))
    return ids, {m for m in modeles if isinstance(m, int)}


def _objet(event, model, related) -> str:
    nom = capfirst(model._meta.verbose_name)
    if event.pgh_obj_model == "dossiers.Justificatif":
        data = event.pgh_data or {}
        libelle = data.get("libelle") or str(
            related.get(TypeJustificatif, {}).get(data.get("type_id"), "")
        )
        return f"{nom} « {libelle} »" if libelle else nom
    return nom


def lignes(events) -> list[LigneJournal]:
    """Each event of a page of the journal, ready to show."""
    events = list(events)
    ids, modeles = _a_lire(events)
    related = {
        related_model: related_model._default_manager.in_bulk(
            [pk for pk in pks if isinstance(pk, int)]
        )
        for related_model, pks in ids.items()
    }
    libelles: dict[int, dict[str, str]] = {}
    for modele_id, nom, libelle in Champ.objects.filter(modele_id__in=modeles).values_list(
        "modele_id", "nom", "libelle"
    ):
        libelles.setdefault(modele_id, {}).setdefault(nom, libelle)
    resultat = []
    for event in events:
        model = _modele_suivi(event)
        changements: list[Changement] = []
        if event.pgh_label == "insert":
            for model_field, cle in _colonnes(model, event.pgh_data):
                if model_field.name in A_LA_CREATION:
                    changements.append(
                        Changement(
                            capfirst(model_field.verbose_name),
                            "",
                            _valeur(model_field, event.pgh_data[cle], related),
                        )
                    )
        for model_field, cle in sorted(
            _colonnes(model, event.pgh_diff), key=lambda c: str(c[0].verbose_name)
        ):
            avant, apres = event.pgh_diff[cle]
            if model_field.name == "donnees":
                modele_id = (event.pgh_data or {}).get("modele_id")
                changements += _donnees(avant, apres, libelles.get(modele_id, {}))
                continue
            changements.append(
                Changement(
                    capfirst(model_field.verbose_name),
                    _valeur(model_field, avant, related),
                    _valeur(model_field, apres, related),
                )
            )
        resultat.append(
            LigneJournal(
                date=event.pgh_created_at,
                action=str(ACTIONS.get(event.pgh_label, event.pgh_label)),
                auteur=related[User].get((event.pgh_context or {}).get("user")),
                objet=_objet(event, model, related),
                changements=changements,
            )
        )
    return resultat
