import datetime

import pytest
from django.utils import timezone

from contacts import selectors
from contacts.enums import Canal, StatutContact
from tests.contacts.factories import ContactFactory
from tests.usagers.factories import IndividuFactory, ProfilFactory

pytestmark = pytest.mark.django_db


def test_filters_and_search(agent, instructeur):
    martin = IndividuFactory(prenom="Paul", nom="Martin")
    appel = ContactFactory(objet="Inscription cantine", canal=Canal.TELEPHONE)
    appel.individus.add(martin)
    appel.agents.add(instructeur)
    accueil = ContactFactory(
        objet="Dépôt de pièces",
        canal=Canal.ACCUEIL,
        statut=StatutContact.TRAITE,
        quand=timezone.now() - datetime.timedelta(days=10),
    )
    accueil.profils.add(ProfilFactory(nom="Club de foot"))
    libre = ContactFactory(objet="Bruit", interlocuteur_libre="Un voisin de la rue Haute")

    def cherche(**kwargs):
        return list(selectors.contacts_filtrer(agent, selectors.Filtres(**kwargs)))

    assert cherche() == [libre, appel, accueil]  # newest first
    assert cherche(canal="accueil") == [accueil]
    assert cherche(statut="ouvert") == [libre, appel]
    assert cherche(agent_id=instructeur.pk) == [appel]
    assert cherche(q="martin") == [appel]
    assert cherche(q="club") == [accueil]
    assert cherche(q="voisin haute") == [libre]
    assert cherche(q="cantine paul") == [appel]
    hier = timezone.localdate() - datetime.timedelta(days=1)
    assert cherche(du=hier) == [libre, appel]
    assert cherche(au=hier) == [accueil]
    assert list(selectors.contacts_filtrer(None, selectors.Filtres())) == []


def test_dossiers_lies_counts_what_the_agent_cannot_open(agent, instructeur, dossier):
    contact = ContactFactory()
    contact.dossiers.add(dossier)
    assert selectors.dossiers_lies(contact, instructeur).visibles == [dossier]
    lies = selectors.dossiers_lies(contact, agent)
    assert lies.visibles == [] and lies.masques == 1
