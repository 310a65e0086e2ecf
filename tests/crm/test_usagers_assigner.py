"""Mass assignment of individus to an agent, from the search results."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.usagers.factories import IndividuFactory

pytestmark = pytest.mark.django_db

URL = reverse("crm:usagers_assigner")


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_agent_assigns_checked_individus_to_another_agent(client_as):
    referent = UserFactory(agent=True, first_name="Rémi", last_name="Durand")
    chosen = [IndividuFactory(nom="Martin"), IndividuFactory(nom="Martin")]
    other = IndividuFactory(nom="Martin")
    response = client_as("agent").post(
        URL, {"individus": [i.pk for i in chosen], "agent": referent.pk, "q": "martin"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:usagers") + "?q=martin"
    assert _messages(response) == ["2 individus assignés à Rémi Durand."]
    for individu in chosen:
        individu.refresh_from_db()
        assert individu.agent_referent == referent
    other.refresh_from_db()
    assert other.agent_referent is None


def test_nothing_checked_is_explained(client_as, agent):
    response = client_as("agent").post(URL, {"agent": agent.pk, "q": "martin"})
    assert response.status_code == 302
    assert _messages(response) == ["Cochez au moins un individu à assigner."]


def test_only_agents_can_be_chosen(client_as, citizen):
    individu = IndividuFactory()
    response = client_as("agent").post(URL, {"individus": [individu.pk], "agent": citizen.pk})
    assert response.status_code == 302
    assert "Sélectionnez un choix valide" in _messages(response)[0]
    individu.refresh_from_db()
    assert individu.agent_referent is None


def test_search_results_offer_the_agents(client_as, agent):
    IndividuFactory(nom="Martin")
    UserFactory(email="pas-agent@exemple.fr")
    html = client_as("agent").get(reverse("crm:usagers"), {"q": "martin"}).content.decode()
    assert "Assigner" in html
    assert f'<option value="{agent.pk}">' in html
    assert "pas-agent@exemple.fr" not in html
