"""Sectorisation (C8): a dossier's territoire from its address."""

import pytest
from django.core.exceptions import ValidationError

from dossiers import services_territoires as st
from dossiers.geometrie import GeometrieInvalide, contient, valider_polygone
from dossiers.models import Dossier, Secteur
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import TerritoireFactory

pytestmark = pytest.mark.django_db

CARRE = {
    "type": "Polygon",
    "coordinates": [[[2.0, 47.0], [3.0, 47.0], [3.0, 48.0], [2.0, 48.0], [2.0, 47.0]]],
}
TROU = [[2.4, 47.4], [2.6, 47.4], [2.6, 47.6], [2.4, 47.6], [2.4, 47.4]]


def _secteur(territoire, **kwargs):
    secteur = Secteur(territoire=territoire, **kwargs)
    secteur.full_clean()
    secteur.save()
    return secteur


def test_point_in_polygon_with_holes_and_multipolygons():
    assert contient(CARRE, 2.5, 47.5)
    assert not contient(CARRE, 3.5, 47.5)
    troue = {"type": "Polygon", "coordinates": [CARRE["coordinates"][0], TROU]}
    assert not contient(troue, 2.5, 47.5)
    assert contient(troue, 2.1, 47.1)
    multi = {"type": "MultiPolygon", "coordinates": [[TROU], CARRE["coordinates"]]}
    assert contient(multi, 2.5, 47.5)
    assert not contient(None, 2.5, 47.5)


@pytest.mark.parametrize(
    "geometrie",
    [
        None,
        "POLYGON",
        {"type": "Point", "coordinates": [2, 47]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[2, 47], [3, 47], [2, 47]]]},
        {"type": "Polygon", "coordinates": [[[2, 47], [3, 47], [3, 48], [2, 48]]]},
        {"type": "Polygon", "coordinates": [[[2, 47], [3, "x"], [3, 48], [2, 47]]]},
        {"type": "Polygon", "coordinates": [[[2, 47], [300, 47], [3, 48], [2, 47]]]},
    ],
)
def test_invalid_geometries_are_refused_in_french(geometrie):
    with pytest.raises(GeometrieInvalide):
        valider_polygone(geometrie)


def test_a_feature_is_reduced_to_its_geometry():
    assert valider_polygone({"type": "Feature", "geometry": CARRE, "properties": {}}) == CARRE


def test_secteur_validation():
    territoire = TerritoireFactory()
    with pytest.raises(ValidationError) as erreur:
        _secteur(territoire, nature="commune", code_insee="99999")
    assert "code_insee" in erreur.value.message_dict
    with pytest.raises(ValidationError) as erreur:
        _secteur(territoire, nature="code_postal", code_postal="18240", code_insee="45234")
    assert "code_insee" in erreur.value.message_dict
    with pytest.raises(ValidationError) as erreur:
        _secteur(territoire, nature="code_postal", code_postal="00000")
    assert "code_postal" in erreur.value.message_dict
    with pytest.raises(ValidationError) as erreur:
        _secteur(territoire, nature="polygone", polygone={"type": "Point"})
    assert "polygone" in erreur.value.message_dict


ADRESSE_BELLEVILLE = {
    "code_postal": "18240",
    "commune": "Belleville-sur-Loire",
    "code_insee": "18026",
    "lon": 2.8522,
    "lat": 47.5014,
}


def test_insee_code_wins_over_postal_code():
    par_cp = TerritoireFactory(nom="Canton")
    par_insee = TerritoireFactory(nom="Belleville")
    _secteur(par_cp, nature="code_postal", code_postal="18240")
    _secteur(par_insee, nature="commune", code_insee="18026")
    assert st.territoire_pour(st.localiser(ADRESSE_BELLEVILLE)) == par_insee.pk
    leré = {"code_postal": "18240", "commune": "Léré", "code_insee": "18125"}
    assert st.territoire_pour(st.localiser(leré)) == par_cp.pk


