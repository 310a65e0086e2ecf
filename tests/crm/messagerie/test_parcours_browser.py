"""Issue 6's journey: an admin writes a mail template, sees the live preview name an
unknown variable, fixes it, publishes, and sends a test mail that a real SMTP server
(aiosmtpd) receives exactly once. axe-core on every page displayed."""

import pytest
from playwright.sync_api import expect

from notifications.models import Message, ModeleMessage, Statut
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_writes_previews_publishes_and_tests_a_mail_template(page, admin_user, boite_smtp):
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(admin_user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    page.get_by_role("link", name="Messages", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modèles de message")
    assert_accessible(page, "modeles")
    page.get_by_role("link", name="Créer un modèle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau modèle")
    assert_accessible(page, "nouveau_modele")

    page.locator("#id_nom").fill("Bienvenue sur le portail")
    page.get_by_label("Canal").select_option(label="Courriel")
    page.get_by_label("Événement", exact=False).first.select_option(
        label="Compte créé sur le portail"
    )
    page.locator("#id_sujet").fill("Bienvenue {{ usager.prenom }}")
    texte = page.locator("#id_corps")
    texte.fill(
        "Bonjour {{ usager.prenom }},\n\n"
        "Votre compte sur le portail de {{ autorite }} est créé.\n"
        "Vous pourrez suivre vos demandes depuis {{ lien_conexion }}."
    )
    apercu = page.locator("#apercu")
    expect(apercu).to_contain_text("Texte — Ligne 4 : Variable inconnue « lien_conexion »")
    expect(apercu).to_contain_text("Vouliez-vous dire « lien_connexion » ?")
    assert_accessible(page, "apercu_variable_inconnue")

    texte.fill(
        "Bonjour {{ usager.prenom }},\n\n"
        "Votre compte sur le portail de {{ autorite }} est créé.\n"
        "Vous pourrez suivre vos demandes depuis {{ lien_connexion }}."
    )
    expect(apercu).to_contain_text("Objet : Bienvenue Camille")
    expect(apercu).to_contain_text("Votre compte sur le portail de Ville de Belleville-sur-Loire")
    expect(apercu).not_to_contain_text("Variable inconnue")
    assert_accessible(page, "apercu_exemple")

    page.get_by_role("button", name="Enregistrer et publier").click()
    expect(page.get_by_text("Le modèle « Bienvenue sur le portail » est publié.")).to_be_visible()
    assert_accessible(page, "modele_publie")
    assert ModeleMessage.objects.get(nom="Bienvenue sur le portail").publie_le is not None

    expect(page.get_by_label("Envoyer le test à")).to_have_value(admin_user.email)
    page.get_by_role("button", name="Envoyer un message de test").click()
    expect(page.get_by_text(f"Le message de test part vers {admin_user.email}")).to_be_visible()
    assert_accessible(page, "test_envoye")

    message = Message.objects.get(modele__nom="Bienvenue sur le portail")
    assert message.statut == Statut.ENVOYE
    # The test mail reached the SMTP server exactly once, its Message-ID the outbox key
    # (the login's « nouvelle connexion » mail went through the outbox too, once).
    recus = boite_smtp.compte()
    assert recus[message.fournisseur_id] == 1 and message.cle in message.fournisseur_id
    assert sorted(recus.values()) == [1] * Message.objects.count()

    page.get_by_role("link", name="File d’envoi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("File d’envoi")
    expect(page.locator("tbody")).to_contain_text("[Test] Bienvenue Camille")
    expect(page.locator("tbody")).to_contain_text("Envoyé")
    assert_accessible(page, "file_envoi")

    page.get_by_role("link", name="Événements", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Événements et modèles envoyés")
    assert_accessible(page, "correspondances")
    formulaire = page.locator("form", has=page.get_by_role("button", name="Ajouter"))
    formulaire.get_by_label("Événement").select_option(label="Compte créé sur le portail")
    formulaire.get_by_label("Modèle à envoyer").select_option(label="Bienvenue sur le portail")
    formulaire.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("La correspondance est enregistrée.")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Courriel — Bienvenue sur le portail")
    assert_accessible(page, "correspondance_ajoutee")
