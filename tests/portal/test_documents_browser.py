"""The citizen finds the decision deposited in their space on « Mon compte » and
downloads it. axe-core on every page displayed."""

import pytest
from playwright.sync_api import expect

from dossiers import editique as dossiers_editique
from editique import services as editique_services
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.editique.factories import ModeleDocumentFactory, dossier_depose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_downloads_a_deposited_document(page, citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_depose()
    dossier.cree_par = citizen
    dossier.save()
    modele = ModeleDocumentFactory(nom="Arrêté d’attribution", deposer_usager=True)
    editique_services.modele_publier(modele=modele, par=None)
    document = dossiers_editique.document_generer(dossier=dossier, modele=modele)

    page.goto("/compte/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_role("heading", name="Mes documents")).to_be_visible()
    assert_accessible(page, "mon_compte")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name=document.titre).click()
    assert telechargement.value.suggested_filename == document.nom_fichier
    with open(telechargement.value.path(), "rb") as fichier:  # noqa: PTH123
        assert fichier.read(4) == b"%PDF"
