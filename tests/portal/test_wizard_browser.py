import re

import pytest
from playwright.sync_api import expect

from demo.formulaires import SUBVENTION
from dossiers import services
from dossiers.models import Dossier
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.dossiers.factories import DispositifFactory
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def subvention():
    dispositif = DispositifFactory(
        code="SUB",
        slug="subvention-associations",
        titre="Subvention aux associations",
        page_confirmation="<p>Le service de la vie associative vous répond sous un mois.</p>",
        types_profil=["association"],
    )
    modele = services.modele_importer(SUBVENTION, dispositif=dispositif)
    services.modele_publier(modele=modele, by=None)
    return dispositif


def test_member_of_an_association_fills_saves_resumes_and_submits(page, citizen, subvention):
    individu = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    profil = ProfilFactory(
        nom="Les Amis du Parc",
        rna="W751234567",
        email="contact@amis-du-parc.fr",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
    )
    MembreFactory(individu=individu, profil=profil, role=role("responsable"))

    page.goto("/compte/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page, "mon_compte")
    page.get_by_role("button", name="Agir pour ce profil : Les Amis du Parc").click()
    expect(page.get_by_text("Vous agissez maintenant pour le profil")).to_be_visible()
    assert_accessible(page, "profil_courant")

    page.goto(subvention.get_absolute_url())
    assert_accessible(page, "fiche")
    page.get_by_role("link", name="Faire ma demande").click()

    # Step 1: prefilled from the association ("dites-le nous une fois").
    expect(page.get_by_text("Étape 1 sur 3")).to_be_visible()
    expect(page.get_by_label("Nom de l’association")).to_have_value("Les Amis du Parc")
    expect(page.get_by_label("Numéro RNA")).to_have_value("W751234567")
    assert_accessible(page, "etape_1")
    page.get_by_label("Domaine d’activité").select_option(label="Sport")
    page.get_by_label("Nombre d’adhérents").fill("42")
    page.get_by_role("button", name="Étape suivante").click()

    # Step 2: the project's fields appear live when "Projet" is chosen.
    expect(page.get_by_text("Étape 2 sur 3")).to_be_visible()
    titre = page.get_by_label("Titre du projet")
    expect(titre).to_be_hidden()
    page.get_by_label("Projet", exact=True).check(force=True)
    expect(titre).to_be_visible()
    assert_accessible(page, "etape_2_projet")
    # No budget yet: the share's formula (si(budget_total > 0, …, 0)) shows 0, never a
    # division by zero.
    expect(page.get_by_label("Part du budget demandée (%)")).to_have_value("0.0")
    expect(page.locator("#id_part_demandee-calcul-erreur")).to_be_hidden()
    titre.fill("Tournoi d’été")
    page.get_by_label("Budget total").fill("beaucoup")
    page.get_by_label("Montant demandé").fill("1500")
    page.get_by_role("button", name="Étape suivante").click()

    # The error is shown next to the field; what was typed is kept.
    expect(page.get_by_text("Étape 2 sur 3")).to_be_visible()
    budget = page.get_by_label("Budget total")
    expect(budget).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_budget_total-messages .fr-message--error")).to_be_visible()
    expect(titre).to_have_value("Tournoi d’été")
    assert_accessible(page, "etape_2_erreur")
    budget.fill("5000")
    # The calcul follows what is typed, live (formules.js), and the server agrees.
    expect(page.get_by_label("Part du budget demandée (%)")).to_have_value("30.0")
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()

    # The draft is listed on Mon compte, and resumed from there.
    expect(page.get_by_role("heading", name="Mes brouillons")).to_be_visible()
    assert Dossier.objects.get().statut == "brouillon"
    assert_accessible(page, "mon_compte_brouillon")
    page.get_by_role("link", name=re.compile("Reprendre")).click()

    expect(page.get_by_text("Étape 2 sur 3")).to_be_visible()
    expect(page.get_by_label("Titre du projet")).to_have_value("Tournoi d’été")
    assert_accessible(page, "reprise")
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.get_by_text("Étape 3 sur 3")).to_be_visible()
    expect(page.get_by_label("BIC")).to_have_value("AGRIFRPP")
    assert_accessible(page, "etape_3")
    page.get_by_text("J’atteste sur l’honneur l’exactitude des informations").click()
    page.get_by_role("button", name="Déposer ma demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    dossier = Dossier.objects.get()
    assert dossier.statut == "depose"
    assert re.fullmatch(r"\d{4}-SUB-000001", dossier.reference)
    assert dossier.donnees["part_demandee"] == "30.0"
    expect(page.get_by_text(dossier.reference)).to_be_visible()
    expect(page.get_by_text("vous répond sous un mois")).to_be_visible()
    assert_accessible(page, "confirmation")
