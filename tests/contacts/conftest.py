from tests.crm.dossiers.conftest import classements, deposer, dispositif, dispositif_publie, dossier  # noqa: F401
