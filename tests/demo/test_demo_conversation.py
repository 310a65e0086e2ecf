"""The demo's conversations (issue 7, P11): an open one with a message Camille has not
read, a closed one; the templates of the message events; idempotent."""

import pytest

from accounts.models import User
from common.extensions import a_faire
from dossiers.models import Conversation, MessageDossier
from notifications.models import Correspondance

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_conversations(demo):
    assert sorted(Conversation.objects.values_list("ouverte", flat=True)) == [False, True]
    ouverte = Conversation.objects.get(ouverte=True).dossier
    assert MessageDossier.objects.filter(dossier=ouverte).count() == 3
    assert MessageDossier.objects.get(dossier=ouverte, cote="usager").pieces_jointes.count() == 1
    camille = User.objects.get(email="usager@demo.guichet.fr")
    assert [item.libelle for item in a_faire(camille) if item.categorie == "messages"] == [
        f"1 nouveau message sur votre demande {ouverte.reference}"
    ]
    assert set(
        Correspondance.objects.filter(evenement__startswith="dossier.message").values_list(
            "evenement", flat=True
        )
    ) == {"dossier.message_agent", "dossier.message_usager"}
    assert User.objects.get(email="agent@demo.guichet.fr").has_perm("dossiers.instruire_dossiers")
