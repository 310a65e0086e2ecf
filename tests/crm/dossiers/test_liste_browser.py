"""Issue 9's journey of C2/C15: an instructeur filters the dossier list by dispositif
(the statut options follow it, htmx) and statut, sorts it, saves the view, then reopens
it from the list. axe-core on every page displayed."""

import pytest
from playwright.sync_api import expect

from instruction import services
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_instructeur_filters_sorts_saves_and_reopens_a_view(page, instructeur, citizen):
    dispositif = dispositif_publie(code="CUL")
    statuts = guide_publie(dispositif)
    autre = dispositif_publie(code="SPO")
    dossiers = [
        deposer(dispositif, citizen, individu=IndividuFactory(nom=nom))
        for nom in ("Durand", "Martin", "Petit")
    ]
    ailleurs = deposer(autre, citizen, individu=IndividuFactory(nom="Leroy"))
    for dossier in dossiers[:2]:
        services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)

    page.goto("/crm/connexion/")
    assert_accessible(page, "crm_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "crm_tableau_de_bord")
    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers")
    expect(page.locator("main")).to_contain_text("4 dossiers")
    assert_accessible(page, "liste_dossiers")

    # Choosing the dispositif refreshes the statut options (htmx), then filter.
    page.get_by_label("Dispositif (facultatif)").select_option(label=dispositif.titre)
    expect(page.get_by_label("Statut (facultatif)")).to_contain_text("En instruction")
    page.get_by_label("Statut (facultatif)").select_option(label="Instruction › En instruction")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("main")).to_contain_text("2 dossiers")
    expect(page.locator("main")).not_to_contain_text(ailleurs.reference)
    expect(page.locator("main")).not_to_contain_text(dossiers[2].reference)
    assert_accessible(page, "liste_filtree")

    # Sort by reference, descending.
    page.get_by_label("Trier par (facultatif)").select_option(label="Référence (décroissant)")
    page.get_by_role("button", name="Filtrer").click()
    lignes = page.locator("tbody tr")
    expect(lignes.first).to_contain_text(dossiers[1].reference)
    expect(lignes.nth(1)).to_contain_text(dossiers[0].reference)
    assert_accessible(page, "liste_triee")

    # Save the view, then come back to it from the full list.
    page.get_by_label("Nom de la vue").fill("En instruction — culture")
    page.get_by_role("button", name="Enregistrer la vue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("En instruction — culture")
    expect(page.locator("main")).to_contain_text("2 dossiers")
    assert_accessible(page, "vue_enregistree")
    page.get_by_role("link", name="Tous les dossiers").click()
    expect(page.locator("main")).to_contain_text("4 dossiers")
    assert_accessible(page, "liste_toutes")
    page.get_by_role("link", name="En instruction — culture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("En instruction — culture")
    expect(page.locator("tbody tr").first).to_contain_text(dossiers[1].reference)
    expect(page.locator("main")).not_to_contain_text(ailleurs.reference)
    assert_accessible(page, "vue_rouverte")
