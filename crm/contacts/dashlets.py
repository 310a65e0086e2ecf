"""The « Mes tâches » dashlet (C1 × C5): the open tasks of action plans assigned to the
agent, soonest due first (contacts.selectors.taches_de), in two queries."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.extensions import Dashlet, register_dashlet
from contacts.selectors import taches_de

LIGNES = 8


def taches_du_tableau(agent) -> dict:
    taches = taches_de(agent)
    return {
        "nombre": taches.count(),
        "taches": list(taches[:LIGNES]),
        "today": timezone.localdate(),
    }


def register() -> None:
    register_dashlet(
        Dashlet(
            code="taches",
            libelle=_("Mes tâches"),
            description=_("Les tâches des plans d’action qui vous sont confiées."),
            template="crm/contacts/includes/dashlet_taches.html",
            contexte=taches_du_tableau,
            ordre=70,
        )
    )
