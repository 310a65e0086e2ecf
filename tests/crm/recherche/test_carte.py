"""The CRM map (C9): JSON groups or points for a box, the page and its table."""

import pytest
from django.urls import reverse

from dossiers import selectors_carte as carte
from dossiers.models import Dossier
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.crm.recherche.conftest import CENTRE, dossiers_situes, situer
from tests.queries import assert_page_budget
from tests.usagers.factories import IndividuFactory

pytestmark = pytest.mark.django_db

DONNEES = reverse("crm:carte_donnees")
PAGE = reverse("crm:carte")
# A box around CENTRE holding every dossier of `dossiers_situes`.
BBOX = f"{CENTRE[1] - 0.05},{CENTRE[0] - 0.05},{CENTRE[1] + 0.05},{CENTRE[0] + 0.05}"


def _donnees(client, **parametres):
    return client.get(DONNEES, {"bbox": BBOX, "zoom": "14", **parametres})


@pytest.mark.parametrize(
    "parametres",
    [
        {"bbox": "", "zoom": "14"},
        {"bbox": "a,b,c,d", "zoom": "14"},
        {"bbox": "1,2,3", "zoom": "14"},
        {"bbox": "1,2,3,4,5", "zoom": "14"},
        {"bbox": "nan,2,3,4", "zoom": "14"},
        {"bbox": "inf,2,3,4", "zoom": "14"},
        {"bbox": "3,2,1,4", "zoom": "14"},  # west east of east
        {"bbox": "1,4,3,2", "zoom": "14"},  # south north of north
        {"bbox": "1," * 500 + "1", "zoom": "14"},
        {"bbox": BBOX, "zoom": ""},
        {"bbox": BBOX, "zoom": "douze"},
        {"bbox": BBOX, "zoom": "-1"},
        {"bbox": BBOX, "zoom": "99"},
        {"bbox": BBOX, "zoom": "1e9"},
    ],
)
def test_garbage_box_or_zoom_is_a_400_in_json(client_as, parametres):
    response = client_as("instructeur").get(DONNEES, parametres)
    assert response.status_code == 400
    assert response.json()["erreur"]


def test_few_dossiers_come_as_points_with_their_statut(client_as, dispositif):
    dossiers = dossiers_situes(dispositif, 3)
    deposer(dispositif, individu=IndividuFactory())  # no address: not on the map
    ailleurs = situer(deposer(dispositif, individu=IndividuFactory()), 45.0, 1.0)
    reponse = _donnees(client_as("instructeur")).json()
    assert reponse["total"] == 3 and reponse["groupes"] == []
    assert {p["reference"] for p in reponse["points"]} == {d.reference for d in dossiers}
    assert ailleurs.reference not in str(reponse)
    point = reponse["points"][0]
    assert point["statut"] == "Déposé" and point["couleur"] == "#0063cb"
    assert point["url"].startswith("/crm/dossiers/")


def test_many_dossiers_come_as_groups_whose_counts_sum_up(client_as, dispositif, monkeypatch):
    monkeypatch.setattr(carte, "MAX_POINTS", 5)
    dossiers_situes(dispositif, 30)
    pres = f"{CENTRE[1] - 0.01},{CENTRE[0] - 0.01},{CENTRE[1] + 0.01},{CENTRE[0] + 0.01}"
    reponse = _donnees(client_as("instructeur"), bbox=pres, zoom="16").json()
    assert reponse["points"] == []
    assert sum(g["nombre"] for g in reponse["groupes"]) == reponse["total"] == 30
    assert 1 < len(reponse["groupes"]) < 30
    # Zoomed out the same dossiers fall in fewer groups.
    loin = _donnees(client_as("instructeur"), zoom="5").json()
    assert [g["nombre"] for g in loin["groupes"]] == [30]


