"""Demo correction requests and the corrections slice's actions (issue 8)."""

import pytest

from instruction.models import ActionStatut, DemandeCorrection, Statut, VersionGuide
from notifications.models import Correspondance

pytestmark = pytest.mark.django_db


def test_demo_guides_and_the_citizen_correction_request(demo):
    publiees = VersionGuide.objects.filter(etat=VersionGuide.Etat.PUBLIEE)
    assert Statut.objects.filter(code="correction_demandee").count() == publiees.count()
    assert ActionStatut.objects.filter(type="justificatif").count() == publiees.count()
    demande = DemandeCorrection.objects.get()
    assert demande.ouverte and len(demande.champs) == 2
    assert demande.dossier.cree_par.email == "usager@demo.guichet.fr"
    assert demande.dossier.suivi_instruction.statut.code == "correction_demandee"
    assert Correspondance.objects.filter(evenement="dossier.correction_demandee", actif=True)
    # Every built-in action type of the slice validates its demo config in the admin.
    for action in ActionStatut.objects.filter(type="justificatif"):
        action.clean()
