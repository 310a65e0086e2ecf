"""How the référentiel's records read on the CRM pages: filled fields only, journal lines."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common.validators import format_phone

PHONE_FIELDS = {"telephone", "telephone_mobile", "telephone_fixe"}
HIDDEN_IN_JOURNAL = {"id", "recherche", "created_at", "updated_at"}
ACTIONS = {
    "insert": gettext_lazy("Création"),
    "update": gettext_lazy("Modification"),
    "delete": gettext_lazy("Suppression"),
}


@dataclass
class Ligne:
    label: str
    value: str


def valeur(instance, name: str) -> str:
    """The value of a field as an agent reads it ('' when empty)."""
    model_field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value in ("", None):
        return ""
    if model_field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if name in PHONE_FIELDS:
        return format_phone(value)
    return str(value)


def champs_remplis(instance, names) -> list[Ligne]:
    """Label and value of each filled field among `names` (G4: blanks are not shown)."""
    lignes = []
    for name in names:
        shown = valeur(instance, name)
        if shown:
            lignes.append(Ligne(capfirst(instance._meta.get_field(name).verbose_name), shown))
    return lignes


@dataclass
class Evenement:
    date: datetime.datetime
    action: str
    auteur: User | None
    changements: list[str] = field(default_factory=list)


def journal_lignes(model, events, *, masques=()) -> list[Evenement]:
    """Each event of the journal: date, author, and its diff as 'champ : avant → après'.
    Authors (and agents named in a diff) come from one query; `masques` are fields whose
    changes are left out (restricted data for an agent not allowed to see it)."""
    ids: dict = {User: {(e.pgh_context or {}).get("user") for e in events}}
    for event in events:
        for key, values in (event.pgh_diff or {}).items():
            model_field = _field(model, key)
            if isinstance(model_field, models.ForeignKey):
                ids.setdefault(model_field.related_model, set()).update(values)
    # One query for the authors; one per other related model named in a diff (type, nature).
    related = {
        related_model: related_model._default_manager.in_bulk(
            [pk for pk in pks if isinstance(pk, int)]
        )
        for related_model, pks in ids.items()
    }
    users = related[User]
    lignes = []
    for event in events:
        author = users.get((event.pgh_context or {}).get("user"))
        changes = []
        for key, (before, after) in sorted((event.pgh_diff or {}).items()):
            model_field = _field(model, key)
            if model_field is None or model_field.name in HIDDEN_IN_JOURNAL:
                continue
            if model_field.name in masques:
                continue
            label = capfirst(model_field.verbose_name)
            changes.append(
                f"{label} : {_diff_value(model_field, before, related)} → "
                f"{_diff_value(model_field, after, related)}"
            )
        if event.pgh_label == "update" and not changes:
            continue
        lignes.append(
            Evenement(
                date=event.pgh_created_at,
                action=ACTIONS.get(event.pgh_label, event.pgh_label),
                auteur=author,
                changements=changes,
            )
        )
    return lignes


def _field(model, key: str):
    for name in (key, key.removesuffix("_id")):
        try:
            return model._meta.get_field(name)
        except Exception:  # noqa: BLE001, S112 — a key that is no field of the model
            continue
    return None


def _diff_value(model_field, value, related) -> str:
    if value in ("", None):
        return _("(vide)")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("oui") if value else _("non")
    if isinstance(model_field, models.ForeignKey):
        target = related.get(model_field.related_model, {}).get(value)
        return str(target) if target else _("fiche n° %(pk)s") % {"pk": value}
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(value)
    if model_field.name in PHONE_FIELDS:
        return format_phone(value)
    return str(value)
