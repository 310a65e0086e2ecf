"""The demo shows justificatifs (issue 7, P12): types linked to the sheets' pieces, a
dossier's pieces in several statuses (one refused with a comment), a profil document."""

import pytest

from accounts.models import User
from dossiers.models import Justificatif, PieceAFournir, TypeJustificatif
from dossiers.selectors import dossiers_visible_to

pytestmark = pytest.mark.django_db


def test_demo_justificatifs_in_several_statuses(demo):
    assert TypeJustificatif.objects.filter(code="justificatif-domicile").exists()
    assert PieceAFournir.objects.filter(type_justificatif__code="justificatif-domicile").exists()
    statuts = set(
        Justificatif.objects.filter(dossier__isnull=False).values_list("statut", flat=True)
    )
    assert {"attendu", "refuse"} <= statuts
    refuse = Justificatif.objects.get(statut="refuse")
    assert "trois mois" in refuse.commentaire_agent
    assert refuse.dossier.cree_par.email == "usager@demo.guichet.fr"
    assert Justificatif.objects.filter(profil__nom="Les Amis de la Loire").exists()
    agent = User.objects.get(email="agent@demo.guichet.fr")
    assert dossiers_visible_to(agent).filter(pk=refuse.dossier_id).exists()
