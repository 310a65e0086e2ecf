"""A conversation round trip (P11): the agent opens the conversation and writes; the
citizen sees the unread message on « Mon compte » and on the tab, reads it and answers
with an attachment; the agent sees the answer, downloads the attachment, then closes the
conversation, and the citizen can no longer write. axe-core on every page displayed."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import PageAudit, assert_accessible
from tests.dossiers.conversation import dossier_depose
from tests.dossiers.factories import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _second_tab(browser, live_server, page):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    autre = context.new_page()
    autre.audit = PageAudit(autre)
    autre.test_name = page.test_name + "_usager"
    return context, autre


def test_conversation_round_trip(
    page, browser, live_server, citizen, instructeur, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_depose(citizen)
    messages_crm = f"/crm/dossiers/{dossier.pk}/messages/"

    # The agent opens the conversation and writes.
    page.goto(messages_crm)
    assert_accessible(page, "crm_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Ouvrir la conversation")).to_be_visible()
    assert_accessible(page, "crm_non_ouverte")
    page.get_by_role("button", name="Ouvrir la conversation").click()
    expect(page.get_by_text("Ouverte à l’usager")).to_be_visible()
    page.get_by_label("Votre message à l’usager").fill(
        "Bonjour, pouvez-vous nous transmettre le budget prévisionnel ?"
    )
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Votre message est envoyé à l’usager.")).to_be_visible()
    assert_accessible(page, "crm_message_envoye")

    # The citizen sees it waiting on « Mon compte », then on the tab, and answers.
    contexte_usager, usager = _second_tab(browser, live_server, page)
    try:
        usager.goto("/compte/connexion/")
        assert_accessible(usager, "connexion")
        usager.get_by_label("Adresse électronique").fill(citizen.email)
        usager.get_by_label("Mot de passe").fill(PASSWORD)
        usager.get_by_role("button", name="Connexion").click()
        lien = usager.get_by_role(
            "link", name=f"1 nouveau message sur votre demande {dossier.reference}"
        )
        expect(lien).to_be_visible()
        assert_accessible(usager, "mon_compte")
        lien.click()
        expect(usager.get_by_text("pouvez-vous nous transmettre le budget")).to_be_visible()
        expect(usager.locator(".fr-badge--new", has_text="Nouveau")).to_be_visible()
        assert_accessible(usager, "fil_usager")
        usager.get_by_label("Votre message").fill("Le voici, bonne réception.")
        usager.get_by_label("Pièces jointes").set_input_files(
            [{"name": "budget 2026.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        usager.get_by_role("button", name="Envoyer le message").click()
        expect(usager.get_by_text("Votre message est envoyé.")).to_be_visible()
        expect(usager.get_by_role("link", name=re.compile("budget_2026.pdf"))).to_be_visible()
        assert_accessible(usager, "fil_usager_repondu")

        # The agent sees the answer, downloads the attachment, closes the conversation.
        page.reload()
        expect(page.get_by_text("Le voici, bonne réception.")).to_be_visible()
        assert_accessible(page, "crm_reponse_recue")
        with page.expect_download() as telechargement:
            page.get_by_role("link", name=re.compile("budget_2026.pdf")).click()
        assert telechargement.value.suggested_filename == "budget_2026.pdf"
        with open(telechargement.value.path(), "rb") as fichier:  # noqa: PTH123
            assert fichier.read(5) == b"%PDF-"
        page.get_by_role("button", name="Fermer la conversation").click()
        expect(page.get_by_text("Fermée à l’usager")).to_be_visible()
        assert_accessible(page, "crm_fermee")

        # The citizen can no longer write.
        usager.reload()
        expect(usager.get_by_text("La conversation est fermée")).to_be_visible()
        expect(usager.get_by_role("button", name="Envoyer le message")).to_have_count(0)
        assert_accessible(usager, "fil_usager_ferme")
        assert not usager.audit.unaudited()
    finally:
        contexte_usager.close()
