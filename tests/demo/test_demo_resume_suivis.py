"""The demo of the followers' digest (issue 9 — resume): the template an admin edits in
CRM › Messages, and a colleague's change that the instructeur's next digest tells."""

import pytest

from accounts.models import User
from dossiers import services_suivis
from dossiers.evenements_suivis import EVENEMENT
from notifications.models import Correspondance, Message

pytestmark = pytest.mark.django_db


def test_demo_digest_template_and_a_change_to_tell(demo):
    (correspondance,) = Correspondance.objects.filter(evenement=EVENEMENT, actif=True)
    assert correspondance.modele.est_publie
    instructeur = User.objects.get(email="instructeur@demo.guichet.fr")
    assert services_suivis.resume_agent(instructeur)  # changes to tell
    mail = Message.objects.get(evenement=EVENEMENT)
    assert mail.destinataire == instructeur.email
    assert "Étiquette ajoutée : Élu informé" in mail.corps
