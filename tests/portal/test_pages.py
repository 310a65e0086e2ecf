import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.queries import BUDGET_MON_COMPTE, assert_page_budget
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "budget"),
    [("portal:home", 2), ("portal:account", BUDGET_MON_COMPTE), ("portal:accessibility", 2)],
)
def test_portal_pages_query_budget(client, citizen, url_name, budget):
    compte_initialiser(user=citizen)  # as at sign-up: Mon compte makes it lazily otherwise
    client.force_login(citizen)
    # Steady state: the session's first request reads it from the database and caches it
    # (cached_db), and records it as an open session; later ones do neither.
    client.get(reverse(url_name))
    assert_page_budget(
        client, reverse(url_name), budget=budget, grow=lambda: UserFactory.create_batch(20)
    )


def test_home_names_the_authority_and_uses_the_dsfr(client, settings):
    settings.GUICHET_AUTHORITY_NAME = "Commune de Saint-Test"
    body = client.get(reverse("portal:home")).content.decode()
    assert "Commune de Saint-Test" in body
    assert 'class="fr-header"' in body and 'class="fr-footer"' in body
    assert 'href="#contenu"' in body  # skip link to the main landmark
    assert '<html lang="fr"' in body


def test_account_page_shows_only_filled_data(client, citizen):
    citizen.first_name = ""
    citizen.last_name = ""
    citizen.save()
    client.force_login(citizen)
    body = client.get(reverse("portal:account")).content.decode()
    assert citizen.email in body
    assert ">Nom<" not in body


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_health_probe(client):
    assert client.get("/sante/").json() == {"status": "ok"}
