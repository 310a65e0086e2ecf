import time

import pytest
from django.db import connection

from dossiers import services_edition
from tests.dossiers.edition import depose, dispositif_petit
from usagers.services import compte_initialiser

pytestmark = pytest.mark.django_db


def _run(dossier, user, n):
    debut = time.perf_counter()
    for i in range(n):
        services_edition.dossier_modifier(
            dossier=dossier,
            donnees={**dossier.donnees, "motif": f"Motif {i} {time.time()}"},
            user=user,
        )
    return time.perf_counter() - debut


def test_bench(citizen):
    compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    dossier = depose(dispositif_petit(), citizen)
    _run(dossier, citizen, 50)
    resultats = {"avec": [], "sans": []}
    for _ in range(2):
        resultats["avec"].append(_run(dossier, citizen, 1000))
        with connection.cursor() as c:
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
            c.execute("ALTER TABLE dossiers_dossier DISABLE TRIGGER USER")
        resultats["sans"].append(_run(dossier, citizen, 1000))
        with connection.cursor() as c:
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
            c.execute("ALTER TABLE dossiers_dossier ENABLE TRIGGER USER")
    print("\nRESULTS", resultats, min(resultats["avec"]) / min(resultats["sans"]))
