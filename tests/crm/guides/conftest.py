import pytest

from instruction import services
from tests.crm.dossiers.conftest import dispositif_publie
from tests.instruction.factories import guide_publie


@pytest.fixture
def client_concepteur(client, concepteur):
    client.force_login(concepteur)
    return client


@pytest.fixture
def publiee(db):
    """The published guide Dépôt → Instruction → Décision (tests.instruction.factories)."""
    return guide_publie(dispositif_publie())["depose"].version


@pytest.fixture
def brouillon(publiee):
    return services.version_copier(version=publiee)
