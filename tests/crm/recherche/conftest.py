"""Dossiers to search and to place on the map: filed on a small published form, their
demandeur in the référentiel, a position in their data when asked."""

import pytest

from dossiers.models import Dossier
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.usagers.factories import IndividuFactory

# Belleville-sur-Loire (the demo commune) and around.
CENTRE = (47.5028, 2.8508)


def situer(dossier: Dossier, lat: float, lon: float) -> Dossier:
    """Give the dossier a geolocated address, as the adresse field type stores it."""
    adresse = {"numero_voie": "1 rue de la Mairie", "code_postal": "18240", "lat": lat, "lon": lon}
    Dossier.objects.filter(pk=dossier.pk).update(donnees={**dossier.donnees, "adresse": adresse})
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def dispositif(db):
    return dispositif_publie()


@pytest.fixture
def lefevre(dispositif):
    individu = IndividuFactory(
        prenom="Hélène",
        nom="Lefèvre",
        email="helene.lefevre@exemple.fr",
        telephone_mobile="+33612345678",
    )
    return deposer(dispositif, individu=individu)


@pytest.fixture
def dupont(dispositif):
    individu = IndividuFactory(prenom="Marc", nom="Dupont", email="marc.dupont@exemple.fr")
    return deposer(dispositif, individu=individu)


def dossiers_situes(dispositif, n: int, *, debut: int = 0) -> list[Dossier]:
    """`n` filed dossiers spread on a small grid around CENTRE."""
    return [
        situer(
            deposer(dispositif, individu=IndividuFactory()),
            CENTRE[0] + (i % 10) * 0.001,
            CENTRE[1] + (i // 10) * 0.001,
        )
        for i in range(debut, debut + n)
    ]
