"""« Mes dossiers suivis » (C14, issue 9 — resume): the agent's followed dossiers, and
their digest preference."""

import pytest
from django.urls import reverse

from dossiers import services_routage
from dossiers.models import PreferenceResume
from dossiers.services_corbeille import dossier_mettre_a_la_corbeille
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db

URL = "/crm/suivis/"


def test_the_url():
    assert reverse("crm:mes_suivis") == URL


def test_lists_only_my_followed_dossiers_that_i_still_reach(
    client, instructeur, citizen, dispositif
):
    mien, corbeille, autre = (deposer(dispositif, citizen) for _ in range(3))
    services_routage.dossier_suivre(dossier=mien, agent=instructeur)
    services_routage.dossier_suivre(dossier=corbeille, agent=instructeur)
    services_routage.dossier_suivre(dossier=autre, agent=UserFactory(agent=True))
    dossier_mettre_a_la_corbeille(dossier=corbeille, by=None)
    client.force_login(instructeur)
    page = client.get(URL).content.decode()
    assert mien.reference in page
    assert corbeille.reference not in page and autre.reference not in page
    assert "1 dossier suivi" in page
    assert 'value="quotidien" required id="id_frequence_0" checked' in page


def test_choose_at_each_change_then_bad_input_keeps_the_choice(client, agent):
    client.force_login(agent)
    reponse = client.post(URL, {"frequence": "chaque_changement"}, follow=True)
    assert "Votre choix est enregistré : à chaque changement" in reponse.content.decode()
    assert PreferenceResume.objects.get(agent=agent).frequence == "chaque_changement"
    reponse = client.post(URL, {"frequence": "hebdomadaire"})
    assert reponse.status_code == 400
    assert "Choisissez l’une des fréquences proposées." in reponse.content.decode()
    assert PreferenceResume.objects.get(agent=agent).frequence == "chaque_changement"
    assert client.post(URL, {}).status_code == 400


def test_a_citizen_is_sent_to_the_agents_login(client, citizen):
    client.force_login(citizen)
    assert client.get(URL).status_code == 403


def test_query_budget(client, instructeur, citizen, dispositif):
    def grow():
        for _ in range(5):
            services_routage.dossier_suivre(dossier=deposer(dispositif, citizen), agent=instructeur)

    grow()
    client.force_login(instructeur)
    assert_page_budget(client, URL, budget=12, grow=grow)
