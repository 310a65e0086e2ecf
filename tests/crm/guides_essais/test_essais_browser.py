"""I9's journey: an admin who designs guides writes a test case for a guide version, runs
it and sees it pass; changes an expectation and sees it fail with the passage in red;
opens the version's dry run. Then an instructeur simulates a statut on a real dossier.
axe-core on every page displayed."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from instruction.models import CasTest, SuiviInstruction
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer
from tests.instruction.factories import ActionStatutFactory, guide_publie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connecter(page, user, nom):
    page.goto("/crm/connexion/")
    assert_accessible(page, f"{nom}_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, f"{nom}_tableau_de_bord")


def test_an_admin_writes_runs_and_breaks_a_guide_test(page, concepteur, dispositif):
    statuts = guide_publie(dispositif)
    ActionStatutFactory(
        statut=statuts["instruction"], type="suivi", config={"texte": "Dossier complet"}
    )
    version = statuts["depose"].version
    _connecter(page, concepteur, "concepteur")

    page.goto(reverse("crm:guide_essais", args=[version.pk]))
    expect(page.get_by_text("Aucun cas de test pour cette version.")).to_be_visible()
    assert_accessible(page, "essais_liste_vide")
    page.get_by_role("link", name="Nouveau cas de test").click()
    assert_accessible(page, "essai_nouveau")
    page.get_by_label("Nom", exact=True).fill("Demande complète")
    page.get_by_label("Données du dossier").fill('{"nom": "Martin", "montant": "1250"}')
    premier = page.locator(".fr-fieldset__element", has_text="Passage 1")
    premier.get_by_label("Statut", exact=True).select_option("instruction")
    premier.get_by_text("Ajouter une ligne de suivi visible de l’usager", exact=True).click()
    premier.get_by_label("Lignes de suivi attendues").fill("Dossier complet")
    page.get_by_role("button", name="Enregistrer et lancer").click()

    expect(page.get_by_text("Le cas « Demande complète » réussit.")).to_be_visible()
    rapport = page.locator("#rapport")
    expect(rapport.get_by_text("Le cas réussit")).to_be_visible()
    expect(rapport.get_by_text("Conforme").first).to_be_visible()
    expect(
        rapport.get_by_text("Ajoute la ligne de suivi « Dossier complet », visible de l’usager")
    ).to_be_visible()
    assert_accessible(page, "essai_reussi")

    # A wrong expectation: the passage goes red with what differed.
    premier = page.locator(".fr-fieldset__element", has_text="Passage 1")
    premier.get_by_label("Lignes de suivi attendues").fill("Dossier accordé")
    page.get_by_role("button", name="Enregistrer et lancer").click()
    expect(
        page.get_by_text("Le cas « Demande complète » échoue : voir le rapport.")
    ).to_be_visible()
    expect(
        page.get_by_text(
            "Aucune ligne de suivi visible de l’usager ne contient « Dossier accordé »."
        )
    ).to_be_visible()
    expect(page.locator("#rapport .guichet-passage--echec")).to_have_count(1)
    assert_accessible(page, "essai_en_echec")

    page.get_by_role("link", name="Retour aux cas de test").click()
    expect(page.get_by_role("row", name="Demande complète")).to_contain_text("En échec")
    assert_accessible(page, "essais_liste")
    page.get_by_role("link", name="Simulation du guide").click()
    expect(page.get_by_text("Clôture le dossier").first).to_be_visible()
    expect(
        page.get_by_text("Ajoute la ligne de suivi « Dossier complet », visible de l’usager")
    ).to_be_visible()
    assert_accessible(page, "simulation_version")
    assert CasTest.objects.get().reussi is False


def test_an_instructeur_simulates_a_statut(page, instructeur, citizen, dispositif):
    statuts = guide_publie(dispositif)
    dossier = deposer(dispositif, citizen)
    _connecter(page, instructeur, "instructeur")
    page.goto(reverse("crm:dossier_instruction", args=[dossier.pk]))
    assert_accessible(page, "instruction")
    page.get_by_label("Statut à simuler").select_option(label="Instruction — En instruction")
    page.get_by_role("button", name="Simuler").click()
    expect(
        page.get_by_text("Voici ce que ferait ce changement. Aucun n’a eu lieu.")
    ).to_be_visible()
    expect(page.get_by_text("Votre demande est en cours d’examen").first).to_be_visible()
    assert_accessible(page, "simulation_dossier")
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["depose"]
