"""Issue 9's export journey (C2, C15): an instructeur filters the dossier list, exports
it as CSV at once, then exports a larger selection as a background job (threshold
lowered), follows it to its page and downloads the file; then creates a token for the
JSON flow. axe-core on every page."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.dossiers.exports_donnees import deposer_exportable, dispositif_exportable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_instructeur_exports_the_filtered_list_then_a_big_one_as_a_job(page, instructeur, settings):
    dispositif = dispositif_exportable()
    durand = deposer_exportable(dispositif, demandeur="Durand")
    martin = deposer_exportable(dispositif, demandeur="Martin")

    page.goto("/crm/connexion/")
    assert_accessible(page, "crm_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(instructeur.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "crm_tableau_de_bord")
    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers")
    assert_accessible(page, "liste")
    page.get_by_label("Référence ou nom du demandeur").fill("Durand")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("1 dossier", exact=True)).to_be_visible()
    assert_accessible(page, "liste_filtree")

    # Small: the CSV comes at once, with the list's filter applied.
    page.get_by_role("link", name="Exporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exporter des dossiers")
    expect(page.get_by_text("1 dossier de la liste")).to_be_visible()
    assert_accessible(page, "exporter")
    page.get_by_label("Montant demandé (montant)").check(force=True)
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Exporter").click()
    contenu = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    lignes = list(csv.reader(io.StringIO(contenu), delimiter=";"))
    assert lignes[0][-1] == "Montant demandé"
    assert [ligne[0] for ligne in lignes[1:]] == [durand.reference]
    assert lignes[1][-1] == "12500.50"

    # Large (the threshold lowered): a job, its page, then the file.
    settings.GUICHET_EXPORT_SEUIL = 1
    page.get_by_role("link", name="Retour à la liste des dossiers").click()
    expect(page.get_by_text("1 dossier", exact=True)).to_be_visible()
    assert_accessible(page, "liste_retour")
    page.get_by_label("Référence ou nom du demandeur").fill("")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("2 dossiers", exact=True)).to_be_visible()
    assert_accessible(page, "liste_complete")
    page.get_by_role("link", name="Exporter").click()
    expect(page.get_by_text("préparé en arrière-plan")).to_be_visible()
    assert_accessible(page, "exporter_gros")
    page.get_by_label("Excel (XLSX)").check(force=True)
    page.get_by_role("button", name="Exporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export de dossiers")
    expect(page.get_by_role("status")).to_contain_text("Votre export est prêt")
    assert_accessible(page, "export_pret")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger").click()
    assert telechargement.value.suggested_filename.endswith(".xlsx")
    classeur = load_workbook(io.BytesIO(Path(telechargement.value.path()).read_bytes()))
    references = [r[0] for r in classeur.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(references) == sorted([durand.reference, martin.reference])

    page.get_by_role("link", name="Mes exports").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes exports")
    expect(page.get_by_role("cell", name="Terminé")).to_be_visible()
    assert_accessible(page, "mes_exports")

    # A token for an outside system reading the JSON flow: shown once.
    page.get_by_role("link", name="Jetons du flux JSON").click()
    page.get_by_label("Libellé").fill("Entrepôt de données")
    page.get_by_role("button", name="Créer un jeton").click()
    expect(page.get_by_role("status")).to_contain_text("copiez-le maintenant")
    expect(page.locator("tbody")).to_contain_text("Entrepôt de données")
    assert_accessible(page, "jetons")
