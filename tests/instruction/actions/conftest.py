import pytest

from editique import services as editique_services
from instruction import services
from notifications import services as notifications_services
from notifications.models import Canal, ModeleMessage
from tests.editique.factories import ModeleDocumentFactory


@pytest.fixture
def modele_sms(db):
    modele = ModeleMessage.objects.create(
        nom="SMS statut",
        canal=Canal.SMS,
        evenement=services.EVENEMENT_STATUT,
        corps="{{ autorite }} : dossier {{ dossier.reference }}, {{ statut.libelle }}.",
    )
    assert notifications_services.modele_publier(modele) == []
    return modele


@pytest.fixture
def modele_document(db):
    modele = ModeleDocumentFactory(nom="Accusé de réception", code="accuse")
    editique_services.modele_publier(modele=modele, par=None)
    return modele


@pytest.fixture
def modele_courriel(db):
    modele = ModeleMessage.objects.create(
        nom="Décision",
        canal=Canal.EMAIL,
        evenement=services.EVENEMENT_STATUT,
        sujet="Dossier {{ dossier.reference }}",
        corps="Bonjour {{ demandeur.prenom }} : {{ statut.libelle }}.",
    )
    assert notifications_services.modele_publier(modele) == []
    return modele
