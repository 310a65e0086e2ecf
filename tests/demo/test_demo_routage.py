"""Demo data of routing and labels (C14)."""

import pytest

from accounts.models import User
from dossiers.models import Dossier, Equipe, Etiquette, RegleRoutage, SuiviAgent
from dossiers.selectors import dossiers_visible_to

pytestmark = pytest.mark.django_db


def test_demo_teams_rules_labels_follows_and_trash(demo):
    assert set(Equipe.objects.values_list("nom", flat=True)) == {
        "Pôle associations",
        "Pôle enfance",
        "Accueil",
        "Antenne des communes voisines",  # Issue 9 — territoires: routing by territoire
    }
    assert RegleRoutage.objects.count() == 5
    assert Etiquette.objects.filter(libelle="Pièce manquante").exists()
    instructeur = User.objects.get(email="instructeur@demo.guichet.fr")
    visibles = dossiers_visible_to(instructeur)
    assert not visibles.filter(equipe__isnull=True).exists()  # every filed dossier routed
    assert visibles.filter(equipe__code="associations", dispositif__code="SUB").exists()
    assert visibles.filter(etiquettes__libelle="Pièce manquante").count() == 1
    assert SuiviAgent.objects.filter(agent=instructeur).count() == 2
    assert Dossier.objects.filter(supprime_le__isnull=False).count() == 1
    assert dossiers_visible_to(instructeur, corbeille=True).count() == 1
