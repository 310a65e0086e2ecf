"""carte (F13): GeoJSON drawn on a map or typed, validated on the server."""

import json

import pytest
from django import forms
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from dossiers.champs import get
from tests.dossiers.champs.outils import definition, propre, refus, sorties

CARRE = [[2.85, 47.5], [2.851, 47.5], [2.851, 47.501], [2.85, 47.501], [2.85, 47.5]]
POLYGONE = {"type": "Polygon", "coordinates": [CARRE]}


def _collection(*geometries):
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries],
    }


def test_text_feature_or_geometry_is_stored_as_a_feature_collection():
    attendu = _collection(POLYGONE)
    assert propre("carte", json.dumps(POLYGONE)) == attendu
    assert (
        propre("carte", {"type": "Feature", "geometry": POLYGONE, "properties": {"x": 1}})
        == attendu
    )
    assert propre("carte", attendu) == attendu
    point = propre("carte", '{"type": "Point", "coordinates": [2.123456789, 47.5, 120]}')
    assert point["features"][0]["geometry"]["coordinates"] == [2.1234568, 47.5]


def test_empty_and_required():
    assert propre("carte", "") is None
    assert propre("carte", "  ") is None
    assert propre("carte", {"type": "FeatureCollection", "features": []}) is None
    assert refus("carte", "", obligatoire=True) == (
        "Tracez au moins un élément sur la carte ou saisissez-le en GeoJSON."
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "{pas du json",
            "Ce texte n’est pas du GeoJSON valide : vérifiez les accolades et les virgules.",
        ),
        ('{"type": "Cercle"}', "Ce tracé n’est pas du GeoJSON valide (type inconnu)."),
        (
            '{"type": "MultiPoint", "coordinates": [[1, 2]]}',
            "Type de géométrie non pris en charge : point, ligne ou polygone seulement.",
        ),
        (
            '{"type": "Point", "coordinates": [47.5, 200]}',
            "Coordonnées hors limites : la longitude va de -180 à 180 et la latitude de -90 à 90 (l’ordre est [longitude, latitude]).",
        ),
        (
            '{"type": "Point", "coordinates": ["2", "47"]}',
            "Une position doit s’écrire [longitude, latitude], avec deux nombres.",
        ),
        (
            '{"type": "Point", "coordinates": [NaN, 47]}',
            "Une position doit s’écrire [longitude, latitude], avec deux nombres.",
        ),
        (
            '{"type": "LineString", "coordinates": [[2, 47]]}',
            "Une ligne doit compter au moins deux points.",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}',
            "Le polygone n’est pas fermé : sa dernière position doit être égale à la première.",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}',
            "Un contour de polygone compte au moins quatre positions (trois points et le retour au premier).",
        ),
        (
            '{"type": "FeatureCollection", "features": {}}',
            "Une FeatureCollection doit contenir une liste « features ».",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Point"}]}',
            "Chaque élément doit être une « Feature » GeoJSON.",
        ),
        ("[1, 2]", "Ce tracé n’est pas du GeoJSON valide."),
        (["a"], "Ce tracé n’est pas du GeoJSON valide."),
        ("[" * 100_001, "Le tracé est trop volumineux (100 Ko au plus) : simplifiez-le."),
    ],
)
def test_malformed_geojson_is_refused_in_french(raw, message):
    assert refus("carte", raw) == message


def test_options_geometry_types_and_max_features():
    options = {"geometries": ["Point"], "max_elements": 2}
    assert refus("carte", POLYGONE, options=options) == "Ce champ n’accepte que : point."
    trois = _collection(*[{"type": "Point", "coordinates": [2.85, 47.5]}] * 3)
    assert refus("carte", trois, options=options) == "Tracez au plus 2 élément(s) sur la carte."
    formulaire = get("carte").Options(data={"latitude": 47.2})
    assert not formulaire.is_valid()
    assert "Indiquez la latitude et la longitude du centre" in formulaire.errors.as_text()
    assert not get("carte").Options(data={"geometries": ["Circle"]}).is_valid()


