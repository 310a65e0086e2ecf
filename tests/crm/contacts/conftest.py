from tests.crm.dossiers.conftest import deposer, dispositif, dispositif_publie, dossier  # noqa: F401