def test_a_huge_box_at_a_high_zoom_stays_within_max_groups(client_as, dispositif, monkeypatch):
    monkeypatch.setattr(carte, "MAX_POINTS", 0)
    dossiers_situes(dispositif, 30)
    emprise = carte.lire_emprise("-180,-90,180,90")
    assert carte.taille_cellule(emprise, 20) > 0
    reponse = _donnees(client_as("instructeur"), bbox="-180,-90,180,90", zoom="20").json()
    assert len(reponse["groupes"]) <= carte.MAX_CELLULES
    assert sum(g["nombre"] for g in reponse["groupes"]) == 30


def test_filtered_like_the_list(client_as, dispositif):
    autre = dispositif_publie(code="SAL")
    dossiers_situes(dispositif, 2)
    salle = dossiers_situes(autre, 1, debut=5)[0]
    Dossier.objects.filter(pk=salle.pk).update(urgent=True)
    client = client_as("instructeur")
    assert [p["reference"] for p in _donnees(client, dispositif=autre.pk).json()["points"]] == [
        salle.reference
    ]
    assert _donnees(client, drapeau="urgent").json()["total"] == 1
    assert _donnees(client, q=salle.reference).json()["total"] == 1
    # A malformed dispositif gives nothing, as on the list (never a 500, never the
    # whole map): issue 9 — terr.
    refuse = _donnees(client, dispositif="abc").json()
    assert refuse["total"] == 0 and refuse["refus"] == ["Dispositif inconnu ou hors de vos droits."]
    assert _donnees(client).json()["refus"] == []


def test_scope_drafts_are_never_on_the_map(client_as, dispositif):
    from dossiers import services

    brouillon = services.dossier_commencer(dispositif=dispositif, user=None, profil=None)
    brouillon.donnees = {"adresse": {"lat": CENTRE[0], "lon": CENTRE[1]}}
    brouillon.save()
    dossiers_situes(dispositif, 1)
    reponse = _donnees(client_as("instructeur")).json()
    assert reponse["total"] == 1
    assert [p["reference"] for p in reponse["points"]] != [""]


def test_query_budget_of_the_data_independent_of_the_data(client_as, dispositif, monkeypatch):
    dossiers_situes(dispositif, 10)
    client = client_as("instructeur")
    url = f"{DONNEES}?bbox={BBOX}&zoom=14"
    assert_page_budget(
        client, url, budget=BUDGET_DONNEES, grow=lambda: dossiers_situes(dispositif, 50, debut=10)
    )
    # Past MAX_POINTS: groups, fewer queries, and no more with more dossiers.
    monkeypatch.setattr(carte, "MAX_POINTS", 5)
    assert_page_budget(
        client, url, budget=BUDGET_GROUPES, grow=lambda: dossiers_situes(dispositif, 20, debut=60)
    )


def test_the_page_lists_what_the_map_shows(client_as, dispositif):
    dossiers = dossiers_situes(dispositif, 2)
    response = client_as("instructeur").get(PAGE, {"bbox": BBOX, "zoom": "14"})
    assert response.status_code == 200
    html = response.content.decode()
    for dossier in dossiers:
        assert reverse("crm:dossier", args=[dossier.pk]) in html
    assert "2 dossiers dans la zone affichée" in html
    assert 'id="carte-reglages"' in html and "leaflet/leaflet.js" in html


def test_the_page_without_box_opens_on_the_settings_centre(client_as, dispositif, settings):
    settings.GUICHET_CARTE_CENTRE = list(CENTRE)
    settings.GUICHET_CARTE_ZOOM = 14
    dossiers_situes(dispositif, 1)
    response = client_as("instructeur").get(PAGE)
    assert response.context["donnees"].total == 1


def test_the_page_with_groups_links_to_zoom_without_javascript(client_as, dispositif, monkeypatch):
    monkeypatch.setattr(carte, "MAX_POINTS", 5)
    dossiers_situes(dispositif, 30)
    response = client_as("instructeur").get(PAGE, {"bbox": BBOX, "zoom": "12", "drapeau": ""})
    html = response.content.decode()
    assert "Zoomer sur ces" in html and "zoom=14" in html


