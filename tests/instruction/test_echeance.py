"""The denormalised échéance (I5, for the CRM list's « en retard »): set when a dossier
enters its guide and on every statut change, and the same rule as `en_retard()`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers.models.dossiers import SANS_ECHEANCE
from instruction import services
from instruction.models import SuiviInstruction

pytestmark = pytest.mark.django_db


def test_echeance_follows_the_etape_and_closes(dossier, statuts, agent):
    suivi = SuiviInstruction.objects.get(dossier=dossier)
    # Dépôt: 5 days' target → late from the 6th day after entering it.
    assert suivi.echeance == suivi.etape_entree_le + timedelta(days=6)
    services.change_status(dossier=dossier, statut=statuts["incomplet"], by=agent)
    suivi.refresh_from_db()
    assert suivi.echeance == suivi.etape_entree_le + timedelta(days=6)  # same étape
    services.change_status(dossier=dossier, statut=statuts["depose"], by=agent, retour=True)
    dossier.refresh_from_db()
    assert dossier.tri_echeance == suivi.echeance
    rang_depot = dossier.tri_avancement
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=agent)
    suivi.refresh_from_db()
    assert suivi.echeance == suivi.etape_entree_le + timedelta(days=31)
    dossier.refresh_from_db()
    assert dossier.tri_echeance == suivi.echeance and dossier.tri_avancement > rang_depot > 0
    services.change_status(dossier=dossier, statut=statuts["accorde"], by=agent)
    suivi.refresh_from_db()
    assert suivi.echeance is None  # a closing statut is never late
    dossier.refresh_from_db()
    assert dossier.tri_echeance == SANS_ECHEANCE  # sorted after every dated one


@pytest.mark.parametrize("jours", [0, 5, 6, 7])
def test_echeance_agrees_with_en_retard(dossier, jours):
    il_y_a = timezone.now() - timedelta(days=jours, minutes=1)
    SuiviInstruction.objects.filter(dossier=dossier).update(etape_entree_le=il_y_a, echeance=None)
    assert services.echeances_recalculer(dossier_ids=[dossier.pk]) == 1
    suivi = SuiviInstruction.objects.select_related("statut__etape").get(dossier=dossier)
    maintenant = timezone.now()
    assert suivi.echeance == suivi.calculer_echeance()
    assert (suivi.echeance <= maintenant) == suivi.en_retard(maintenant)
    dossier.refresh_from_db()
    assert (dossier.tri_echeance, dossier.tri_avancement) == (suivi.echeance, suivi.rang())


def test_tri_statut_follows_the_suivi(dossier, statuts, agent):
    """The CRM list's « Statut » and « Étape » filters read the dossier's copy of its
    statut (Dossier.tri_statut): set when it enters the guide, moved by change_status."""
    dossier.refresh_from_db()
    assert dossier.tri_statut == statuts["depose"].pk
    for code in ("incomplet", "depose", "instruction", "accorde"):
        services.change_status(
            dossier=dossier, statut=statuts[code], by=agent, retour=code == "depose"
        )
        dossier.refresh_from_db()
        suivi = SuiviInstruction.objects.get(dossier=dossier)
        assert dossier.tri_statut == suivi.statut_id == statuts[code].pk


def test_tri_statut_recomputed_after_a_bulk_write(dossier, statuts):
    """A bulk write of the suivi bypassing change_status (demo, data repair): the copy is
    rebuilt by echeances_recalculer, as the sort keys are."""
    SuiviInstruction.objects.filter(dossier=dossier).update(statut=statuts["instruction"])
    dossier.refresh_from_db()
    assert dossier.tri_statut == statuts["depose"].pk  # stale until recomputed
    services.echeances_recalculer(dossier_ids=[dossier.pk])
    dossier.refresh_from_db()
    assert dossier.tri_statut == statuts["instruction"].pk


def test_tri_statut_null_without_a_guide(citizen):
    from tests.crm.dossiers.conftest import deposer, dispositif_publie

    sans_guide = deposer(dispositif_publie(), citizen)
    sans_guide.refresh_from_db()
    assert sans_guide.tri_statut is None
