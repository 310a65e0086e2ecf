import pytest

from dossiers import services
from dossiers.models import Onglet
from tests.dossiers.factories import DispositifFactory


@pytest.fixture
def client_concepteur(client, concepteur):
    client.force_login(concepteur)
    return client


@pytest.fixture
def brouillon(db):
    """A draft with one tab, one row of two columns, a yes/no and a text field."""
    modele = services.modele_brouillon(dispositif=DispositifFactory(titre="Location de salle"))
    onglet = services.onglet_ajouter(modele=modele, titre="Demandeur")
    ligne = services.ligne_ajouter(onglet=onglet, colonnes=2)
    services.champ_ajouter(ligne=ligne, type="oui_non", libelle="Association ?", nom="asso")
    services.champ_ajouter(ligne=ligne, type="texte", libelle="Nom", nom="nom", colonne=2)
    return modele


def tree(modele):
    """[(onglet, [(ligne, [champ noms])])] in display order."""
    return [
        (o.titre, [(lg.titre_section, [c.nom for c in lg.champs.all()]) for lg in o.lignes.all()])
        for o in Onglet.objects.filter(modele=modele).prefetch_related("lignes__champs")
    ]
