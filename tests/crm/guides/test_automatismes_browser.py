"""A concepteur sets a draft guide's automatic changes in the builder: a timer (a bad
delay refused next to its field, then fixed) and a webhook déclencheur whose secret is
shown once. axe-core on every page displayed."""

import pytest
from playwright.sync_api import expect

from instruction import services
from instruction.models import Declencheur, Minuteur
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import dispositif_publie
from tests.instruction.factories import guide_publie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_concepteur_sets_a_timer_and_a_webhook(page, concepteur):
    publiee = guide_publie(dispositif_publie())["depose"].version
    brouillon = services.version_copier(version=publiee)
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(concepteur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.goto(f"/crm/guides/versions/{brouillon.pk}/")
    assert_accessible(page, "version")
    page.get_by_role("link", name="Minuteurs et déclencheurs").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Automatismes")
    assert_accessible(page, "automatismes")

    formulaire = page.locator("form", has=page.get_by_role("button", name="Ajouter le minuteur"))
    formulaire.get_by_label("Statut Le minuteur court").select_option(label="Déposé")
    formulaire.get_by_label("Libellé").fill("Acceptation tacite")
    formulaire.get_by_label("Délai Négatif").fill("-10")
    formulaire.get_by_label("Statut cible (facultatif)").select_option(label="En instruction")
    formulaire.get_by_role("button", name="Ajouter le minuteur").click()
    expect(
        page.get_by_text("Depuis l’entrée dans le statut, le délai est positif.")
    ).to_be_visible()
    assert_accessible(page, "minuteur_erreur")
    formulaire = page.locator("form", has=page.get_by_role("button", name="Ajouter le minuteur"))
    expect(formulaire.get_by_label("Libellé")).to_have_value("Acceptation tacite")
    formulaire.get_by_label("Délai Négatif").fill("60")
    formulaire.get_by_role("button", name="Ajouter le minuteur").click()
    expect(page.get_by_role("table").first).to_contain_text("Acceptation tacite")
    assert_accessible(page, "minuteur_ajoute")
    assert Minuteur.objects.get().delai == 60

    formulaire = page.locator("form", has=page.get_by_role("button", name="Ajouter le déclencheur"))
    formulaire.get_by_label("Code Dans").fill("avis-caf")
    formulaire.get_by_label("Libellé").fill("Avis de la CAF")
    formulaire.get_by_label("Statut cible (facultatif)").select_option(label="En instruction")
    formulaire.get_by_label("Champs modifiables (facultatif)").fill("quotient_familial")
    formulaire.get_by_text("Webhook actif").click()
    formulaire.get_by_role("button", name="Ajouter le déclencheur").click()
    declencheur = Declencheur.objects.get()
    expect(page.locator("#secret")).to_have_text(declencheur.secret)
    assert_accessible(page, "declencheur_secret")
    page.get_by_role("link", name="Retour aux automatismes").click()
    expect(page.get_by_role("table").nth(1)).to_contain_text("avis-caf")
    assert_accessible(page, "automatismes_complets")
