"""Browser: a tableau (a calcul column, totals, a calcul field reading its column), a
carte (GeoJSON typed in its textarea) and a choix classé in the wizard: the calculs
update live, a bad cell gets its French error in the cell with what was typed kept, and
the dossier stores the cleaned values. axe-core on every state of the page."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from demo.formulaires import FACULTATIF, _champ
from dossiers import services
from dossiers.models import Dossier
from tests.browser import assert_accessible
from tests.dossiers.factories import DispositifFactory
from usagers.services import compte_initialiser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET = {
    "lignes": [["subventions", "Subventions"], ["cotisations", "Cotisations"]],
    "colonnes": [
        {
            "nom": "quantite",
            "libelle": "Quantité",
            "type": "entier",
            "obligatoire": True,
            "total": True,
        },
        {"nom": "prix", "libelle": "Prix unitaire", "type": "montant", "obligatoire": True},
        {
            "nom": "montant",
            "libelle": "Montant",
            "type": "calcul",
            "formule": "quantite * prix",
            "total": True,
        },
    ],
}
POLYGONE = {
    "type": "Polygon",
    "coordinates": [[[2.85, 47.5], [2.851, 47.5], [2.851, 47.501], [2.85, 47.501], [2.85, 47.5]]],
}


def _modele():
    champs = [
        _champ("budget", "Budget prévisionnel", "tableau", options=BUDGET),
        _champ(
            "total_budget",
            "Total du budget",
            "calcul",
            ordre=1,
            options={"formule": "somme(budget.montant)", "decimales": 2, "unite": "€"},
        ),
        _champ("lieu", "Lieu de la manifestation", "carte", ordre=2, obligatoire=False),
        _champ(
            "voeux",
            "Salles souhaitées",
            "choix_classe",
            ordre=3,
            options={"rangs": 2},
            choix=[["grande", "Grande salle"], ["petite", "Petite salle"], ["foyer", "Foyer"]],
        ),
        _champ(
            "cuisine_foyer",
            "Utiliserez-vous la cuisine du foyer ?",
            "texte",
            ordre=4,
            condition={"champ": "voeux", "op": "premier", "valeur": "foyer"},
        ),
    ]
    for champ in champs[2:]:
        champ["proprietes"] = FACULTATIF
    return {
        "format": services.FORMAT,
        "version_format": services.FORMAT_VERSION,
        "dispositif": "MAN",
        "listes": [],
        "referentiel": [],
        "onglets": [
            {
                "titre": "Votre manifestation",
                "aide": "",
                "ordre": 0,
                "condition": None,
                "lignes": [
                    {
                        "ordre": i,
                        "colonnes": 1,
                        "titre_section": "",
                        "condition": None,
                        "champs": [c],
                    }
                    for i, c in enumerate(champs)
                ],
            }
        ],
    }


@pytest.fixture
def manifestation():
    dispositif = DispositifFactory(
        code="MAN", slug="manifestation", titre="Organiser une manifestation"
    )
    modele = services.modele_importer(_modele(), dispositif=dispositif)
    services.modele_publier(modele=modele, by=None)
    return dispositif


def _cellule(page, nom):
    """A cell's input, named by its row and column headers (aria-labelledby)."""
    return page.get_by_role("textbox", name=nom, exact=True)


