"""Journeys of the search (C10) and the map (C9) in a browser, each page audited by axe."""

import pytest
from playwright.sync_api import expect

from dossiers import selectors_carte as carte
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer
from tests.crm.recherche.conftest import CENTRE, dossiers_situes, situer
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, user):
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")


def test_quick_search_from_the_header_then_open_the_dossier(page, instructeur, lefevre, dupont):
    _connexion(page, instructeur)
    page.get_by_role("searchbox", name="Rechercher une référence").fill("lefevbre")
    page.get_by_role("button", name="Lancer la recherche rapide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherche")
    dossiers = page.locator("#resultats-dossiers")
    expect(dossiers.get_by_role("link", name=lefevre.reference)).to_be_visible()
    expect(dossiers).not_to_contain_text(dupont.reference)
    expect(page.locator("#resultats-individus")).to_contain_text("Hélène LEFÈVRE")
    assert_accessible(page, "resultats")

    dossiers.get_by_role("link", name=lefevre.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(lefevre.reference)
    assert_accessible(page, "dossier")

    page.goto("/crm/recherche/avancee/")
    assert_accessible(page, "recherche_avancee")
    page.get_by_label("Nom ou raison sociale").fill("Dupond")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("#resultats-dossiers").get_by_role("link")).to_have_text([dupont.reference])
    assert_accessible(page, "recherche_avancee_resultats")


def test_open_the_map_see_groups_then_points_and_open_one(
    page, settings, instructeur, dispositif, monkeypatch
):
    settings.GUICHET_CARTE_CENTRE = list(CENTRE)
    settings.GUICHET_CARTE_ZOOM = 13
    monkeypatch.setattr(carte, "MAX_POINTS", 8)
    dossiers = dossiers_situes(dispositif, 8)
    # Four more, east: on the map at zoom 13, out of it once zoomed on the first eight.
    for i in range(4):
        situer(
            deposer(dispositif, individu=IndividuFactory()), CENTRE[0], CENTRE[1] + 0.06 + i * 1e-4
        )
    _connexion(page, instructeur)
    page.goto("/crm/carte/")
    expect(page.locator("#carte-dossiers")).to_have_attribute("data-charge", "oui")
    expect(page.locator("#carte-total")).to_have_text("12 dossiers dans la zone affichée")
    groupe = page.locator(".guichet-carte-groupe", has_text="8")
    expect(groupe).to_be_visible()
    expect(page.locator(".guichet-carte-groupe", has_text="4")).to_be_visible()
    assert_accessible(page, "carte_groupes")

    # Keyboard: a group is a focusable marker; Enter zooms on it, its dossiers show.
    groupe.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#carte-total")).to_have_text("8 dossiers dans la zone affichée")
    expect(page.locator(".guichet-carte-point")).to_have_count(8)
    tableau = page.locator("#carte-tableau")
    expect(tableau.get_by_role("link")).to_have_count(8)
    assert_accessible(page, "carte_points")

    reference = dossiers[0].reference
    tableau.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    assert_accessible(page, "dossier")
