"""Statistics per territoire (C13 × C8): one row per territoire and « Non sectorisé »,
only what the agent's territoires let them see, in the table, the chart and the CSV, at a
fixed number of queries."""

import pytest

from dossiers.models import Dossier
from instruction.selectors_statistiques import statistiques
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import TerritoireFactory, donner_droits

pytestmark = pytest.mark.django_db
URL = "/crm/statistiques/"


def _placer(dossiers, territoire):
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(territoire=territoire)


@pytest.fixture
def jeu(citizen):
    """Belleville (2 dossiers) with its sous-territoire « Centre » (1), Léré (3), and one
    dossier sectorised nowhere."""
    dispositif = dispositif_publie(code="T")
    belleville = TerritoireFactory(nom="Belleville")
    centre = TerritoireFactory(nom="Centre", parent=belleville)
    lere = TerritoireFactory(nom="Léré")
    dossiers = [deposer(dispositif, citizen) for _ in range(7)]
    _placer(dossiers[:2], belleville)
    _placer(dossiers[2:3], centre)
    _placer(dossiers[3:6], lere)
    return dispositif, belleville, centre, lere


def test_per_territoire_with_the_unsectorised(instructeur, jeu):
    tableau = statistiques(instructeur, regroupement="territoire")
    lignes = [(ligne.libelle, ligne.parent, ligne.deposes) for ligne in tableau.lignes]
    assert lignes == [
        ("Belleville", "", 2),
        ("Centre", "Belleville", 1),
        ("Léré", "", 3),
        ("Non sectorisé", "", 1),
    ]
    assert tableau.total.deposes == 7


def test_within_the_agent_territoires(jeu):
    _dispositif, belleville, _centre, _lere = jeu
    agent = UserFactory(agent=True)
    donner_droits(agent, territoires=[belleville])
    tableau = statistiques(agent, regroupement="territoire")
    assert [(ligne.libelle, ligne.deposes) for ligne in tableau.lignes] == [
        ("Belleville", 2),
        ("Centre", 1),
    ]
    assert tableau.total.deposes == 3


def test_two_territoires_of_the_same_name_stay_apart(instructeur, jeu):
    dispositif, _belleville, _centre, lere = jeu
    homonyme = TerritoireFactory(nom="Centre", parent=lere)
    _placer([deposer(dispositif)], homonyme)
    lignes = statistiques(instructeur, regroupement="territoire").lignes
    assert [(ligne.parent, ligne.deposes) for ligne in lignes if ligne.libelle == "Centre"] == [
        ("Belleville", 1),
        ("Léré", 1),
    ]


def test_the_page_chart_and_csv(client, jeu):
    _dispositif, belleville, _centre, _lere = jeu
    agent = UserFactory(agent=True)
    donner_droits(agent, territoires=[belleville])
    client.force_login(agent)
    page = client.get(URL, {"regroupement": "territoire"}).content.decode()
    assert "Territoire parent" in page and "Belleville › Centre" in page
    assert "Léré" not in page and "Non sectorisé" not in page
    reponse = client.get(URL, {"regroupement": "territoire", "format": "csv"})
    contenu = b"".join(reponse.streaming_content).decode()
    assert contenu.startswith("\ufeffTerritoire;Territoire parent;Déposés")
    assert "Belleville;;2;2;0;0;" in contenu and "Centre;Belleville;1;1;0;0;" in contenu
    assert "Léré" not in contenu and "Total;;3;" in contenu


def test_the_unsectorised_row_in_the_csv(client, instructeur, jeu):
    client.force_login(instructeur)
    reponse = client.get(URL, {"regroupement": "territoire", "format": "csv"})
    assert "Non sectorisé;;1;" in b"".join(reponse.streaming_content).decode()


def test_the_page_costs_the_same_with_more_territoires(
    client, instructeur, jeu, django_assert_max_num_queries
):
    dispositif = jeu[0]
    client.force_login(instructeur)
    client.get(URL)
    with django_assert_max_num_queries(10):
        client.get(URL, {"regroupement": "territoire"})
    for i in range(6):
        _placer([deposer(dispositif)], TerritoireFactory(nom=f"Quartier {i}"))
    with django_assert_max_num_queries(10):
        page = client.get(URL, {"regroupement": "territoire"}).content.decode()
    assert "Quartier 5" in page
