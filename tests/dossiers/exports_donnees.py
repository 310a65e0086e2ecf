"""A dispositif whose form holds every kind of export column (text, amount, choice,
date, address), with a guide, and dossiers filed on it: shared by the export tests."""

import itertools

from dossiers import services
from dossiers.models import Champ, Ligne, Onglet
from tests.crm.dossiers.conftest import deposer
from tests.dossiers.factories import DispositifFactory
from tests.instruction.factories import guide_publie
from tests.usagers.factories import IndividuFactory

_numeros = itertools.count(1)

ADRESSE = {
    "label": "12 Rue de la Mairie 18300 Belleville-sur-Loire",
    "numero_voie": "12 Rue de la Mairie",
    "complement": "",
    "code_postal": "18300",
    "commune": "Belleville-sur-Loire",
    "code_insee": "18027",
    "lon": 2.8508,
    "lat": 47.5028,
    "ban_id": "",
}


def dispositif_exportable(*, code="EXP", guide=True):
    dispositif = DispositifFactory(code=f"{code}{next(_numeros)}", titre="Subvention culture")
    modele = services.modele_brouillon(dispositif=dispositif)
    onglet = Onglet.objects.create(modele=modele, titre="Demande")
    ligne = Ligne.objects.create(onglet=onglet)
    for nom, libelle, type_, choix in (
        ("nom", "Nom du projet", "texte", []),
        ("montant", "Montant demandé", "montant", []),
        ("categorie", "Catégorie", "choix_unique_liste", [["spect", "Spectacle vivant"]]),
        ("date_evenement", "Date de l’événement", "date", []),
        ("lieu", "Lieu", "adresse", []),
    ):
        Champ.objects.create(ligne=ligne, nom=nom, libelle=libelle, type=type_, choix=choix)
    services.modele_publier(modele=modele, by=None)
    if guide:
        guide_publie(dispositif)
    return dispositif


def donnees(**autres):
    return {
        "nom": "Festival d’été",
        "montant": "12500.50",
        "categorie": "spect",
        "date_evenement": "2026-07-14",
        "lieu": ADRESSE,
        **autres,
    }


def deposer_exportable(dispositif, *, demandeur="Durand", **autres):
    individu = IndividuFactory(
        prenom="Léa",
        nom=demandeur,
        email=f"{demandeur.lower()}@exemple.fr",
        telephone_mobile="0612345678",
    )
    return deposer(dispositif, donnees=donnees(**autres), individu=individu)
