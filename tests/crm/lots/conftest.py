import pytest

from tests.crm.dossiers.conftest import dispositif_publie


@pytest.fixture
def dispositif(db):
    return dispositif_publie()
