"""An instructeur follows a dossier, opens « Mes dossiers suivis » from the dossier page
and chooses a digest at each change (C14, issue 9 — resume). Every page audited."""

import pytest
from playwright.sync_api import expect

from dossiers.models import PreferenceResume
from tests.browser import assert_accessible
from tests.crm.routage.test_routage_browser import _connecter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_then_choose_the_digest_at_each_change(page, instructeur, dossier):
    _connecter(page, instructeur)
    page.goto(f"/crm/dossiers/{dossier.pk}/")
    assert_accessible(page, "suivis_synthese")
    page.get_by_role("button", name="Suivre", exact=True).click()
    expect(page.locator("#dossier-suivi")).to_contain_text("Vous suivez ce dossier")

    page.get_by_role("link", name="Mes dossiers suivis et mon résumé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes dossiers suivis")
    expect(page.locator("table")).to_contain_text(dossier.reference)
    expect(
        page.get_by_label("Chaque matin, un résumé de ce qui a changé la veille")
    ).to_be_checked()
    assert_accessible(page, "suivis_page")

    page.get_by_text("À chaque changement, dans les cinq minutes qui suivent").click()
    page.get_by_role("button", name="Enregistrer mon choix").click()
    expect(page.locator("main")).to_contain_text("Votre choix est enregistré")
    expect(
        page.get_by_label("À chaque changement, dans les cinq minutes qui suivent")
    ).to_be_checked()
    assert_accessible(page, "suivis_choix_enregistre")
    assert PreferenceResume.objects.get(agent=instructeur).frequence == "chaque_changement"


def test_stop_following_from_the_list(page, instructeur, dossier):
    from dossiers import services_routage
    from dossiers.models import SuiviAgent

    services_routage.dossier_suivre(dossier=dossier, agent=instructeur)
    _connecter(page, instructeur)
    page.goto("/crm/suivis/")
    expect(page.locator("table")).to_contain_text(dossier.reference)
    page.get_by_role("button", name=f"Ne plus suivre le dossier {dossier.reference}").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Vous ne suivez plus le dossier {dossier.reference}."
    )
    expect(page.locator("#mes-suivis-liste")).to_contain_text("Vous ne suivez aucun dossier.")
    expect(page.locator("table")).to_have_count(0)
    assert_accessible(page, "suivis_ne_plus_suivre")
    assert not SuiviAgent.objects.filter(agent=instructeur).exists()
