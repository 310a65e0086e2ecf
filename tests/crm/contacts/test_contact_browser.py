"""Journey (C5): an agent logs a phone contact from the header in two clicks with a
contact model, on an individu's page; turns it into a dossier; sees them linked; plans a
task and finds it in « Mes tâches ». Every page audited by axe-core."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.contacts.factories import ContactFactory, ModeleContactFactory
from tests.instruction.factories import guide_publie
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_contact_logged_and_turned_into_a_dossier(page, instructeur, dispositif):
    guide_publie(dispositif)
    individu = IndividuFactory(prenom="Maëlle", nom="Le Bihan")
    ModeleContactFactory(
        nom="Appel — demande d’information",
        canal="telephone",
        objet="Demande d’information",
        compte_rendu="Question posée :",
    )
    ContactFactory(
        objet="Horaires de la médiathèque", canal="accueil", interlocuteur_libre="Un habitant"
    )

    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.goto(f"/crm/usagers/individus/{individu.pk}/")
    assert_accessible(page, "individu")
    # Click 1: the header's « Nouveau contact » opens the form in a modal, prefilled
    # with this individu.
    page.get_by_role("link", name="Nouveau contact").first.click()
    modal = page.get_by_role("dialog", name="Nouveau contact")
    expect(modal).to_be_visible()
    # Audited once DSFR's opening transition is over (a fading modal fails the contrast).
    page.wait_for_function(
        "getComputedStyle(document.getElementById('modal-contact')).opacity === '1'"
    )
    expect(modal.get_by_label("Maëlle LE BIHAN")).to_be_checked()
    assert_accessible(page, "nouveau_contact_modal")
    # The model applies itself when chosen (htmx), what was typed is kept.
    modal.get_by_role("textbox", name="Compte rendu").fill("Demande l’aide aux vacances.")
    modal.get_by_label("Modèle de contact").select_option(label="Appel — demande d’information")
    expect(modal.get_by_label("Objet", exact=True)).to_have_value("Demande d’information")
    expect(modal.get_by_role("radio", name="Téléphone")).to_be_checked()
    expect(modal.get_by_role("textbox", name="Compte rendu")).to_have_value(
        "Demande l’aide aux vacances."
    )
    expect(modal.get_by_label("Maëlle LE BIHAN")).to_be_checked()
    assert_accessible(page, "nouveau_contact_modele")
    # Click 2.
    modal.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.get_by_text("Le contact est enregistré.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande d’information")
    assert_accessible(page, "contact")

    # An action plan: a task for me, found in « Mes tâches ».
    page.get_by_label("Tâche", exact=True).fill("Rappeler avec la liste des pièces")
    page.get_by_label("Confiée à").select_option(label=str(instructeur))
    page.get_by_role("button", name="Ajouter la tâche").click()
    expect(page.get_by_text("La tâche est ajoutée au plan d’action.")).to_be_visible()
    assert_accessible(page, "contact_tache")

    # Turned into a dossier: the « Nouveau dossier » flow with her as demandeur.
    page.get_by_role("link", name="Créer un dossier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("le dispositif")
    assert_accessible(page, "nouveau_dossier_dispositif")
    page.get_by_role("link", name=dispositif.titre).click()
    assert_accessible(page, "nouveau_dossier_formulaire")
    page.locator("[name=nom]").fill("Le Bihan")
    page.locator("[name=montant]").fill("150")
    page.get_by_role("button", name="Déposer le dossier").click()
    expect(page.get_by_text("est déposé")).to_be_visible()
    expect(
        page.get_by_text("Le dossier est lié au contact « Demande d’information »")
    ).to_be_visible()
    assert_accessible(page, "dossier_cree")

    # Linked both ways: the dossier's Contacts tab, and the contact's page.
    page.get_by_role("link", name="Contacts").last.click()
    lien = page.get_by_role("link", name="Demande d’information")
    expect(lien).to_be_visible()
    assert_accessible(page, "dossier_onglet_contacts")
    reference = page.locator(".guichet-dossier-entete h1").inner_text().removeprefix("Dossier ")
    lien.click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    assert_accessible(page, "contact_lie")

    page.get_by_role("link", name="Contacts", exact=True).first.click()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert_accessible(page, "contacts_liste")
    page.get_by_role("link", name="Mes tâches").click()
    expect(
        page.get_by_role("cell", name="Rappeler avec la liste des pièces", exact=True)
    ).to_be_visible()
    assert_accessible(page, "mes_taches")
    page.get_by_role(
        "button", name="Marquer faite la tâche « Rappeler avec la liste des pièces »"
    ).click()
    expect(page.get_by_role("table", name="Tâches faites")).to_contain_text(
        "Rappeler avec la liste"
    )
    assert_accessible(page, "mes_taches_faite")

    # The list, filtered by canal, and « Déplacer vers un dossier ».
    page.get_by_role("link", name="Contacts", exact=True).first.click()
    assert_accessible(page, "contacts_liste_retour")
    page.get_by_label("Canal").select_option(label="Téléphone")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    assert_accessible(page, "contacts_liste_filtree")
    page.goto("/crm/contacts/")
    assert_accessible(page, "contacts_liste_2")
    page.get_by_role("link", name="Horaires de la médiathèque").click()
    assert_accessible(page, "contact_sans_dossier")
    page.get_by_role("link", name="Déplacer vers un dossier").click()
    assert_accessible(page, "deplacer")
    page.get_by_label("Référence ou nom du demandeur").fill(reference)
    page.get_by_role("button", name="Rechercher").click()
    page.locator("label", has_text=reference).click()  # DSFR radios: the label takes the click
    expect(page.get_by_label(reference)).to_be_checked()
    assert_accessible(page, "deplacer_recherche")
    page.get_by_role("button", name="Rattacher au dossier").click()
    expect(page.get_by_text(f"Le contact est rattaché au dossier {reference}.")).to_be_visible()
    assert_accessible(page, "contact_deplace")

    # Without JavaScript the header's link opens the form's page.
    page.goto("/crm/contacts/nouveau/")
    expect(page.get_by_role("heading", level=1, name="Nouveau contact")).to_be_visible()
    assert_accessible(page, "nouveau_contact_page")
