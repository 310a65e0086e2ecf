"""An instructeur takes a dossier: assigns himself, flags it urgent, closes it through a
correction with its reason, and finds it all in the history (F8, C3)."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_instructeur_assigns_flags_and_corrects_a_dossier(
    page, instructeur, dispositif, classements
):
    dispositif.champs_couverture = ["montant"]
    dispositif.save()
    dossier = deposer(dispositif, individu=IndividuFactory(prenom="Léa", nom="Durand"))
    instructeur.first_name, instructeur.last_name = "Paul", "Instructeur"
    instructeur.save()

    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers")
    assert_accessible(page, "dossiers_liste")

    page.get_by_role("link", name=dossier.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.reference)
    expect(page.locator("#titre-couverture + dl")).to_contain_text("Montant")
    assert_accessible(page, "dossier_synthese")

    page.get_by_label("Agent chargé du dossier").select_option(label="Paul Instructeur")
    page.get_by_role("button", name="Attribuer").click()
    expect(page.locator("#titre-couverture + dl")).to_contain_text("Paul Instructeur")
    assert_accessible(page, "dossier_attribue")

    page.get_by_text("Urgent", exact=True).click()
    page.get_by_role("button", name="Enregistrer les marques").click()
    expect(page.locator(".guichet-dossier-entete")).to_contain_text("Urgent")
    assert_accessible(page, "dossier_urgent")

    page.get_by_role("link", name="Corriger le dossier").click()
    assert_accessible(page, "dossier_corriger")
    page.get_by_label("Statut").select_option(label="Clôturé")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("Indiquez le motif de la correction.")).to_be_visible()
    assert_accessible(page, "dossier_corriger_erreur")
    page.get_by_label("Motif de la correction").fill("Demande retirée par téléphone")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.locator(".guichet-dossier-entete")).to_contain_text("Clôturé")
    assert_accessible(page, "dossier_corrige")

    page.get_by_role("link", name="Historique").click()
    table = page.locator("table")
    expect(table).to_contain_text("Demande retirée par téléphone")
    expect(table).to_contain_text("statut : Déposé → Clôturé")
    expect(table).to_contain_text("Dossier attribué à Paul Instructeur")
    expect(table).to_contain_text("Dossier marqué urgent")
    assert_accessible(page, "dossier_historique")


def test_other_tabs_and_the_deletion_page_are_accessible(page, admin_user, dossier):
    """Données, Documents (with a produced document) and the deletion's confirmation."""
    from dossiers import services_gestion
    from editique import services as editique_services
    from tests.editique.factories import ModeleDocumentFactory

    modele = ModeleDocumentFactory(nom="Accusé de réception")
    editique_services.modele_publier(modele=modele)
    services_gestion.dossier_document_produire(dossier=dossier, modele=modele, by=admin_user)

    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(admin_user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.goto(f"/crm/formulaires/{dossier.dispositif_id}/")
    expect(page.get_by_role("group", name="Dossier côté agents")).to_contain_text(
        "Montant (montant)"
    )
    assert_accessible(page, "dispositif_couverture")

    page.goto(f"/crm/dossiers/{dossier.pk}/donnees/")
    expect(page.locator("main")).to_contain_text("Martin")
    assert_accessible(page, "dossier_donnees")
    page.locator("#sections-dossier").get_by_role("link", name="Documents").click()
    expect(page.locator("table")).to_contain_text("Accusé de réception")
    assert_accessible(page, "dossier_documents")
    page.locator("#sections-dossier").get_by_role("link", name="Synthèse").click()
    assert_accessible(page, "dossier_synthese_admin")
    # C14: to the trash first, then « Supprimer définitivement » from the trash page
    page.get_by_role("button", name="Mettre à la corbeille").click()
    expect(page.locator("main")).to_contain_text("est dans la corbeille")
    assert_accessible(page, "corbeille")
    page.get_by_role("link", name=f"Supprimer définitivement {dossier.reference}").click()
    expect(page.locator("main")).to_contain_text("Cette suppression est définitive.")
    assert_accessible(page, "dossier_supprimer")
    page.get_by_role("button", name=f"Supprimer définitivement {dossier.reference}").click()
    expect(page.locator("main")).to_contain_text(f"Le dossier {dossier.reference} est supprimé.")
    assert_accessible(page, "dossiers_apres_suppression")
