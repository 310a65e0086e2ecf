"""Demo batches (issue 9): a finished statut lot and a mail campaign of the instructeur."""

import pytest

from instruction import services_lots
from instruction.models import Lot
from notifications.models import Message

pytestmark = pytest.mark.django_db


def test_demo_lots_of_the_instructeur(demo):
    lots = {lot.sorte: lot for lot in Lot.objects.all()}
    assert set(lots) == {Lot.Sorte.STATUT, Lot.Sorte.CAMPAGNE}
    for lot in lots.values():
        assert lot.etat == Lot.Etat.TERMINE
        assert lot.agent.email == "instructeur@demo.guichet.fr"
    compteurs = services_lots.compteurs(lots[Lot.Sorte.STATUT])
    assert compteurs["fait"] >= 1 and compteurs["a_faire"] == 0, compteurs
    campagne = lots[Lot.Sorte.CAMPAGNE]
    assert (
        Message.objects.filter(cle__startswith=f"instruction.lot:{campagne.pk}:").count()
        == (services_lots.compteurs(campagne)["fait"])
    )
