"""In the wizard, with JavaScript: address suggestions picked with the keyboard fill the
parts (a condition on its postcode follows live), a commune is suggested (and a
condition on its code shows a field live), linked lists filter live. axe-core runs on every state."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from dossiers.champs.donnees import territoires
from dossiers.models import Dossier
from tests.browser import assert_accessible
from tests.dossiers.champs.modele_champs import dispositif_publie
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def connecte(page, live_server, citizen):
    """The citizen's session cookie in the browser (the login page has its own tests)."""
    territoires()  # read once per process (the live server's too): not within a timeout
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    client = Client()
    client.force_login(citizen)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def test_address_commune_and_linked_lists_with_the_keyboard(connecte):
    page = connecte
    dispositif = dispositif_publie()
    page.goto(f"/demarches/{dispositif.slug}/demande/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Location de salle")
    assert_accessible(page, "etape")

    # A condition on the address's postcode, live as it is typed by hand.
    acces = page.get_by_label("Accès au lieu hors de la commune")
    expect(acces).to_be_visible()  # no address yet: its postcode is not 18240
    page.locator('input[name="lieu_code_postal"]').fill("18240")
    expect(acces).to_be_hidden()
    page.locator('input[name="lieu_code_postal"]').fill("45000")
    expect(acces).to_be_visible()

    # Address: "10 rue" → suggestions → the second one, picked with the keyboard.
    voie = page.get_by_role("combobox", name="Adresse du lieu de l’événement")
    voie.press_sequentially("10 rue", delay=20)
    options = page.locator(f"#{voie.get_attribute('aria-controls')}").get_by_role("option")
    expect(options.first).to_be_visible()
    # The suggestions of "10 rue", not of a prefix still on its way.
    expect(options.filter(has_not_text=re.compile("Rue"))).to_have_count(0)
    expect(voie).to_have_attribute("aria-expanded", "true")
    assert_accessible(page, "suggestions_adresse")
    deuxieme = options.nth(1).inner_text()
    voie.press("ArrowDown")
    voie.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(voie).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    voie.press("Enter")
    expect(voie).to_have_attribute("aria-expanded", "false")
    assert deuxieme.startswith("10 ")
    expect(voie).to_have_value(deuxieme.split(" 18240 ")[0])
    expect(page.locator('input[name="lieu_code_postal"]')).to_have_value("18240")
    expect(page.locator('input[name="lieu_commune"]')).to_have_value("Belleville-sur-Loire")
    expect(page.locator('input[name="lieu_ban_id"]')).to_have_value(
        re.compile(r"^18026_\d{4}_00010$")
    )
    expect(page).to_have_url(f"{page.url}")  # Enter picked: the form was not submitted
    expect(acces).to_be_hidden()  # the suggestion's postcode, 18240
    assert_accessible(page, "adresse_choisie")

    # Commune: suggestions by name; its code drives a live condition.
    remarque = page.get_by_label("Remarque pour les Nantais")
    expect(remarque).to_be_hidden()
    commune = page.get_by_role("combobox", name="Commune de résidence")
    commune.press_sequentially("nantes", delay=20)
    suggestions = page.locator(f"#{commune.get_attribute('aria-controls')}").get_by_role("option")
    expect(suggestions.first).to_have_text("Nantes (44000)")
    assert_accessible(page, "suggestions_commune")
    commune.press("ArrowDown")
    commune.press("Enter")
    expect(commune).to_have_value("Nantes (44000)")
    expect(remarque).to_be_visible()

    # Linked lists: nothing to choose before the parent, then only the parent's choices.
    salle = page.get_by_label("Salle", exact=True)
    expect(salle).to_be_disabled()
    page.get_by_label("Type de salle").select_option(label="Sport")
    expect(salle).to_be_enabled()
    expect(salle.locator("option")).to_have_text(
        ["Sélectionner une option", "Gymnase des Tilleuls", "Dojo municipal"]
    )
    salle.select_option(label="Dojo municipal")
    assert_accessible(page, "liste_liee_sport")
    page.get_by_label("Type de salle").select_option(label="Culture")
    expect(salle.locator("option")).to_have_text(
        ["Sélectionner une option", "Salle des fêtes", "Auditorium"]
    )
    expect(salle).to_have_value("")
    salle.select_option(label="Auditorium")
    assert_accessible(page, "liste_liee_culture")

    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    assert_accessible(page, "confirmation")
    donnees = Dossier.objects.get(dispositif=dispositif).donnees
    assert donnees["commune_residence"] == "44109"
    assert donnees["salle"] == "auditorium"
    assert donnees["lieu"]["code_insee"] == "18026"
    assert donnees["lieu"]["ban_id"].endswith("_00010")


def test_without_our_javascript_everything_is_typed_and_resolved_on_the_server(connecte):
    """champs.js and formules.js blocked (axe-core itself needs JavaScript in the page):
    plain inputs, all linked choices in groups, French errors listing the candidate
    communes, typed values kept."""
    page = connecte
    page.route(re.compile(r".*/js/(champs|formules)\.js$"), lambda route: route.abort())
    dispositif = dispositif_publie()
    page.goto(f"/demarches/{dispositif.slug}/demande/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Location de salle")
    assert page.get_by_role("combobox", name="Commune de résidence").count() == 0
    expect(page.locator("optgroup")).to_have_count(2)
    assert_accessible(page, "etape_sans_javascript")
    page.get_by_label("Adresse du lieu de l’événement").fill("12 rue des Tanneurs")
    page.locator('input[name="lieu_code_postal"]').fill("18240")
    page.locator('input[name="lieu_commune"]').fill("Belleville-sur-Loire")
    page.get_by_label("Commune de résidence").fill("Saint-Denis")
    page.get_by_label("Type de salle").select_option(label="Sport")
    page.get_by_label("Salle", exact=True).select_option(label="Auditorium")
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_text("Plusieurs communes correspondent à « Saint-Denis »")).to_be_visible()
    expect(
        page.get_by_text("Ce choix ne correspond pas à votre réponse précédente")
    ).to_be_visible()
    expect(page.get_by_label("Adresse du lieu de l’événement")).to_have_value("12 rue des Tanneurs")
    assert_accessible(page, "erreurs_sans_javascript")
    page.get_by_label("Commune de résidence").fill("Saint-Denis 93200")
    page.get_by_label("Salle", exact=True).select_option(label="Dojo municipal")
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    assert_accessible(page, "confirmation_sans_javascript")
    donnees = Dossier.objects.get(dispositif=dispositif).donnees
    assert donnees["commune_residence"] == "93066"
    assert donnees["lieu"]["ban_id"] == "18026_0001_00012"  # geolocated on the server
