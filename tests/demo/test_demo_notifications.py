"""The demo's messages (issue 6): published templates mapped to the account events, an
outbox with sent mails and one SMS failed for its number, notices in both bells."""

import pytest

from accounts.models import User
from notifications.models import Canal, Correspondance, Message, ModeleMessage, Notification, Statut

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_messages_are_real(demo):
    # (the account events' part; the conversation's is in test_demo_conversation.py)
    compte = {"evenement__startswith": "compte."}
    assert ModeleMessage.objects.filter(publie_le__isnull=False, **compte).count() == 4
    assert Correspondance.objects.filter(actif=True, **compte).count() == 4
    statuts = sorted(Message.objects.filter(**compte).values_list("canal", "statut"))
    assert statuts == [
        (Canal.EMAIL, Statut.ENVOYE),
        (Canal.EMAIL, Statut.ENVOYE),
        (Canal.EMAIL, Statut.ENVOYE),
        (Canal.SMS, Statut.ECHEC),
    ]
    echec = Message.objects.get(statut=Statut.ECHEC)
    assert "Numéro invalide « 06 98 76 54 »" in echec.derniere_erreur
    # (the dossiers' mails — messages, justificatifs — are tested with their own demo)
    comptes = [m for m in demo.courriels if not m.subject.startswith("Votre demande")]
    assert len(comptes) == 3
    assert comptes[0].subject == "Bienvenue sur le portail de Ville de Belleville-sur-Loire"
    camille = User.objects.get(email="usager@demo.guichet.fr")
    notices = Notification.objects.exclude(evenement__startswith="dossier.")
    assert notices.filter(destinataire=camille).count() == 1
    assert Notification.objects.filter(destinataire__email="agent@demo.guichet.fr").count() == 1
    admin = User.objects.get(email="admin@demo.guichet.fr")
    assert admin.has_perm("notifications.gerer_modeles")
