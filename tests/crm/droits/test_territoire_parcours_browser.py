"""Issue 9's journey « an agent restricted to one territory sees only its dossiers » (C8)
through every door: the dashboard's counts, the list, the map (its JSON, its table, the
territory outlines and legend), the quick search (a name with dossiers in both
territoires) and a CSV export. The other quartier's dossier appears nowhere. axe-core on
every page."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dossiers.models import Dossier, Secteur
from dossiers.services_territoires import sectoriser_dossiers
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser import assert_accessible
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.crm.recherche.conftest import CENTRE, situer
from tests.dossiers.factories import TerritoireFactory, donner_droits
from tests.instruction.factories import guide_publie
from tests.usagers.factories import IndividuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAT, LON = CENTRE


def _carre(ouest, sud, est, nord):
    anneau = [[ouest, sud], [est, sud], [est, nord], [ouest, nord], [ouest, sud]]
    return {"type": "Polygon", "coordinates": [anneau]}


def test_an_agent_of_one_territory_sees_its_dossiers_only_everywhere(page, settings):
    settings.GUICHET_CARTE_CENTRE = [LAT, LON]
    settings.GUICHET_CARTE_ZOOM = 14
    commune = TerritoireFactory(nom="Belleville-sur-Loire")
    nord = TerritoireFactory(nom="Quartier Nord", parent=commune)
    sud = TerritoireFactory(nom="Quartier Sud", parent=commune)
    Secteur.objects.create(
        territoire=nord,
        nature="polygone",
        libelle="Les Hauts",
        polygone=_carre(LON - 0.01, LAT, LON + 0.01, LAT + 0.01),
    )
    Secteur.objects.create(
        territoire=sud,
        nature="polygone",
        libelle="Les Prés",
        polygone=_carre(LON - 0.01, LAT - 0.01, LON + 0.01, LAT - 0.0001),
    )
    dispositif = dispositif_publie(
        code="TERR", champs=(("nom", "Nom", "texte"), ("adresse", "Adresse", "adresse"))
    )
    guide_publie(dispositif)

    def dossier(prenom, nom, lat):
        individu = IndividuFactory(prenom=prenom, nom=nom)
        depose = deposer(dispositif, donnees={"nom": nom}, individu=individu)
        return situer(depose, lat, LON)

    alice = dossier("Alice", "Lemaire", LAT + 0.003)
    paul = dossier("Paul", "Petit", LAT + 0.006)
    bruno = dossier("Bruno", "Lemaire", LAT - 0.004)  # the other quartier, same name
    sectoriser_dossiers(Dossier.objects.all())
    assert Dossier.objects.get(pk=bruno.pk).territoire == sud
    agent = UserFactory(email="ines.moreau@exemple.fr", agent=True, first_name="Inès")
    donner_droits(agent, territoires=[nord])
    hors = bruno.reference

    # The dashboard counts her two dossiers.
    page.goto("/crm/connexion/")
    assert_accessible(page, "connexion")
    page.get_by_label("Adresse électronique professionnelle").fill(agent.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#bannettes")).to_contain_text("Déposé : 2")
    expect(page.locator("main")).not_to_contain_text(hors)
    assert_accessible(page, "tableau_de_bord")

    # The list.
    page.get_by_role("link", name="Dossiers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers")
    tableau = page.locator("table")
    expect(tableau).to_contain_text(alice.reference)
    expect(tableau).to_contain_text(paul.reference)
    expect(tableau).not_to_contain_text(hors)
    assert_accessible(page, "liste")

    # The map: its data, its table, her territory's outline and legend only.
    page.get_by_role("link", name="Voir sur la carte").click()
    expect(page.locator("#carte-dossiers")).to_have_attribute("data-charge", "oui")
    expect(page.locator("#carte-total")).to_have_text("2 dossiers dans la zone affichée")
    carte_tableau = page.locator("#carte-tableau")
    expect(carte_tableau.get_by_role("link")).to_have_count(2)
    expect(carte_tableau).not_to_contain_text(hors)
    expect(page.locator(".guichet-carte-contour")).to_have_text(["Quartier Nord"])
    legende = page.locator("#carte-legende")
    expect(legende).to_contain_text("Les Hauts")
    expect(legende).not_to_contain_text("Quartier Sud")
    assert_accessible(page, "carte")
    bbox = f"{LON - 0.05},{LAT - 0.05},{LON + 0.05},{LAT + 0.05}"
    donnees = page.request.get(f"/crm/carte/donnees/?bbox={bbox}&zoom=14").json()
    assert donnees["total"] == 2
    assert {p["reference"] for p in donnees["points"]} == {alice.reference, paul.reference}
    # The outlines hide and show again from the checkbox above the map.
    page.locator('label[for="carte-contours-afficher"]').click()
    expect(page.locator(".guichet-carte-contour")).to_have_count(0)
    page.locator('label[for="carte-contours-afficher"]').click()
    expect(page.locator(".guichet-carte-contour")).to_have_count(1)

    # The quick search: « Lemaire » filed in both quartiers, hers only.
    page.get_by_role("searchbox", name="Rechercher une référence").fill("Lemaire")
    page.get_by_role("button", name="Lancer la recherche rapide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherche")
    resultats = page.locator("#resultats-dossiers")
    expect(resultats.get_by_role("link", name=alice.reference)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(hors)
    assert_accessible(page, "recherche")

    # The export: the CSV holds her two dossiers.
    page.goto("/crm/dossiers/")
    assert_accessible(page, "liste_retour")
    page.get_by_role("link", name="Exporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exporter des dossiers")
    expect(page.get_by_text("2 dossiers de la liste")).to_be_visible()
    assert_accessible(page, "exporter")
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Exporter").click()
    contenu = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    lignes = list(csv.reader(io.StringIO(contenu), delimiter=";"))
    assert sorted(ligne[0] for ligne in lignes[1:]) == sorted([alice.reference, paul.reference])
    assert hors not in contenu

    # Issue 9 — terr: the other quartier named in the URL (list, map, export): nothing,
    # and the same message as for a territoire that does not exist.
    message = "Territoire inconnu ou hors de vos territoires."
    for territoire, nom in ((sud.pk, "liste_sud"), (999999, "liste_inconnu")):
        page.goto(f"/crm/dossiers/?territoire={territoire}")
        expect(page.locator("main")).to_contain_text(message)
        expect(page.locator("main")).not_to_contain_text(hors)
        expect(page.locator("main")).not_to_contain_text(alice.reference)
        expect(page.locator(".guichet-indicateurs")).to_contain_text("0 dossier")
        assert_accessible(page, nom)
    page.goto(f"/crm/carte/?territoire={sud.pk}")
    expect(page.locator("main")).to_contain_text(message)
    expect(page.locator("#carte-total")).to_have_text("0 dossier dans la zone affichée")
    assert_accessible(page, "carte_sud")
    page.goto(f"/crm/dossiers/exporter/?filtres=territoire%3D{sud.pk}")
    expect(page.get_by_role("alert")).to_contain_text(message)
    assert_accessible(page, "exporter_sud")
