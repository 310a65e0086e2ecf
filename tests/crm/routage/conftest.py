# The dossier pages' fixtures: a small published form and a dossier filed on it.
from tests.crm.dossiers.conftest import dispositif, dossier  # noqa: F401
