"""The journal of a dossier (C11): every change of its row and of the rows that belong to
it, written by django-pghistory's triggers (the mechanism of the référentiel, issue 4)
with the author put in pghistory's context by its middleware (requests) or by the
service (`pghistory.context(user=…)`).

A journal gathers several event tables: the dossier's own (`DossierEvent`), its
justificatifs' decisions (`JustificatifEvent`), and those that apps above register —
instruction adds the moves along the guide (`SuiviInstructionEvent`) — each event table
holding a foreign key to the dossier. One query reads a page of them, newest first.

    from dossiers.selectors_journal import register_source
    register_source("instruction.SuiviInstructionEvent")  # from an AppConfig.ready()
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet
from pghistory.models import Events

from dossiers.models import Dossier

DOSSIER_EVENT = "dossiers.DossierEvent"

_sources: list[str] = [DOSSIER_EVENT, "dossiers.JustificatifEvent"]


def register_source(label: str) -> None:
    """An event model ("app.ModelEvent") with a foreign key to Dossier, shown in the
    dossier's journal."""
    if label not in _sources:
        _sources.append(label)


def sources() -> list[str]:
    return list(_sources)


def journal(dossier: Dossier) -> QuerySet[Events]:
    """The dossier's events, newest first (a stable order: one transaction's events share
    their time). Each has `pgh_model`, `pgh_label` (insert, update, delete), `pgh_data`
    (the row after the change), `pgh_diff` ({column: [before, after]}, none for an
    insert) and `pgh_context` (a dict: the author's user id, the request's url)."""
    modeles = [apps.get_model(label) for label in _sources]
    return (
        Events.objects.across(*modeles)
        .references(dossier)
        # A dossier's events reference its parent too: keep only its own rows.
        .filter(~Q(pgh_model=DOSSIER_EVENT) | Q(pgh_obj_id=str(dossier.pk)))
        .order_by("-pgh_created_at", "-pgh_id", "pgh_model")
    )
