"""The demo's agent edit of a dossier's data (C3)."""

import pytest

from dossiers.models import Historique

pytestmark = pytest.mark.django_db


def test_demo_has_an_agent_edit_of_a_dossier_with_before_and_after(demo):
    ligne = Historique.objects.get(details__has_key="donnees")
    assert ligne.par.email == "instructeur@demo.guichet.fr" and not ligne.visible_usager
    modifie, *_autres = ligne.details["donnees"].values()
    assert not _autres, ligne.details
    assert modifie["apres"] == f"{modifie['avant']} (précisé au guichet)"
