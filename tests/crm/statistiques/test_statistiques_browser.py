"""An instructeur opens the statistics from the menu, groups by étape, and gets the
table and its chart; axe-core on each page."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_instructeur_reads_the_statistics(page, instructeur, citizen):
    dispositif = dispositif_publie(code="SUBV")
    guide_publie(dispositif)
    for _ in range(3):
        deposer(dispositif, citizen)
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.get_by_role("link", name="Statistiques").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques")
    expect(page.get_by_role("table")).to_contain_text(dispositif.titre)
    assert_accessible(page, "par_dispositif")
    page.get_by_label("Regrouper par").select_option(label="Étape")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("table")).to_contain_text("Dépôt")
    expect(page.locator("tfoot")).to_contain_text("3")
    assert_accessible(page, "par_etape")
    lien = page.get_by_role("link", name="Télécharger (CSV)")
    assert "format=csv" in lien.get_attribute("href")
