"""The « Mes tâches » dashlet (C1 × C5): the agent's open tasks on the dashboard."""

import datetime

import pytest
from django.utils import timezone

from tests.contacts.factories import TacheFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_my_open_tasks(client, agent, instructeur):
    hier = timezone.localdate() - datetime.timedelta(days=1)
    TacheFactory(assignee=agent, libelle="Rappeler Mme Lopez", echeance=hier)
    TacheFactory(assignee=agent, libelle="Déjà faite", faite=True)
    TacheFactory(assignee=instructeur, libelle="Pas la mienne")
    client.force_login(agent)
    reponse = client.get("/crm/")
    blocs = {dashlet.code: contexte for dashlet, contexte in reponse.context["blocs"]}
    assert blocs["taches"]["nombre"] == 1
    assert [t.libelle for t in blocs["taches"]["taches"]] == ["Rappeler Mme Lopez"]
    contenu = reponse.content.decode()
    assert "Rappeler Mme Lopez" in contenu and "en retard" in contenu
    assert "Pas la mienne" not in contenu and "Déjà faite" not in contenu
