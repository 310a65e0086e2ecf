"""Back to the previous statut (I8): a stack over the history, allowed outside the next
statuts, the re-entered statut's actions run, refused without a previous statut."""

import pytest
from django.core.exceptions import ValidationError

from instruction import services
from instruction.models import ChangementStatut, SuiviInstruction
from instruction.services_retour import retour_statut_precedent, statut_precedent
from tests.instruction.factories import ActionStatutFactory


def _statut(dossier):
    return SuiviInstruction.objects.get(dossier=dossier).statut.code


def test_two_returns_go_two_statuts_back(dossier, statuts, instructeur):
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=instructeur)
    services.change_status(dossier=dossier, statut=statuts["accorde"], by=instructeur)
    assert statut_precedent(dossier) == statuts["instruction"]
    # « Accordé » allows no next statut back: a return is allowed anyway, and reopens.
    changement = retour_statut_precedent(dossier=dossier, by=instructeur, reason="Erreur")
    assert (changement.retour, changement.motif, changement.par) == (True, "Erreur", instructeur)
    assert _statut(dossier) == "instruction"
    dossier.refresh_from_db()
    assert dossier.statut == "depose" and dossier.clos_le is None
    retour_statut_precedent(dossier=dossier, by=instructeur)
    assert _statut(dossier) == "depose"
    assert statut_precedent(dossier) is None
    with pytest.raises(ValidationError, match="pas de statut précédent"):
        retour_statut_precedent(dossier=dossier, by=instructeur)
    assert ChangementStatut.objects.filter(dossier=dossier, retour=True).count() == 2


def test_the_statut_reentered_runs_its_actions(dossier, statuts):
    ActionStatutFactory(statut=statuts["depose"], config={"texte": "Demande reçue à nouveau"})
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    retour_statut_precedent(dossier=dossier, by=None)
    assert dossier.historique.filter(libelle__contains="Demande reçue à nouveau").exists()


def test_the_agent_saw_another_statut(dossier, statuts):
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    with pytest.raises(ValidationError, match="Un autre agent"):
        retour_statut_precedent(dossier=dossier, by=None, attendu=statuts["depose"])
    assert _statut(dossier) == "instruction"
