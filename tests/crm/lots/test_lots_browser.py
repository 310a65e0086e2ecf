"""Issue 9's journey of I6: an instructeur filters the CRM list on one dispositif, sends
its 200 dossiers to a statut batch, and watches the lot's page fill its progress bar
(htmx polling) up to 100 %; then finds it in « Mes lots ». axe-core on every page.

The worker is played by the test: the task's enqueueing is held back, and the test runs
the lot a chunk at a time while the page polls, so the progress is seen moving."""

import pytest
from playwright.sync_api import expect

from instruction import services_lots, tasks
from instruction.models import ChangementStatut, Lot, SuiviInstruction
from tests.accounts.factories import PASSWORD
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_batch_of_200_dossiers_moved_with_progress_shown(page, instructeur, citizen, monkeypatch):
    statuts = guide_publie(dispositif_publie())
    dispositif = statuts["depose"].version.guide.dispositif
    dossiers = [deposer(dispositif, citizen) for _ in range(200)]
    deposer(dispositif_publie(), citizen)  # another dispositif: filtered out
    enfiles = []
    monkeypatch.setattr(
        tasks.lot_traiter_task, "apply_async", lambda args, **kw: enfiles.append(args)
    )

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
    page.get_by_label("Dispositif (facultatif)").select_option(str(dispositif.pk))
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("200 dossiers", exact=True)).to_be_visible()
    assert_accessible(page, "liste_filtree")
    page.get_by_role("link", name="Traiter en lot les 200 dossiers filtrés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Traiter des dossiers en lot")
    expect(page.locator("#lot-compte")).to_have_text("200 dossiers sélectionnés")
    assert_accessible(page, "lot_operation")
    page.get_by_label("Changement de statut").check(force=True)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Instruction — En instruction — permis pour 200 dossier(s) sur 200").check(
        force=True
    )
    page.get_by_label("Motif").fill("Campagne de rentrée : dossiers complets")
    assert_accessible(page, "lot_parametres")
    page.get_by_role("button", name="Lancer le lot sur 200 dossiers").click()

    lot = Lot.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(lot.libelle)
    expect(page.locator("#lot-avancement")).to_have_text("0 sur 200 dossiers traités (0 %)")
    assert enfiles == [(lot.pk,)]  # handed to the worker once committed
    assert_accessible(page, "lot_en_attente")

    # The worker: one chunk per run, the page polling in between.
    monkeypatch.setattr(services_lots, "TEMPS_MAX", 0)
    assert services_lots.lot_traiter(lot.pk) == 0
    expect(page.locator("#lot-avancement")).to_have_text("50 sur 200 dossiers traités (25 %)")
    expect(page.locator("#lot-barre")).to_have_attribute("value", "25")
    while services_lots.lot_traiter(lot.pk) is not None:
        pass
    expect(page.locator("#lot-avancement")).to_have_text("200 sur 200 dossiers traités (100 %)")
    expect(page.locator("#lot-progression")).to_contain_text("Terminé")
    expect(page.locator("#lot-barre")).to_have_attribute("value", "100")
    page.screenshot(path="var/screenshots/lot_termine.png", full_page=True)

    assert (
        SuiviInstruction.objects.filter(dossier__in=dossiers, statut=statuts["instruction"]).count()
        == 200
    )
    assert ChangementStatut.objects.filter(par=instructeur).count() == 200

    page.get_by_role("link", name="Lots", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes lots")
    expect(page.get_by_role("table")).to_contain_text("200 / 200")
    assert_accessible(page, "mes_lots")
