"""Issue 8, I2: an instructeur declares a demo dossier « Recevable »; the statut's actions
produce the accusé de réception (listed in the Documents tab) and send the demandeur an
SMS through the outbox and the file fake. axe-core on every page displayed."""

import json

import pytest
from playwright.sync_api import expect

from demo.management.commands.load_demo import DEMO_PASSWORD
from dossiers.models import Dossier
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_declared_recevable_the_document_and_the_sms_follow(demo, page, settings, tmp_path):
    settings.GUICHET_SMS_DIR = str(tmp_path)
    # The demo's first subvention request (the commissions' demo files more).
    dossier = (
        Dossier.objects.filter(dispositif__slug="subvention-associations")
        .filter(suivi_instruction__statut__code="depose")
        .order_by("pk")
        .first()
    )
    assert dossier is not None

    page.goto("/crm/connexion/")
    assert_accessible(page, "crm_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill("instructeur@demo.guichet.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "crm_tableau_de_bord")
    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers")
    assert_accessible(page, "dossiers_tous")
    page.goto(f"/crm/dossiers/?q={dossier.reference}")
    expect(page.get_by_role("row", name=dossier.reference)).to_contain_text("Déposé")
    assert_accessible(page, "dossiers")
    page.get_by_role("link", name=dossier.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.reference)
    assert_accessible(page, "dossier_synthese")
    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_text("Aucun document produit pour ce dossier.")).to_be_visible()
    assert_accessible(page, "documents_avant")

    page.get_by_role("link", name="Instruction", exact=True).click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Dépôt")
    assert_accessible(page, "instruction_depose")
    page.get_by_role("button", name="Déclarer recevable").click()
    expect(page.get_by_text("Le dossier est passé au statut « Recevable ».")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_contain_text("Recevabilité")
    assert_accessible(page, "instruction_recevable")

    page.get_by_role("link", name="Documents", exact=True).click()
    ligne = page.get_by_role("row", name=f"Accusé de réception — {dossier.reference}")
    expect(ligne).to_contain_text("Déposé")
    expect(ligne).to_contain_text("Paul Lefort")
    assert_accessible(page, "documents_apres")

    sms = [json.loads(ligne) for ligne in (tmp_path / "sms.jsonl").read_text().splitlines()]
    (envoye,) = [s for s in sms if dossier.reference in s["texte"]]
    assert envoye["numero"] == "+33612345678"
    assert "est complète" in envoye["texte"]
