"""Journeys of issue 9's rights (C7) and territories (C8): an agent restricted to one
territoire sees only its dossiers; the manager of rights ticks the matrix and draws a
territoire."""

import pytest
from playwright.sync_api import expect

from dossiers.models import Dossier, DroitDispositif
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import (
    ProfilMetierFactory,
    TerritoireFactory,
    TypeTerritoireFactory,
    donner_droits,
)
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, user, nom):
    page.goto("/crm/connexion/")
    assert_accessible(page, f"{nom}_connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert_accessible(page, nom)


def test_an_agent_restricted_to_one_territory_sees_only_its_dossiers(page):
    commune = TerritoireFactory(nom="Belleville-sur-Loire")
    nord = TerritoireFactory(nom="Quartier Nord", parent=commune)
    sud = TerritoireFactory(nom="Quartier Sud", parent=commune)
    dispositif = dispositif_publie()
    dossiers = {}
    for nom, territoire in (("Lenoir", nord), ("Dubois", nord), ("Sudre", sud), ("Hors", None)):
        dossier = deposer(dispositif, individu=IndividuFactory(nom=nom))
        Dossier.objects.filter(pk=dossier.pk).update(territoire=territoire)
        dossiers[nom] = dossier
    agent = UserFactory(email="ines.moreau@exemple.fr", agent=True, first_name="Inès")
    donner_droits(agent, territoires=[nord])

    _connexion(page, agent, "droits_tableau_de_bord")
    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers")
    tableau = page.locator("table")
    for nom in ("Lenoir", "Dubois"):
        expect(tableau).to_contain_text(dossiers[nom].reference)
    for nom in ("Sudre", "Hors"):
        expect(tableau).not_to_contain_text(dossiers[nom].reference)
    # The territoire filter offers her territoire only.
    filtre = page.get_by_label("Territoire")
    expect(filtre.locator("option")).to_have_count(2)  # « Tous » and hers
    expect(filtre).to_contain_text("Belleville-sur-Loire › Quartier Nord")
    assert_accessible(page, "droits_liste_restreinte")

    page.get_by_role("link", name=dossiers["Lenoir"].reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossiers["Lenoir"].reference)
    assert_accessible(page, "droits_dossier_du_territoire")

    # Another quartier's dossier, by its address: not found.
    reponse = page.goto(f"/crm/dossiers/{dossiers['Sudre'].pk}/")
    assert reponse.status == 404
    assert_accessible(page, "droits_dossier_hors_territoire")


def test_the_manager_ticks_the_matrix_and_draws_a_territoire(page, admin_user):
    profil = ProfilMetierFactory(libelle="Instructeur Solidarités")
    dispositif = dispositif_publie()
    TypeTerritoireFactory(libelle="Quartier", code="quartier")
    _connexion(page, admin_user, "droits_admin_tableau_de_bord")

    page.get_by_role("link", name="Droits", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Droits par dispositif")
    assert_accessible(page, "droits_matrice")
    # DSFR draws the box on the label, which takes the click.
    page.locator(f'label[for="c-{profil.pk}-{dispositif.pk}-instruire"]').click()
    expect(
        page.get_by_label(f"Instruire — Instructeur Solidarités, {dispositif.titre}")
    ).to_be_checked()
    page.get_by_role("button", name="Enregistrer les droits").click()
    expect(page.locator(".fr-alert, .fr-notice").first).to_contain_text("1 ajoutés")
    expect(page.get_by_label(f"Voir — Instructeur Solidarités, {dispositif.titre}")).to_be_checked()
    droit = DroitDispositif.objects.get(profil_metier=profil, dispositif=dispositif)
    assert droit.voir and droit.instruire

    page.get_by_role("link", name="Territoires").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Territoires")
    assert_accessible(page, "droits_territoires")
    page.get_by_role("link", name="Créer un territoire").click()
    assert_accessible(page, "droits_territoire_nouveau")
    page.get_by_label("Nom", exact=True).fill("Quartier de la Loire")
    page.get_by_label("Code", exact=True).fill("loire")
    page.get_by_label("Type").select_option(label="Quartier")
    page.get_by_label("Nature").select_option(label="Code postal")
    page.get_by_label("Code postal", exact=False).and_(
        page.locator("[name=secteurs-0-code_postal]")
    ).fill("18240")
    page.get_by_label("Code INSEE de la commune").fill("45234")  # not a commune of 18240
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Cette commune n’a pas le code postal 18240.")).to_be_visible()
    assert_accessible(page, "droits_territoire_erreur")
    page.get_by_label("Code INSEE de la commune").fill("18026")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("link", name="Quartier de la Loire")).to_be_visible()