def test_the_page_with_a_bad_box_says_so_and_shows_the_default(client_as):
    response = client_as("instructeur").get(PAGE, {"bbox": "n'importe quoi", "zoom": "3"})
    assert response.status_code == 200
    assert "L’emprise doit compter quatre nombres" in response.content.decode()


def test_query_budget_of_the_page(client_as, dispositif):
    dossiers_situes(dispositif, 10)
    assert_page_budget(
        client_as("instructeur"),
        f"{PAGE}?bbox={BBOX}&zoom=14",
        budget=BUDGET_PAGE,
        grow=lambda: dossiers_situes(dispositif, 50, debut=10),
    )


# Session and user, the groups, the points, their statuts (the instruction guide's
# provider: a few queries whatever the number of points) and the scope (C7, C8). The
# list's filters are parsed without their option lists (issue 9 — tableau:
# `formulaire_et_dossiers(options=False)`; 10 before, with the dispositifs, territoires
# and agents read for nothing).
BUDGET_DONNEES = 7
# Session and user, the groups, the scope (8 before).
BUDGET_GROUPES = 5
# The same, and the list's filter form (its dispositifs, territoires, agents, and the
# équipes and étiquettes in one query), and the territory outlines with their legend (one
# query, whatever the number of territoires and secteurs).
BUDGET_PAGE = 12


def test_the_list_links_to_the_map_with_its_filters(client_as, dispositif):
    response = client_as("instructeur").get(reverse("crm:dossiers"), {"drapeau": "urgent"})
    assert f'href="{PAGE}?drapeau=urgent"' in response.content.decode()


def test_without_territoires_the_outlines_are_an_empty_feature_collection(client_as, instructeur):
    assert carte.contours_territoires(instructeur) == {"type": "FeatureCollection", "features": []}
    html = client_as("instructeur").get(PAGE).content.decode()
    assert 'id="carte-contours"' in html and 'id="carte-legende"' not in html


def test_zoomed_out_without_filters_the_groups_come_from_the_cells_counters(
    client_as, users, dispositif, monkeypatch
):
    """Issue 9's benchmark: a commune's box at zoom 13 holds half a million dossiers at
    scale. Without list filters, zoom 13 and coarser read the zoom-13 cells' counters
    (dossiers.models.CompteurCarte): the same groups as grouping the dossiers, from a
    few rows; a filter, or a finer zoom, groups the dossiers themselves."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dossiers.selectors import dossiers_visible_to

    monkeypatch.setattr(carte, "MAX_POINTS", 5)
    dossiers_situes(dispositif, 30)
    agent = users["instructeur"]
    emprise = carte.lire_emprise(BBOX)
    for zoom in (13, 12, 9):
        comptees = carte.donnees_carte_comptees(agent, emprise, zoom)
        groupees = carte.donnees_carte(dossiers_visible_to(agent), emprise, zoom)
        assert comptees.total == groupees.total == 30
        assert [(g.nombre, g.latitude, g.longitude) for g in comptees.groupes] == [
            (g.nombre, pytest.approx(g.latitude), pytest.approx(g.longitude))
            for g in groupees.groupes
        ]
    assert carte.donnees_carte_comptees(agent, emprise, 14) is None  # finer: the dossiers
    client = client_as("instructeur")
    with CaptureQueriesContext(connection) as capture:
        reponse = _donnees(client, zoom="13").json()
    assert sum(g["nombre"] for g in reponse["groupes"]) == reponse["total"] == 30
    sql = " ".join(q["sql"] for q in capture.captured_queries)
    assert "dossiers_compteurcarte" in sql and '"dossiers_dossier"' not in sql
    # A list filter: the dossiers themselves (the counters know no flag nor field).
    with CaptureQueriesContext(connection) as capture:
        assert _donnees(client, zoom="13", drapeau="urgent").json()["total"] == 0
    assert "dossiers_compteurcarte" not in " ".join(q["sql"] for q in capture.captured_queries)
