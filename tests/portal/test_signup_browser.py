import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_newcomer_signs_up_verifies_and_sees_account(page):
    page.goto("/")
    assert_accessible(page, "portail_accueil")
    page.get_by_role("link", name="Créer mon compte").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Création de compte")
    assert_accessible(page, "inscription")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Adresse électronique").fill("nouvelle@exemple.fr")
    page.get_by_label(re.compile(r"^\s*Mot de passe")).fill("Un-mot-de-passe-solide-42")
    page.get_by_label("Confirmation du mot de passe").fill("Un-mot-de-passe-solide-42")
    page.get_by_role("button", name="Création de compte").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Vérifiez votre adresse")
    assert_accessible(page, "verification_envoyee")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle@exemple.fr"]
    link = re.search(r"https?://\S+/compte/confirmer-adresse/\S+/", message.body).group(0)

    page.goto(urlparse(link).path)
    assert_accessible(page, "confirmer_adresse")
    page.get_by_role("button", name="Confirmer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Connexion")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique").fill("nouvelle@exemple.fr")
    page.get_by_label("Mot de passe").fill("Un-mot-de-passe-solide-42")
    page.get_by_role("button", name="Connexion").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_text("nouvelle@exemple.fr", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Camille MARTIN")).to_be_visible()  # personal profil
    assert_accessible(page, "mon_compte")


def test_weak_password_and_used_email_show_french_messages_and_keep_input(page):
    UserFactory(email="deja@exemple.fr")
    page.goto("/compte/inscription/")
    page.get_by_label("Prénom").fill("Zoé")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Adresse électronique").fill("deja@exemple.fr")
    page.get_by_label(re.compile(r"^\s*Mot de passe")).fill("azerty")
    page.get_by_label("Confirmation du mot de passe").fill("azerty")
    page.get_by_role("button", name="Création de compte").click()

    email = page.get_by_label("Adresse électronique")
    expect(email).to_have_value("deja@exemple.fr")
    expect(email).to_have_attribute("aria-invalid", "true")
    email_errors = page.locator("#id_email-messages")
    expect(email_errors).to_contain_text("déjà")
    password_errors = page.locator("#id_password1-messages")
    expect(password_errors).to_contain_text("trop court")
    expect(password_errors).to_contain_text("12 caractères")
    expect(page.get_by_label("Prénom")).to_have_value("Zoé")
    assert_accessible(page, "inscription_erreurs")

    # "Use my account": sign in with the address already registered, prefilled.
    page.get_by_role("link", name="Se connecter avec cette adresse").click()
    expect(page.get_by_label("Adresse électronique")).to_have_value("deja@exemple.fr")
    assert_accessible(page, "connexion_adresse_connue")
