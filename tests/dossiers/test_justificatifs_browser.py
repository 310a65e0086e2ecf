"""Browser journey (P12): an agent refuses a justificatif with a comment, the citizen
reads it and uploads a new version with a comment, the agent validates it, the citizen
sees « Validé ». axe-core on every page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from dossiers import services_justificatifs as services
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.common import fichiers
from tests.dossiers.justificatifs import dossier_depose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _agent_login(page, agent, url, name):
    page.context.clear_cookies()
    page.goto(f"/crm/connexion/?next={url}")
    assert_accessible(page, f"{name}_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(agent.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _citizen_login(page, citizen, url, name):
    page.context.clear_cookies()
    page.goto(f"/compte/connexion/?next={url}")
    assert_accessible(page, f"{name}_connexion")
    page.get_by_label("Adresse électronique").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_agent_refuses_citizen_reuploads_agent_validates(page, citizen, instructeur, tmp_path):
    dossier = dossier_depose(citizen)
    domicile = dossier.justificatifs.select_related("type", "dossier").get(type__code="domicile")
    services.version_deposer(
        justificatif=domicile,
        upload=SimpleUploadedFile("facture.pdf", fichiers.pdf()),
        user=citizen,
    )
    crm = f"/crm/dossiers/{dossier.pk}/justificatifs/"
    portail = f"/mon-compte/demandes/{dossier.pk}/justificatifs/"

    _agent_login(page, instructeur, crm, "agent1")
    expect(page.get_by_role("heading", level=2, name="Justificatifs")).to_be_visible()
    carte = page.locator(f"section[aria-labelledby='justificatif-{domicile.pk}']")
    expect(carte).to_contain_text("Reçu")
    assert_accessible(page, "crm_justificatifs")
    carte.get_by_label("Commentaire pour l’usager").fill("La facture date de plus de trois mois.")
    carte.get_by_role("button", name="Refuser").click()
    expect(page.get_by_text("Le justificatif est refusé.")).to_be_visible()
    assert_accessible(page, "crm_refuse")

    _citizen_login(page, citizen, portail, "usager1")
    carte = page.locator(f"section[aria-labelledby='justificatif-{domicile.pk}']")
    expect(carte).to_contain_text("Refusé")
    expect(carte).to_contain_text("La facture date de plus de trois mois.")
    assert_accessible(page, "portail_refuse")
    nouveau = tmp_path / "facture-recente.pdf"
    nouveau.write_bytes(fichiers.pdf(pages=2))
    carte.get_by_label("Envoyer une nouvelle version").set_input_files(nouveau)
    carte.get_by_label("Commentaire (facultatif)").fill("Facture du mois dernier")
    carte.locator("button[type=submit]", has_text="Envoyer").click()
    expect(
        page.get_by_text("Votre document « Justificatif de domicile » est envoyé.")
    ).to_be_visible()
    carte = page.locator(f"section[aria-labelledby='justificatif-{domicile.pk}']")
    expect(carte).to_contain_text("Reçu")
    expect(carte.get_by_role("link", name="facture-recente.pdf")).to_be_visible()
    assert_accessible(page, "portail_renvoye")

    _agent_login(page, instructeur, crm, "agent2")
    carte = page.locator(f"section[aria-labelledby='justificatif-{domicile.pk}']")
    expect(carte).to_contain_text("Facture du mois dernier")
    assert_accessible(page, "crm_nouvelle_version")
    carte.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Le justificatif est validé.")).to_be_visible()
    assert_accessible(page, "crm_valide")

    _citizen_login(page, citizen, portail, "usager2")
    carte = page.locator(f"section[aria-labelledby='justificatif-{domicile.pk}']")
    expect(carte.locator(".fr-badge").first).to_have_text("Validé")
    assert_accessible(page, "portail_valide")


def test_a_profil_document_is_added_then_reused_in_a_request(page, citizen, tmp_path):
    from tests.dossiers.justificatifs import dispositif_avec_pieces
    from tests.usagers.factories import MembreFactory, ProfilFactory, role
    from usagers.services import compte_initialiser

    individu = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    profil = ProfilFactory(nom="Les Amis du Parc")
    MembreFactory(individu=individu, profil=profil, role=role("responsable"))
    dossier = dossier_depose(citizen, profil=profil, dispositif=dispositif_avec_pieces())

    _citizen_login(page, citizen, f"/mon-compte/profils/{profil.pk}/", "usager")
    expect(page.get_by_role("heading", level=2, name="Documents du profil")).to_be_visible()
    assert_accessible(page, "profil")
    page.get_by_label("Type de document", exact=True).select_option(
        label="Justificatif de domicile"
    )
    siege = tmp_path / "siege.pdf"
    siege.write_bytes(fichiers.pdf())
    page.locator("#document-fichier").set_input_files(siege)
    page.get_by_role("button", name="Ajouter au profil").click()
    expect(page.get_by_text("Le document est ajouté au profil.")).to_be_visible()
    expect(page.get_by_role("link", name="siege.pdf")).to_be_visible()
    assert_accessible(page, "profil_document_ajoute")

    page.goto(f"/mon-compte/demandes/{dossier.pk}/justificatifs/")
    assert_accessible(page, "offre_de_reprise")
    page.get_by_role("button", name="Reprendre « siege.pdf »").click()
    expect(page.get_by_text("Le document du profil est repris")).to_be_visible()
    carte = page.locator(
        "section", has=page.get_by_role("heading", name="Justificatif de domicile")
    )
    expect(carte).to_contain_text("Reçu")
    assert_accessible(page, "repris")
