"""An agent finds a misspelt usager, spots her duplicate and merges it (C6, C10)."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.usagers.factories import (
    IndividuFactory,
    LienParenteFactory,
    MembreFactory,
    ProfilFactory,
    type_profil,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eleonore(db):
    naissance = datetime.date(1984, 3, 7)
    eleonore = IndividuFactory(
        prenom="Éléonore",
        nom="Dupont",
        date_naissance=naissance,
        email="eleonore.dupont@exemple.fr",
        telephone_mobile="",
        profession="Infirmière",
    )
    doublon = IndividuFactory(
        prenom="Eleonore",
        nom="DUPONT",
        date_naissance=naissance,
        email="",
        telephone_mobile="+33612345678",
        commune="Orléans",
    )
    foyer = ProfilFactory(type_profil=type_profil("foyer"), nature=None, rna="", nom="Foyer Dupont")
    MembreFactory(individu=doublon, profil=foyer)
    LienParenteFactory(
        individu=doublon, apparente=IndividuFactory(prenom="Léo", nom="Dupont", enfant=True)
    )
    IndividuFactory(prenom="Marcel", nom="Zidane")
    return eleonore, doublon


def test_agent_finds_a_misspelt_usager_and_merges_her_duplicate(page, admin_user, eleonore):
    kept, duplicate = eleonore
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(admin_user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.get_by_role("link", name="Usagers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher un usager")
    expect(page.get_by_role("link", name="Usagers", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page, "recherche")

    page.get_by_label("Rechercher un individu ou un profil").fill("eleonor dupond")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator("#table-individus")
    expect(results.get_by_role("link", name="Éléonore DUPONT", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Eleonore DUPONT", exact=True)).to_be_visible()
    expect(results).not_to_contain_text("Marcel")
    assert_accessible(page, "resultats")

    results.get_by_role("link", name="Éléonore DUPONT", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Éléonore DUPONT")
    doublons = page.locator("#doublons")
    expect(doublons).to_contain_text("Eleonore DUPONT")
    assert_accessible(page, "fiche")

    doublons.get_by_role("link", name=f"Fusionner avec Eleonore DUPONT (n° {duplicate.pk})").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fusionner deux fiches individu")
    expect(page.get_by_role("table")).to_contain_text("Foyer Dupont")
    assert_accessible(page, "fusion")

    page.get_by_role("button", name="Fusionner les fiches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Éléonore DUPONT")
    expect(page.get_by_role("status")).to_contain_text("Fiches fusionnées")
    expect(page.locator("#profils")).to_contain_text("Foyer Dupont")
    expect(page.locator("#liens")).to_contain_text("Parent de Léo DUPONT")
    expect(page.locator("#generalites")).to_contain_text("06 12 34 56 78")  # blank filled
    expect(page.locator("#doublons")).to_contain_text("Aucun doublon potentiel.")
    assert_accessible(page, "fiche_apres_fusion")


def test_agent_creates_an_individu_and_sees_errors_next_to_fields(page, agent):
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(agent.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.goto("/crm/usagers/individus/nouveau/")
    assert_accessible(page, "creation")
    page.get_by_role("combobox", name="Type Adulte, enfant ou contact").select_option("enfant")
    expect(page.get_by_label("Établissement scolaire")).to_be_visible()  # htmx swap
    expect(page.get_by_label("Profession")).to_have_count(0)
    page.get_by_label("Prénom").fill("Léo")
    page.get_by_label("Nom de naissance").fill("Dupont")
    page.get_by_label("Téléphone mobile").fill("12345")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_telephone_mobile-messages")).to_contain_text(
        "Ce numéro de téléphone n’est pas valide"
    )
    expect(page.get_by_label("Prénom")).to_have_value("Léo")
    assert_accessible(page, "creation_erreur")

    page.get_by_label("Téléphone mobile").fill("06 12 34 56 78")
    page.get_by_label("Établissement scolaire").fill("École Jean Zay")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Léo DUPONT")
    expect(page.locator("#generalites")).to_contain_text("École Jean Zay")
    assert_accessible(page, "fiche_creee")


def test_agent_creates_a_profil_with_the_natures_of_its_type(page, agent):
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(agent.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.goto("/crm/usagers/profils/nouveau/")
    assert_accessible(page, "creation_profil")
    page.locator("#id_type_profil").select_option(label="Entreprise")
    expect(page.locator("#id_nature optgroup")).to_have_count(0)  # htmx: this type's natures
    page.locator("#id_nature").select_option(label="SARL")
    page.get_by_label("Nom ou raison sociale").fill("Boulangerie du Martroi")
    page.locator("#id_siret").fill("732 829 320 00074")
    page.get_by_label("Site internet").fill("boulangerie-martroi.fr")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boulangerie du Martroi")
    expect(page.locator("#details")).to_contain_text("https://boulangerie-martroi.fr")
    assert_accessible(page, "fiche_profil")
