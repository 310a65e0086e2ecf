"""An agent files two dossiers at the desk (C4): one for a person created on the fly,
one quick entry for « Anonyme »; both are in the list, in the guide's initial statut."""

import pytest
from playwright.sync_api import expect

from instruction.models import Statut
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.instruction.factories import guide_publie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_creates_dossiers_for_a_new_individu_and_for_anonyme(page, instructeur, dispositif):
    statuts = guide_publie(dispositif)
    Statut.objects.filter(pk=statuts["depose"].pk).update(libelle="Reçu au guichet")

    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.goto("/crm/dossiers/")
    assert_accessible(page, "dossiers_liste")
    page.get_by_role("link", name="Nouveau dossier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("le demandeur")
    assert_accessible(page, "nouveau_dossier_demandeur")
    page.get_by_label("Nom, prénom, courriel").fill("Quéméner")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Personne ne correspond")).to_be_visible()
    assert_accessible(page, "nouveau_dossier_recherche")
    # Created on the fly: a missing name is refused, what was typed kept.
    page.get_by_label("Prénom", exact=True).fill("Gwen")
    page.get_by_role("button", name="Créer la fiche et continuer").click()
    expect(page.get_by_text("La fiche n’a pas été créée")).to_be_visible()
    expect(page.get_by_label("Prénom", exact=True)).to_have_value("Gwen")
    assert_accessible(page, "nouveau_dossier_demandeur_erreur")
    page.get_by_label("Nom de naissance").fill("Quéméner")
    page.get_by_role("button", name="Créer la fiche et continuer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("le dispositif")
    expect(page.get_by_role("link", name="Gwen QUÉMÉNER")).to_be_visible()
    assert_accessible(page, "nouveau_dossier_dispositif")
    page.get_by_role("link", name=dispositif.titre).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(dispositif.titre)
    assert_accessible(page, "nouveau_dossier_formulaire")
    page.locator("[name=nom]").fill("Quéméner")
    page.locator("[name=montant]").fill("abc")
    page.get_by_role("button", name="Déposer le dossier").click()
    expect(page.locator("[name=nom]")).to_have_value("Quéméner")
    assert_accessible(page, "nouveau_dossier_formulaire_erreur")
    page.locator("[name=montant]").fill("420")
    page.get_by_role("button", name="Déposer le dossier").click()
    expect(page.get_by_text("est déposé")).to_be_visible()
    expect(page.locator(".guichet-dossier-entete")).to_contain_text("Reçu au guichet")
    assert_accessible(page, "dossier_cree")

    # The quick one.
    page.goto("/crm/dossiers/nouveau/")
    assert_accessible(page, "nouveau_dossier_rapide")
    page.get_by_role("button", name="Demandeur anonyme").click()
    expect(page.get_by_text("(saisie rapide")).to_be_visible()
    assert_accessible(page, "nouveau_dossier_dispositif_anonyme")
    page.get_by_role("link", name=dispositif.titre).click()
    assert_accessible(page, "nouveau_dossier_formulaire_anonyme")
    page.get_by_role("button", name="Déposer le dossier").click()
    expect(page.get_by_text("est déposé")).to_be_visible()
    assert_accessible(page, "dossier_anonyme_cree")

    page.goto("/crm/dossiers/")
    lignes = page.locator("tbody tr")
    expect(lignes).to_have_count(2)
    expect(lignes.filter(has_text="Gwen QUÉMÉNER")).to_contain_text("Reçu au guichet")
    expect(lignes.filter(has_text="Anonyme")).to_contain_text("Reçu au guichet")
    assert_accessible(page, "dossiers_liste_apres_creation")