def test_a_shared_postal_code_is_resolved_by_the_commune():
    belleville = TerritoireFactory(nom="Belleville")
    boulleret = TerritoireFactory(nom="Boulleret")
    _secteur(belleville, nature="code_postal", code_postal="18240", code_insee="18026")
    _secteur(boulleret, nature="code_postal", code_postal="18240", code_insee="18032")
    assert st.territoire_pour(st.localiser(ADRESSE_BELLEVILLE)) == belleville.pk
    # Typed by hand, without an INSEE code: the commune's name picks among the seven.
    a_la_main = {"code_postal": "18240", "commune": "boulleret"}
    assert st.localiser(a_la_main).code_insee == "18032"
    assert st.territoire_pour(st.localiser(a_la_main)) == boulleret.pk
    # A name matching none of them: no commune, so neither narrowed secteur matches.
    inconnue = {"code_postal": "18240", "commune": "Ailleurs"}
    assert st.localiser(inconnue).code_insee == ""
    assert st.territoire_pour(st.localiser(inconnue)) is None


def test_a_postal_code_of_one_commune_gives_its_insee_code():
    assert st.localiser({"code_postal": "45000", "commune": ""}).code_insee == "45234"


def test_polygon_wins_and_the_deepest_territory_wins():
    ville = TerritoireFactory(nom="Ville")
    quartier = TerritoireFactory(nom="Quartier", parent=ville)
    ilot = TerritoireFactory(nom="Îlot", parent=quartier)
    _secteur(ville, nature="commune", code_insee="18026")
    _secteur(quartier, nature="polygone", polygone=CARRE)
    assert st.territoire_pour(st.localiser(ADRESSE_BELLEVILLE)) == quartier.pk
    _secteur(ilot, nature="polygone", polygone=CARRE)
    assert st.territoire_pour(st.localiser(ADRESSE_BELLEVILLE)) == ilot.pk
    # Outside the polygons: the commune.
    ailleurs = {**ADRESSE_BELLEVILLE, "lon": 5.0}
    assert st.territoire_pour(st.localiser(ailleurs)) == ville.pk


def test_nothing_matched():
    _secteur(TerritoireFactory(), nature="commune", code_insee="45234")
    assert st.territoire_pour(st.localiser(ADRESSE_BELLEVILLE)) is None
    assert st.territoire_pour(st.localiser({})) is None
    assert st.territoire_pour(st.localiser("pas une adresse")) is None


def _dispositif_avec_adresse():
    return dispositif_publie(
        code="ADR", champs=(("nom", "Nom", "texte"), ("adresse", "Adresse", "adresse"))
    )


def test_a_dossier_is_sectorised_when_filed():
    territoire = TerritoireFactory()
    _secteur(territoire, nature="commune", code_insee="18026")
    dispositif = _dispositif_avec_adresse()
    dossier = deposer(
        dispositif,
        donnees={
            "nom": "Martin",
            "adresse": {"numero_voie": "12 Rue des Tanneurs", **ADRESSE_BELLEVILLE},
        },
    )
    assert dossier.territoire_id == territoire.pk
    autre = deposer(dispositif, donnees={"nom": "Durand"})
    assert autre.territoire_id is None


def test_existing_dossiers_are_sectorised_again():
    dispositif = _dispositif_avec_adresse()
    dossier = deposer(
        dispositif,
        donnees={"nom": "Martin", "adresse": {"numero_voie": "1 Grande Rue", **ADRESSE_BELLEVILLE}},
    )
    assert dossier.territoire_id is None
    territoire = TerritoireFactory()
    _secteur(territoire, nature="code_postal", code_postal="18240")
    assert st.sectoriser_dossiers(Dossier.objects.all()) == 1
    dossier.refresh_from_db()
    assert dossier.territoire_id == territoire.pk
    assert st.sectoriser_dossiers(Dossier.objects.all()) == 0  # idempotent


def test_without_an_address_field_the_demandeur_address_is_used():
    from tests.usagers.factories import IndividuFactory

    territoire = TerritoireFactory()
    _secteur(territoire, nature="commune", code_insee="18026")
    individu = IndividuFactory(code_postal="18240", commune="Belleville-sur-Loire", code_insee="")
    dossier = deposer(dispositif_publie(), individu=individu)
    assert dossier.territoire_id == territoire.pk
    Dossier.objects.filter(pk=dossier.pk).update(territoire=None)
    assert st.sectoriser_dossiers(Dossier.objects.all()) == 1
