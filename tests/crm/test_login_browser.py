import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_logs_into_the_crm_and_sees_the_dashboard(page, agent):
    page.goto("/crm/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à l’espace agents")
    assert_accessible(page, "crm_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(agent.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Bonjour {agent.first_name}")
    expect(page.get_by_role("link", name="Tableau de bord")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page, "crm_accueil")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à l’espace agents")
    assert_accessible(page, "crm_connexion_apres_deconnexion")


def test_citizen_cannot_log_into_the_crm(page, citizen):
    page.goto("/crm/connexion/")
    assert_accessible(page, "crm_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("alert")).to_contain_text("n’a pas accès à l’espace agents")
    expect(page.get_by_label("Adresse électronique professionnelle")).to_have_value(citizen.email)
    assert_accessible(page, "crm_connexion_usager_refuse")


def test_signed_in_citizen_gets_access_denied_on_the_crm(page, citizen):
    page.goto("/compte/connexion/")
    assert_accessible(page, "connexion_usager")
    page.get_by_label("Adresse électronique").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")
    expect(page.get_by_role("link", name="Espace agents")).to_have_count(0)

    response = page.goto("/crm/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    assert_accessible(page, "crm_403")
