import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db


def _login(client, email, password=PASSWORD, next_url=None):
    data = {"username": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("crm:login"), data)


def test_agent_logs_in_and_lands_on_the_dashboard(client, agent):
    response = _login(client, agent.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:home")
    assert client.get(reverse("crm:home")).status_code == 200


def test_email_is_matched_whatever_its_case(client, agent):
    response = _login(client, agent.email.upper())
    assert response.status_code == 302


def test_citizen_is_refused_with_a_clear_message(client, citizen):
    response = _login(client, citizen.email)
    assert response.status_code == 200
    assert "n’a pas accès à l’espace agents" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_keeps_the_email_typed(client, agent):
    response = _login(client, agent.email, password="mauvais-mot-de-passe")
    body = response.content.decode()
    assert "Adresse électronique ou mot de passe incorrect" in body
    assert f'value="{agent.email}"' in body


def test_inactive_agent_cannot_log_in(client):
    UserFactory(email="parti@exemple.fr", agent=True, is_active=False)
    response = _login(client, "parti@exemple.fr")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_superuser_without_agent_flag_is_not_an_agent(client):
    user = UserFactory(email="root@exemple.fr", is_superuser=True, is_staff=True)
    client.force_login(user)
    assert client.get(reverse("crm:home")).status_code == 403


def test_login_redirects_to_next_only_on_this_site(client, agent):
    response = _login(client, agent.email, next_url="https://ailleurs.example.com/")
    assert response["Location"] == reverse("crm:home")


def test_logout_is_post_only(client, agent):
    client.force_login(agent)
    response = client.post(reverse("crm:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_crm_home_query_budget(client, agent):
    client.force_login(agent)
    grow = lambda: UserFactory.create_batch(20, agent=True)  # noqa: E731
    # Session, user, notices, and the dashboard's composition and « Mes tâches » (C1, C5):
    # an agent without the right to instruct has no dossier dashlet; their rights' one query
    # (issue 9 — tableau: the profils métier's default dashboards are read with it).
    assert_page_budget(client, reverse("crm:home"), budget=7, grow=grow)