def _connecter(page, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_tableau_calculs_live_carte_typed_and_cell_errors(
    page, citizen, manifestation, live_server
):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    _connecter(page, citizen, live_server)
    page.goto(f"/demarches/{manifestation.slug}/demande/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organiser une manifestation")
    tableau = page.get_by_role("table", name="Budget prévisionnel")
    expect(tableau).to_be_visible()
    expect(page.locator("#id_lieu-carte")).to_be_visible()  # the map, drawn by carte.js
    assert_accessible(page, "vide")

    # Typed numbers: the row's calcul cell, the column totals and the calcul field update.
    _cellule(page, "Subventions Quantité").fill("2")
    _cellule(page, "Subventions Prix unitaire").fill("10,50")
    expect(_cellule(page, "Subventions Montant")).to_have_value("21.00")
    _cellule(page, "Cotisations Quantité").fill("3")
    _cellule(page, "Cotisations Prix unitaire").fill("100")
    expect(_cellule(page, "Cotisations Montant")).to_have_value("300.00")
    totaux = tableau.locator("tfoot td")
    expect(totaux.nth(0)).to_have_text("5")
    expect(totaux.nth(2)).to_have_text("321,00")
    expect(page.get_by_label("Total du budget")).to_have_value("321.00")

    # Nothing drawn: the GeoJSON typed in the textarea is what counts.
    page.get_by_label("Lieu de la manifestation").fill(json.dumps(POLYGONE))
    cuisine = page.get_by_label("Utiliserez-vous la cuisine du foyer ?")
    expect(cuisine).to_be_hidden()  # shown only when the foyer is the first choice
    page.get_by_role("combobox", name="1er choix").select_option(label="Foyer")
    expect(cuisine).to_be_visible()
    page.get_by_role("combobox", name="2e choix").select_option(label="Grande salle")
    # With JavaScript, two ranks swap with a button (the condition follows).
    page.get_by_role("button", name="Descendre le 1er choix").click()
    expect(page.get_by_role("combobox", name="1er choix")).to_have_value("grande")
    expect(page.get_by_role("combobox", name="2e choix")).to_have_value("foyer")
    expect(cuisine).to_be_hidden()
    page.get_by_role("button", name="Monter le 2e choix").click()
    expect(page.get_by_role("combobox", name="1er choix")).to_have_value("foyer")
    expect(cuisine).to_be_visible()
    cuisine.fill("Oui, pour un repas")
    assert_accessible(page, "calculs_en_direct")

    # A bad cell: its French error in the cell, every typed value kept.
    _cellule(page, "Cotisations Quantité").fill("trois")
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_text("Une cellule du tableau est à corriger.")).to_be_visible()
    cellule = _cellule(page, "Cotisations Quantité")
    expect(cellule).to_have_value("trois")
    expect(cellule).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_budget-cotisations-quantite-erreur")).to_have_text(
        "Saisissez un nombre entier, sans virgule (exemple : 12)."
    )
    expect(_cellule(page, "Subventions Prix unitaire")).to_have_value("10,50")
    expect(page.get_by_label("Lieu de la manifestation")).to_have_value(json.dumps(POLYGONE))
    expect(page.get_by_role("combobox", name="1er choix")).to_have_value("foyer")
    assert_accessible(page, "erreur_de_cellule")

    _cellule(page, "Cotisations Quantité").fill("3")
    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    assert_accessible(page, "deposee")

    donnees = Dossier.objects.get(dispositif=manifestation).donnees
    assert donnees["budget"] == {
        "subventions": {"quantite": 2, "prix": "10.50", "montant": "21.00"},
        "cotisations": {"quantite": 3, "prix": "100.00", "montant": "300.00"},
    }
    assert donnees["total_budget"] == "321.00"
    assert donnees["lieu"]["features"][0]["geometry"] == POLYGONE
    assert donnees["voeux"] == ["foyer", "grande"]
    assert donnees["cuisine_foyer"] == "Oui, pour un repas"


def _cliquer(page, x, y):
    """A click as a hand makes it: the pointer moves there first (Leaflet.draw follows
    the pointer with its own marker and takes the click on it)."""
    page.mouse.move(x, y, steps=4)
    page.mouse.down()
    page.mouse.up()


@pytest.fixture
def benne_carte():
    """A form with one map field: a spot (a point) and a surface (a polygon), two at most."""
    modele = _modele()
    ligne = modele["onglets"][0]["lignes"][2]
    ligne["champs"][0] |= {
        "options": {"geometries": ["Point", "Polygon"], "max_elements": 2},
        "proprietes": FACULTATIF,
    }
    modele["onglets"][0] |= {"titre": "Emplacement de la benne", "lignes": [ligne]}
    modele["dispositif"] = "BEN"
    dispositif = DispositifFactory(code="BEN", slug="benne-carte", titre="Dépôt d’une benne")
    services.modele_publier(modele=services.modele_importer(modele, dispositif=dispositif), by=None)
    return dispositif


