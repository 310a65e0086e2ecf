"""The demo's form models as the demo citizen sees them: every step of every published
model displays, passes axe, and the live formulas of the richest ones react."""

import pytest
from playwright.sync_api import expect

from demo.management.commands.load_demo import DEMO_PASSWORD
from dossiers.models import Dispositif
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connecter(page):
    page.goto("/compte/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique").fill("usager@demo.guichet.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")


def test_every_step_of_the_demo_forms_is_accessible(demo, page):
    _connecter(page)
    for code in ("SAL", "BEN", "ASF", "ETC", "PER"):
        dispositif = Dispositif.objects.get(code=code)
        page.goto(f"/demarches/{dispositif.slug}/demande/")
        numero = 1
        while True:
            expect(page.get_by_text(f"Étape {numero} sur")).to_be_visible()
            assert_accessible(page, f"{code}_etape_{numero}")
            suivant = page.get_by_role("button", name="Étape suivante")
            if not suivant.count():
                break
            # Empty answers: the step comes back with its French errors, also audited. The
            # new page awaited: read during the navigation, the old one's text was gone.
            with page.expect_navigation():
                suivant.click()
            if page.get_by_text(f"Étape {numero} sur").count():
                assert_accessible(page, f"{code}_etape_{numero}_erreurs")
                break
            numero += 1


def test_the_ccas_aid_computes_the_remaining_income_live(demo, page):
    _connecter(page)
    dispositif = Dispositif.objects.get(code="ASF")
    page.goto(f"/demarches/{dispositif.slug}/demande/")
    page.get_by_label("Madame").check(force=True)
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_role("textbox", name="Date de naissance").fill("1984-03-02")
    page.get_by_label("Situation familiale").select_option("separe")
    page.get_by_label("Nombre de personnes au foyer (vous compris)").fill("3")
    page.get_by_role("button", name="Étape suivante").click()
    expect(page.get_by_text("Étape 2 sur 3")).to_be_visible()
    page.get_by_label("Revenus mensuels du foyer").fill("1 450")
    page.locator('[name="charges.loyer.montant"]').fill("520")
    page.locator('[name="charges.energie.montant"]').fill("110")
    # (1450 − 630) / 3 / 30 = 9.11
    expect(page.get_by_label("Reste à vivre par personne et par jour")).to_have_value("9.11")
    assert_accessible(page, "ASF_reste_a_vivre")
