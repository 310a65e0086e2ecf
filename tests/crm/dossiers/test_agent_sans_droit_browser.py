"""Issue 9 — terr: an instructeur opens a demo dossier still assigned to an agent who
lost the right to instruct it (Julien Roux, demo/agent_sans_droit.py), sees him marked
« sans droit d'instruire ce dossier » in « Agent chargé », and gives the dossier to an
entitled agent; Julien is then no longer offered. axe-core on every page displayed."""

import pytest
from playwright.sync_api import expect

from demo.agent_sans_droit import EMAIL
from demo.management.commands.load_demo import DEMO_PASSWORD
from dossiers.models import Dossier
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARQUE = "Julien Roux (sans droit d’instruire ce dossier)"


def test_an_instructeur_reassigns_a_dossier_whose_agent_lost_the_right(demo, page):
    dossiers = Dossier.objects.filter(agent__email=EMAIL).order_by("pk")
    assert dossiers.count() == 2
    dossier = dossiers.first()

    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill("instructeur@demo.guichet.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, "tableau_de_bord")

    # The list, filtered on Julien: his two skip requests.
    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers")
    assert_accessible(page, "dossiers")
    page.get_by_label("Agent chargé").select_option(label="Julien Roux")
    page.get_by_role("button", name="Filtrer").click()
    tableau = page.locator("table")
    for d in dossiers:
        expect(tableau).to_contain_text(d.reference)
    assert_accessible(page, "dossiers_de_julien")

    # His dossier: still his, selected and marked.
    page.get_by_role("link", name=dossier.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.reference)
    choix = page.get_by_label("Agent chargé du dossier")
    expect(choix.locator("option:checked")).to_have_text(MARQUE)
    assert_accessible(page, "synthese_marque")

    # Given to Paul Lefort, who instructs every dispositif.
    choix.select_option(label="Paul Lefort")
    page.get_by_role("button", name="Attribuer").click()
    expect(page.get_by_text("Le dossier est mis à jour.")).to_be_visible()
    choix = page.get_by_label("Agent chargé du dossier")
    expect(choix.locator("option:checked")).to_have_text("Paul Lefort")
    expect(choix).not_to_contain_text("Julien Roux")
    assert_accessible(page, "synthese_reattribue")
    dossier.refresh_from_db()
    assert dossier.agent.email == "instructeur@demo.guichet.fr"
    ligne = dossier.historique.order_by("-pk").first()
    assert ligne.libelle == "Dossier attribué à Paul Lefort"
    assert (ligne.details["avant"], ligne.par.email) == (
        "Julien Roux",
        "instructeur@demo.guichet.fr",
    )

    # The other one still carries the mark.
    autre = dossiers.exclude(pk=dossier.pk).get()
    page.goto(f"/crm/dossiers/{autre.pk}/")
    expect(page.get_by_label("Agent chargé du dossier").locator("option:checked")).to_have_text(
        MARQUE
    )
    assert_accessible(page, "synthese_autre")