def test_drawing_on_the_map_with_the_mouse_fills_the_geojson(
    page, citizen, benne_carte, live_server
):
    """Leaflet.draw with the mouse (no tiles in tests): a polygon of three clicks closed
    on its first point, then a marker; the textarea receives the GeoJSON, the server
    stores it validated."""
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    _connecter(page, citizen, live_server)
    page.goto(f"/demarches/{benne_carte.slug}/demande/")
    carte = page.locator("#id_lieu-carte")
    expect(carte).to_be_visible()
    zone = page.get_by_label("Lieu de la manifestation")
    expect(zone).to_have_value("")
    assert_accessible(page, "carte_vide")

    boite = carte.bounding_box()
    x, y = boite["x"] + boite["width"] / 2, boite["y"] + boite["height"] / 2
    page.get_by_role("link", name="Tracer un polygone").click()
    sommets = page.locator(".leaflet-editing-icon")
    for n, (dx, dy) in enumerate(((-80, -60), (80, -60), (80, 60), (-80, 60)), start=1):
        _cliquer(page, x + dx, y + dy)
        # On a loaded machine Leaflet.draw may take two quick clicks for a double click
        # and drop one: each corner is checked before the next.
        if sommets.count() < n:
            page.wait_for_timeout(400)
            if sommets.count() < n:
                _cliquer(page, x + dx, y + dy)
        expect(sommets).to_have_count(n)
    _cliquer(page, x - 80, y - 60)  # on the first corner: the polygon closes
    expect(zone).not_to_have_value("")
    expect(page.locator("#id_lieu-carte-annonce")).to_have_text(
        "Tracé ajouté ; le champ texte est mis à jour."
    )
    page.get_by_role("link", name="Placer un point").click()
    _cliquer(page, x + 150, y)
    expect(zone).to_have_value(re.compile('"Point"'))
    saisi = json.loads(zone.input_value())
    assert saisi["type"] == "FeatureCollection"
    assert [f["geometry"]["type"] for f in saisi["features"]] == ["Polygon", "Point"]
    anneau = saisi["features"][0]["geometry"]["coordinates"][0]
    assert len(anneau) == 5 and anneau[0] == anneau[-1]  # four corners, closed
    assert_accessible(page, "carte_dessinee")

    # Past the field's maximum (two), a third drawing is refused and announced.
    page.get_by_role("link", name="Placer un point").click()
    _cliquer(page, x - 150, y)
    expect(page.locator("#id_lieu-carte-annonce")).to_contain_text("le maximum pour ce champ")
    assert len(json.loads(zone.input_value())["features"]) == 2

    page.get_by_role("button", name="Déposer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est déposée")
    assert_accessible(page, "carte_deposee")

    stocke = Dossier.objects.get(dispositif=benne_carte).donnees["lieu"]
    assert stocke["type"] == "FeatureCollection"
    polygone, point = (f["geometry"] for f in stocke["features"])
    assert polygone["type"] == "Polygon" and point["type"] == "Point"
    # Around the map's centre (the authority's, 47.5028 N 2.8508 E, zoom 14).
    lon, lat = point["coordinates"]
    assert 2.84 < lon < 2.87 and 47.49 < lat < 47.51
    assert all(2.84 < p[0] < 2.87 and 47.49 < p[1] < 47.51 for p in polygone["coordinates"][0])
    anneau = polygone["coordinates"][0]
    assert anneau[0] == anneau[-1] and len(anneau) == 5
    # What the server stored is its own type's clean value: valid GeoJSON, unchanged.
    from dossiers.champs import Definition, get

    definition = Definition(
        nom="lieu",
        libelle="Lieu",
        type="carte",
        options={"geometries": ["Point", "Polygon"], "max_elements": 2},
    )
    assert get("carte").clean(definition, json.dumps(stocke)) == stocke
