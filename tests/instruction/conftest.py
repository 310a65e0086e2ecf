import pytest

from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie
from tests.usagers.factories import IndividuFactory


@pytest.fixture
def dispositif(db):
    return dispositif_publie()


@pytest.fixture
def statuts(dispositif):
    return guide_publie(dispositif)


@pytest.fixture
def dossier(dispositif, statuts, citizen):
    individu = IndividuFactory(prenom="Léa", nom="Durand", email="lea@exemple.fr")
    return deposer(dispositif, citizen, individu=individu)
