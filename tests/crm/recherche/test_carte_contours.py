"""Territory outlines on the CRM map (C9 × C8): the polygon secteurs of the agent's
territoires drawn, communes and postal codes listed in the legend, capped, one query."""

import json

import pytest
from django.urls import reverse

from dossiers import selectors_carte as carte
from dossiers.models import Secteur
from tests.accounts.factories import UserFactory
from tests.dossiers.factories import TerritoireFactory, donner_droits
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

PAGE = reverse("crm:carte")


def _carre(x: float, y: float, cote: float = 0.01) -> dict:
    anneau = [[x, y], [x + cote, y], [x + cote, y + cote], [x, y + cote], [x, y]]
    return {"type": "Polygon", "coordinates": [anneau]}


def _secteur(territoire, **champs) -> Secteur:
    secteur = Secteur(territoire=territoire, **champs)
    secteur.full_clean()
    secteur.save()
    return secteur


@pytest.fixture
def territoires(db):
    ville = TerritoireFactory(nom="Belleville")
    _secteur(ville, nature="commune", code_insee="18026")
    bourg = TerritoireFactory(nom="Quartier du Bourg", parent=ville)
    _secteur(bourg, nature="polygone", libelle="Bourg et gare", polygone=_carre(2.84, 47.49))
    voisines = TerritoireFactory(nom="Communes voisines")
    _secteur(voisines, nature="code_postal", code_postal="18240", code_insee="18125")
    _secteur(voisines, nature="polygone", libelle="Étang", polygone=_carre(2.9, 47.5))
    return ville, bourg, voisines


def test_an_agent_of_the_whole_collectivite_gets_every_polygon(instructeur, territoires):
    contours = carte.contours_territoires(instructeur)
    assert contours["type"] == "FeatureCollection"
    noms = sorted(f["properties"]["nom"] for f in contours["features"])
    assert noms == ["Communes voisines", "Quartier du Bourg"]
    bourg = next(f for f in contours["features"] if f["properties"]["nom"] == "Quartier du Bourg")
    assert bourg["geometry"] == _carre(2.84, 47.49)
    assert bourg["properties"]["secteur"] == "Bourg et gare"
    assert bourg["properties"]["couleur"].startswith("#")


def test_a_restricted_agent_gets_its_territoires_and_their_sous_territoires(territoires):
    ville, bourg, voisines = territoires
    agent = UserFactory(agent=True)
    donner_droits(agent, territoires=[ville])
    legende = carte.legende_territoires(agent)
    assert [t.nom for t in legende.territoires] == ["Belleville", "Quartier du Bourg"]
    assert [f["properties"]["nom"] for f in legende.geojson["features"]] == ["Quartier du Bourg"]
    # The commune is listed, not drawn: no commune geometry is shipped.
    (commune,) = legende.territoires[0].non_dessines
    assert commune.libelle == "Commune 18026 – Belleville-sur-Loire" and not commune.dessine
    assert "Étang" not in json.dumps(legende.geojson)


def test_the_page_draws_and_lists_them(client_as, territoires, instructeur):
    html = client_as("instructeur").get(PAGE).content.decode()
    contours = json.loads(
        html.split('id="carte-contours" type="application/json">')[1].split("<")[0]
    )
    assert len(contours["features"]) == 2
    legende = html.split('id="carte-legende"')[1]
    for texte in ("Belleville", "Commune 18026 – Belleville-sur-Loire", "Bourg et gare", "Léré"):
        assert texte in legende
    assert "Afficher les contours des territoires" in html


def test_the_outlines_are_capped(instructeur, monkeypatch):
    territoire = TerritoireFactory(nom="Damier")
    for i in range(4):
        _secteur(territoire, nature="polygone", polygone=_carre(2.8 + i / 100, 47.5))
    monkeypatch.setattr(carte, "MAX_SECTEURS_CONTOURS", 3)
    legende = carte.legende_territoires(instructeur)
    assert legende.tronque and len(legende.geojson["features"]) == 3
    monkeypatch.setattr(carte, "MAX_SECTEURS_CONTOURS", 10)
    monkeypatch.setattr(carte, "MAX_POINTS_CONTOURS", 10)  # two squares of five points
    legende = carte.legende_territoires(instructeur)
    assert legende.tronque and len(legende.geojson["features"]) == 2
    assert len(legende.territoires[0].non_dessines) == 2


def test_one_query_whatever_the_number_of_territoires(client_as, instructeur, territoires):
    client = client_as("instructeur")
    avant, _ = count_queries(client, PAGE)
    for i in range(5):
        territoire = TerritoireFactory(parent=territoires[0])
        _secteur(territoire, nature="polygone", polygone=_carre(2.7 + i / 100, 47.4))
        _secteur(territoire, nature="commune", code_insee="18032")
    apres, response = count_queries(client, PAGE)
    assert apres == avant
    assert len(response.context["legende"].geojson["features"]) == 7


# Issue 9 — suivi9: a territoire without secteurs is listed, not drawn.


def test_a_territoire_without_secteurs_is_listed_not_drawn(client_as, instructeur, territoires):
    TerritoireFactory(nom="Hameaux", parent=territoires[0])
    legende = carte.legende_territoires(instructeur)
    hameaux = next(t for t in legende.territoires if t.nom == "Hameaux")
    assert (hameaux.secteurs, hameaux.couleur, hameaux.parent) == ([], "", "Belleville")
    assert "Hameaux" not in json.dumps(legende.geojson)
    # Colours go to the territoires drawn only: the others keep theirs.
    assert len({t.couleur for t in legende.territoires if t.secteurs}) == 3
    html = client_as("instructeur").get(PAGE).content.decode()
    ligne = html.split('id="carte-legende"')[1].split("Hameaux")[1].split("</tr>")[0]
    assert '<td colspan="2">aucun secteur défini</td>' in ligne


def test_territoires_without_secteurs_cost_no_query(client_as, instructeur, territoires):
    client = client_as("instructeur")
    avant, _ = count_queries(client, PAGE)
    for i in range(5):
        TerritoireFactory(nom=f"Vide {i}")
    apres, response = count_queries(client, PAGE)
    assert apres == avant
    assert sum(1 for t in response.context["legende"].territoires if not t.secteurs) == 5


def test_only_territoires_without_secteurs(instructeur):
    TerritoireFactory(nom="Seul")
    legende = carte.legende_territoires(instructeur)
    assert [(t.nom, t.secteurs) for t in legende.territoires] == [("Seul", [])]
    assert legende.geojson["features"] == [] and not legende.tronque
