"""The demo's finished export job (C12/C15): the instructeur's spreadsheet, ready."""

import io

import pytest
from openpyxl import load_workbook

from dossiers.models import Export

pytestmark = pytest.mark.django_db


def test_demo_has_one_finished_export_of_the_instructeur(demo):
    export = Export.objects.get()
    assert export.agent.email == "instructeur@demo.guichet.fr"
    assert export.etat == Export.Etat.TERMINE and export.faits == export.total > 0
    with export.fichier.open("rb") as fichier:
        classeur = load_workbook(io.BytesIO(fichier.read()), read_only=True)
    rangees = list(classeur.active.iter_rows(values_only=True))
    assert rangees[0][:3] == ("Référence", "Dispositif", "Statut")
    assert len(rangees) == export.total + 1
