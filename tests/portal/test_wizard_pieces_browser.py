"""Browser journey (P5, P12): a citizen fills the wizard, is told the required document
is missing, uploads a PDF at the step, files, and finds the piece « reçu » on the
dossier's Justificatifs tab. axe-core on every page."""

import pytest
from playwright.sync_api import expect

from dossiers.models import Dossier
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.common import fichiers
from tests.dossiers.justificatifs import dispositif_avec_piece_au_formulaire
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_uploads_a_piece_in_the_wizard_and_files(page, citizen, tmp_path):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    dispositif = dispositif_avec_piece_au_formulaire(slug="aide", titre="Aide au logement")
    page.goto("/compte/connexion/?next=/demarches/aide/demande/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1, name=dispositif.titre)).to_be_visible()
    assert_accessible(page, "etape")

    page.get_by_label("Nom").fill("Martin")
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_text("Joignez ce document.")).to_be_visible()
    expect(page.get_by_label("Nom")).to_have_value("Martin")
    assert_accessible(page, "piece_manquante")

    fichier = tmp_path / "facture-edf.pdf"
    fichier.write_bytes(fichiers.pdf())
    page.get_by_label("Justificatif de domicile").set_input_files(fichier)
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1, name="Votre demande est déposée")).to_be_visible()
    assert_accessible(page, "confirmation")

    dossier = Dossier.objects.get()
    page.goto(f"/mon-compte/demandes/{dossier.pk}/justificatifs/")
    justificatif = dossier.justificatifs.get(type__code="domicile")
    carte = page.locator(f"section[aria-labelledby='justificatif-{justificatif.pk}']")
    expect(carte).to_contain_text("Reçu")
    expect(carte.get_by_role("link", name="facture-edf.pdf")).to_be_visible()
    assert_accessible(page, "justificatifs")


def test_a_saved_draft_shows_its_piece_and_the_profils_document_to_reuse(page, citizen, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dossiers import services_justificatifs
    from dossiers.models import TypeJustificatif
    from usagers.selectors import profils_de_user

    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    dispositif = dispositif_avec_piece_au_formulaire(slug="aide", titre="Aide au logement")
    profil = profils_de_user(citizen).get(personnel=True)  # the one the wizard acts for
    services_justificatifs.profil_document_deposer(
        profil=profil,
        type_justificatif=TypeJustificatif.objects.get(code="domicile"),
        upload=SimpleUploadedFile("siege.pdf", fichiers.pdf()),
        user=citizen,
    )
    page.goto("/compte/connexion/?next=/demarches/aide/demande/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique").fill(citizen.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1, name=dispositif.titre)).to_be_visible()
    expect(page.get_by_text("Reprendre le document de votre profil : siege.pdf")).to_be_visible()
    assert_accessible(page, "reprise_offerte")

    fichier = tmp_path / "quittance.pdf"
    fichier.write_bytes(fichiers.pdf())
    page.get_by_label("Ou envoyez un fichier").set_input_files(fichier)
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    expect(page.get_by_text("Votre brouillon est enregistré.")).to_be_visible()
    assert_accessible(page, "mon_compte")

    brouillon = Dossier.objects.get()
    page.goto(f"/mon-compte/demandes/{brouillon.pk}/reprendre/")
    expect(page.get_by_text("Garder le document joint : quittance.pdf")).to_be_visible()
    assert_accessible(page, "brouillon_repris")
    page.get_by_label("Nom").fill("Martin")
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1, name="Votre demande est déposée")).to_be_visible()
    assert_accessible(page, "confirmation")
    assert brouillon.justificatifs.get().versions.get().nom == "quittance.pdf"
