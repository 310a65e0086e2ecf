"""The demo's contacts GRC (C5): models, contacts across the canaux, links, action plans."""

import pytest

from accounts.models import User
from contacts.models import Contact, ModeleContact, Tache
from contacts.selectors import taches_de
from dossiers.models import Historique

pytestmark = pytest.mark.django_db


def test_demo_contacts_models_and_tasks(demo):
    assert set(ModeleContact.objects.values_list("nom", flat=True)) == {
        "Appel — demande d’information",
        "Accueil — dépôt de pièces",
        "Courrier entrant",
    }
    assert Contact.objects.count() == 15
    assert set(Contact.objects.values_list("canal", flat=True)) == {
        "telephone",
        "accueil",
        "courrier",
        "courriel",
        "internet",
    }
    assert Contact.objects.filter(individus__isnull=False).exists()
    assert Contact.objects.filter(profils__isnull=False).exists()
    assert Contact.objects.exclude(interlocuteur_libre="").exists()
    assert Contact.objects.filter(dossiers__isnull=False).distinct().count() >= 3
    assert Historique.objects.filter(details__has_key="contact").count() >= 3
    instructeur = User.objects.get(email="instructeur@demo.guichet.fr")
    agent = User.objects.get(email="agent@demo.guichet.fr")
    assert taches_de(instructeur).count() == 3  # the lampadaire, the RIB, the dossier's
    assert taches_de(agent).count() == 1
    assert Tache.objects.filter(faite=True).count() == 1
