"""Issue 8's journeys of I3/I8: an instructeur selects three dossiers in the CRM list and
moves them together, reads the report (one skipped, with its reason); then opens one of
them and takes it back to its previous statut. axe-core on every page displayed."""

import pytest
from playwright.sync_api import expect

from instruction import services
from instruction.models import Minuteur, SuiviInstruction
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer
from tests.instruction.factories import guide_publie
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_instructeur_moves_a_selection_then_goes_back_on_one(
    page, instructeur, citizen, dispositif
):
    statuts = guide_publie(dispositif)
    Minuteur.objects.create(
        statut=statuts["instruction"],
        cible=statuts["refuse"],
        libelle="Refus tacite",
        delai=60,
    )
    dossiers = [
        deposer(dispositif, citizen, individu=IndividuFactory(nom=nom))
        for nom in ("Durand", "Martin", "Petit")
    ]
    # The third is already in instruction: skipped, with its reason.
    services.change_status(dossier=dossiers[2], statut=statuts["instruction"], by=None)

    page.goto("/crm/connexion/")
    assert_accessible(page, "crm_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "crm_tableau_de_bord")
    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers")
    assert_accessible(page, "liste_selection")
    for dossier in dossiers:
        page.get_by_label(f"Sélectionner le dossier {dossier.reference}").check(force=True)
    page.get_by_role("button", name="Changer le statut des dossiers sélectionnés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changer le statut de dossiers")
    assert_accessible(page, "lot_choix")
    page.get_by_label("Instruction — En instruction — permis pour 2 dossier(s) sur 3").check(
        force=True
    )
    page.get_by_label("Motif").fill("Pièces reçues")
    page.get_by_role("button", name="Appliquer aux dossiers sélectionnés").click()
    expect(page.get_by_role("status")).to_contain_text("2 dossiers traités, 1 ignoré")
    expect(page.locator("main")).to_contain_text(
        f"{dossiers[2].reference} : Le dossier a déjà ce statut."
    )
    assert_accessible(page, "lot_bilan")
    assert [SuiviInstruction.objects.get(dossier=d).statut.code for d in dossiers] == [
        "instruction"
    ] * 3

    page.get_by_role("link", name=dossiers[0].reference).click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Instruction")
    expect(page.locator("main")).to_contain_text("Refus tacite")
    assert_accessible(page, "instruction_avec_minuteur")
    page.get_by_label("Motif du retour").fill("Sélectionné par erreur")
    page.get_by_role("button", name="Revenir au statut « Déposé »").click()
    expect(page.get_by_text("Le dossier est revenu au statut « Déposé ».")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_contain_text("Dépôt")
    expect(page.get_by_role("table")).to_contain_text("Sélectionné par erreur")
    assert_accessible(page, "instruction_retour")
    assert SuiviInstruction.objects.get(dossier=dossiers[0]).statut.code == "depose"
