"""Demo guides d'instruction (issue 8)."""

import pytest
from django.core.management import call_command

from dossiers import suivi
from dossiers.models import Dispositif, Dossier
from instruction.models import ChangementStatut, SuiviInstruction, VersionGuide

pytestmark = pytest.mark.django_db


def test_every_dispositif_has_a_guide_and_dossiers_are_placed_along_it():
    call_command("load_demo")
    call_command("load_demo")
    publiees = VersionGuide.objects.filter(etat=VersionGuide.Etat.PUBLIEE)
    assert publiees.count() == Dispositif.objects.count() == VersionGuide.objects.count()
    version = publiees.first()
    assert list(version.etapes.values_list("libelle", flat=True)) == [
        "Dépôt",
        "Recevabilité",
        "Instruction",
        "Commission",
        "Décision",
        "Clôture",
    ]
    deposes = Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
    assert SuiviInstruction.objects.count() == deposes.count()
    codes = set(SuiviInstruction.objects.values_list("statut__code", flat=True))
    assert {"depose", "en_instruction", "accorde", "cloture"} <= codes
    # Closed dossiers went through the guide to its closing statut.
    assert not deposes.filter(statut=Dossier.Statut.CLOS).exclude(
        suivi_instruction__statut__cloture=True
    )
    assert any(e.en_retard for e in suivi.etats(deposes, usager=False).values())
    changements = ChangementStatut.objects.count()
    call_command("load_demo")
    assert ChangementStatut.objects.count() == changements
