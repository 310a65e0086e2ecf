"""An instructeur finds the dossiers waiting on the dashboard, opens one from « Mes
dossiers », then personalises the dashboard (removes a block, moves another up);
axe-core on each page."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_instructeur_uses_and_composes_the_dashboard(page, instructeur, citizen):
    dispositif = dispositif_publie(code="SUBV")
    guide_publie(dispositif)
    dossiers = [deposer(dispositif, citizen) for _ in range(3)]
    dossiers[0].agent = instructeur
    dossiers[0].save(update_fields=["agent"])

    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=2, name="Bannettes")).to_be_visible()
    expect(page.locator("#bannettes")).to_contain_text("Déposé : 3")
    assert_accessible(page, "tableau_de_bord")

    page.locator("#mes_dossiers").get_by_role("link", name=dossiers[0].reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossiers[0].reference)
    assert_accessible(page, "dossier")

    page.goto("/crm/")
    page.get_by_role("link", name="Personnaliser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personnaliser le tableau de bord")
    assert_accessible(page, "personnaliser")
    page.get_by_role("button", name="Retirer Bannettes").click()
    expect(page.get_by_role("button", name="Ajouter Bannettes")).to_be_visible()
    assert_accessible(page, "bloc_retire")
    page.get_by_role("button", name="Monter En retard").click()
    expect(page.get_by_role("button", name="Monter En retard")).to_have_count(0)
    expect(page.get_by_role("button", name="Ajouter Bannettes")).to_be_visible()
    assert_accessible(page, "personnalise")
    page.get_by_role("link", name="Voir le tableau de bord").click()
    expect(page.locator("h2").first).to_have_text("En retard")
    expect(page.get_by_role("heading", name="Bannettes")).to_have_count(0)
    assert_accessible(page, "tableau_personnalise")
