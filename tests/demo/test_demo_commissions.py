"""Demo commissions (issue 9, I6)."""

import pytest

from instruction.models import Commission, Reunion, Seance

pytestmark = pytest.mark.django_db


def test_a_held_seance_with_decisions_and_one_in_preparation(demo):
    commission = Commission.objects.get(nom="Commission vie associative")
    tenue = commission.seances.get(etat=Seance.Etat.CLOSE)
    decisions = list(tenue.points.order_by("ordre").values_list("decision", "montant"))
    assert [d for d, _m in decisions] == ["favorable", "favorable", "defavorable"]
    assert all(m and m > 0 for d, m in decisions if d == "favorable")
    assert tenue.pv_document is not None
    for point in tenue.points.select_related("dossier__suivi_instruction__statut"):
        attendu = "avis_favorable" if point.decision == "favorable" else "avis_defavorable"
        assert point.dossier.suivi_instruction.statut.code == attendu
        if point.montant:
            assert point.dossier.donnees["montant_vote"] == str(point.montant)
    assert commission.seances.get(etat=Seance.Etat.PREPAREE).points.count() == 1
    assert Reunion.objects.exists()
    assert Commission.objects.count() == 1 and Seance.objects.count() == 2