def test_display_export_variable():
    stocke = _collection(
        POLYGONE,
        {"type": "Point", "coordinates": [2.85, 47.5]},
        {"type": "LineString", "coordinates": [[2.85, 47.5], [2.86, 47.5]]},
    )
    affichage, export, export_cles, variable = sorties("carte", stocke)
    # 0.001° × 0.001° at 47.5° N: about 75 m × 111 m.
    assert affichage == "1 point, 1 ligne (longueur ≈ 752 m), 1 polygone (surface ≈ 8\u202f372 m²)"
    assert json.loads(export) == stocke and export == export_cles
    assert variable == stocke
    assert sorties("carte", None) == ("", "", "", {})
    # A hand-edited row is shown as it is, never breaks the page.
    assert sorties("carte", {"type": "x"})[0] == "{'type': 'x'}"


_LONGITUDES = st.floats(min_value=-180, max_value=180, allow_nan=False)
_LATITUDES = st.floats(min_value=-90, max_value=90, allow_nan=False)
_POSITIONS = st.tuples(_LONGITUDES, _LATITUDES).map(list)
_GEOMETRIES = st.one_of(
    _POSITIONS.map(lambda p: {"type": "Point", "coordinates": p}),
    st.lists(_POSITIONS, min_size=2, max_size=6).map(
        lambda ps: {"type": "LineString", "coordinates": ps}
    ),
    st.lists(_POSITIONS, min_size=3, max_size=6).map(
        lambda ps: {"type": "Polygon", "coordinates": [[*ps, ps[0]]]}
    ),
)


@given(geometries=st.lists(_GEOMETRIES, min_size=1, max_size=10))
def test_any_valid_drawing_is_accepted_once_and_for_all(geometries):
    stocke = propre("carte", json.dumps(_collection(*geometries)))
    assert len(stocke["features"]) == len(geometries)
    assert propre("carte", stocke) == stocke  # idempotent
    assert json.loads(json.dumps(stocke)) == stocke
    assert get("carte").affichage(definition("carte"), stocke)


@given(
    longitude=st.floats(allow_nan=True, allow_infinity=True),
    latitude=st.floats(allow_nan=True, allow_infinity=True),
)
def test_a_point_is_accepted_exactly_when_its_coordinates_are_in_range(longitude, latitude):
    raw = {"type": "Point", "coordinates": [longitude, latitude]}
    dans_les_bornes = -180 <= longitude <= 180 and -90 <= latitude <= 90
    if dans_les_bornes:
        assert propre("carte", raw)["features"][0]["geometry"]["type"] == "Point"
    else:
        assert refus("carte", raw)


@given(positions=st.lists(_POSITIONS, min_size=4, max_size=8))
def test_a_ring_is_accepted_exactly_when_closed(positions):
    raw = {"type": "Polygon", "coordinates": [positions]}
    ferme = [round(x, 7) for x in positions[0]] == [round(x, 7) for x in positions[-1]]
    if ferme:
        assert propre("carte", raw)
    else:
        assert "n’est pas fermé" in refus("carte", raw)


def test_widget_textarea_then_map_with_media_and_settings():
    champ = get("carte").form_field(definition("carte", nom="lieu", libelle="Lieu de l’événement"))
    formulaire = type("Formulaire", (forms.Form,), {"lieu": champ})
    html = str(formulaire(initial={"lieu": _collection(POLYGONE)}))
    assert '<label class="fr-label" for="id_lieu">' in html
    assert "Dessinez sur la carte ou saisissez le tracé en GeoJSON" in html
    assert "&quot;type&quot;: &quot;FeatureCollection&quot;" in html  # the stored GeoJSON
    assert 'data-carte="id_lieu"' in html and 'aria-label="Carte de dessin' in html
    assert "&quot;tuiles&quot;: &quot;&quot;" in html  # no tile server in tests
    media = str(formulaire().media)
    assert "leaflet/leaflet.js" in media and "leaflet/draw/leaflet.draw.js" in media
    assert "js/carte.js" in media and "leaflet/leaflet.css" in media
    lie = formulaire(data={"lieu": '{"type": "Point"'})
    assert not lie.is_valid()
    assert "{&quot;type&quot;: &quot;Point&quot;</textarea>" in str(lie)  # typed input kept


@override_settings(GUICHET_CARTE_CENTRE=[45.0, 1.0], GUICHET_CARTE_ZOOM=10)
def test_centre_comes_from_the_field_else_from_the_settings():
    carte = get("carte")
    assert carte.reglages(definition("carte"))["centre"] == [45.0, 1.0]
    assert carte.reglages(definition("carte"))["zoom"] == 10
    reglages = carte.reglages(
        definition("carte", options={"latitude": 47, "longitude": 2, "zoom": 16})
    )
    assert (reglages["centre"], reglages["zoom"]) == ([47.0, 2.0], 16)
