"""Dossiers filed on a small published form, for the agent's dossier pages."""

import itertools

import pytest

from dossiers import services
from dossiers.models import Champ, Classement, Ligne, Onglet
from tests.dossiers.factories import DispositifFactory
from tests.usagers.factories import IndividuFactory

_numeros = itertools.count(1)


def dispositif_publie(
    *, code="SUB", champs=(("nom", "Nom", "texte"), ("montant", "Montant", "montant"))
):
    """A dispositif whose published form has one tab with `champs` (name, label, type)."""
    dispositif = DispositifFactory(code=f"{code}{next(_numeros)}")
    modele = services.modele_brouillon(dispositif=dispositif)
    onglet = Onglet.objects.create(modele=modele, titre="Demande")
    ligne = Ligne.objects.create(onglet=onglet)
    for nom, libelle, type_ in champs:
        Champ.objects.create(ligne=ligne, nom=nom, libelle=libelle, type=type_)
    services.modele_publier(modele=modele, by=None)
    return dispositif


def deposer(dispositif, user=None, *, donnees=None, individu=None):
    dossier = services.dossier_commencer(dispositif=dispositif, user=user, profil=None)
    dossier.donnees = donnees if donnees is not None else {"nom": "Martin", "montant": "1250.5"}
    if individu is not None:
        dossier.demandeur_individu = individu
    return services.dossier_deposer(dossier=dossier, user=user)


@pytest.fixture
def dispositif(db):
    return dispositif_publie()


@pytest.fixture
def dossier(dispositif):
    individu = IndividuFactory(prenom="Léa", nom="Durand", email="lea@exemple.fr")
    return deposer(dispositif, individu=individu)


@pytest.fixture
def classements(db):
    culture = Classement.objects.create(libelle="Culture")
    spectacle = Classement.objects.create(libelle="Spectacle vivant", parent=culture)
    theatre = Classement.objects.create(libelle="Théâtre", parent=spectacle)
    return {"culture": culture, "spectacle": spectacle, "theatre": theatre}
