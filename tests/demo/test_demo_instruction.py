"""Demo guides d'instruction (issue 8)."""

import pytest

from dossiers import suivi
from dossiers.models import Dispositif, Dossier
from instruction.models import ChangementStatut, SuiviInstruction, VersionGuide

pytestmark = pytest.mark.django_db


def test_every_dispositif_has_a_guide_and_dossiers_are_placed_along_it(demo):
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


def test_demo_timers_and_declencheurs(demo):
    """I8: every guide reminds incomplete dossiers and has a commission déclencheur; the
    oldest incomplete demo dossier was reminded by the timer (no agent)."""
    from instruction.models import Declencheur, Minuteur

    versions = VersionGuide.objects.filter(etat=VersionGuide.Etat.PUBLIEE)
    assert Minuteur.objects.filter(statut__code="incomplet").count() == versions.count()
    assert Declencheur.objects.filter(webhook=True, manuel=True).count() == versions.count()
    relance = ChangementStatut.objects.get(vers__code="relance")
    assert relance.par is None and "relance automatique" in relance.motif
