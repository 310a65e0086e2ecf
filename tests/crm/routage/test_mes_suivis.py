"""« Mes dossiers suivis » (C14, issue 9 — resume): the agent's followed dossiers, and
their digest preference."""

import pytest
from django.urls import reverse

from dossiers import services_routage
from dossiers.models import PreferenceResume, SuiviAgent
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


def _retirer(dossier) -> str:
    return reverse("crm:mes_suivis_ne_plus_suivre", args=[dossier.pk])


def test_stop_following_from_the_list_without_javascript(client, instructeur, citizen, dispositif):
    garde, retire = deposer(dispositif, citizen), deposer(dispositif, citizen)
    for dossier in (garde, retire):
        services_routage.dossier_suivre(dossier=dossier, agent=instructeur)
    client.force_login(instructeur)
    page = client.get(URL).content.decode()
    assert f'action="{_retirer(retire)}"' in page
    reponse = client.post(_retirer(retire), {"page": "1"})
    assert reponse.status_code == 302 and reponse["Location"] == URL
    page = client.get(URL).content.decode()
    assert f"Vous ne suivez plus le dossier {retire.reference}." in page
    assert "1 dossier suivi" in page
    tableau = page.split("<table>")[1]
    assert garde.reference in tableau and retire.reference not in tableau
    assert list(SuiviAgent.objects.values_list("dossier_id", flat=True)) == [garde.pk]
    # A second click (another tab): nothing left to remove, said so.
    reponse = client.post(_retirer(retire), follow=True)
    assert f"Vous ne suiviez déjà plus le dossier {retire.reference}." in reponse.content.decode()


def test_stop_following_with_htmx_swaps_the_list(client, instructeur, citizen, dispositif):
    dossiers = [deposer(dispositif, citizen) for _ in range(2)]
    for dossier in dossiers:
        services_routage.dossier_suivre(dossier=dossier, agent=instructeur)
    client.force_login(instructeur)
    reponse = client.post(_retirer(dossiers[0]), {"page": "1"}, headers={"HX-Request": "true"})
    assert reponse.status_code == 200
    partiel = reponse.content.decode()
    assert '<div id="mes-suivis-liste">' in partiel and "<html" not in partiel
    assert f"Vous ne suivez plus le dossier {dossiers[0].reference}." in partiel
    assert "1 dossier suivi" in partiel and dossiers[1].reference in partiel
    # The partial carries no flash message left for the next page.
    assert "Vous ne suivez plus" not in client.get(URL).content.decode()


def test_the_last_row_of_a_page_goes_back_to_the_previous_page(
    client, instructeur, citizen, dispositif, monkeypatch
):
    from crm.routage import views_suivis

    monkeypatch.setattr(views_suivis, "PAR_PAGE", 2)
    dossiers = [deposer(dispositif, citizen) for _ in range(3)]
    for dossier in dossiers:
        services_routage.dossier_suivre(dossier=dossier, agent=instructeur)
    client.force_login(instructeur)
    # Latest followed first: page 2 holds the first one alone.
    assert dossiers[0].reference in client.get(URL, {"page": 2}).content.decode()
    reponse = client.post(_retirer(dossiers[0]), {"page": "2"})
    assert reponse["Location"] == URL
    reponse = client.post(_retirer(dossiers[1]), {"page": "2"}, headers={"HX-Request": "true"})
    assert dossiers[2].reference in reponse.content.decode()


def test_stop_following_a_dossier_out_of_reach_is_not_found(client, citizen, dispositif):
    # An agent without « instruire les dossiers » reaches no dossier (a follow left from
    # before is not touched, as the list does not show it); a trashed one neither.
    dossier = deposer(dispositif, citizen)
    agent = UserFactory(agent=True)
    services_routage.dossier_suivre(dossier=dossier, agent=agent)
    client.force_login(agent)
    assert client.post(_retirer(dossier)).status_code == 404
    assert SuiviAgent.objects.filter(agent=agent).count() == 1
    assert client.post("/crm/suivis/999999999/ne-plus-suivre/").status_code == 404


def test_stop_following_a_trashed_dossier_is_not_found(client, instructeur, citizen, dispositif):
    dossier = deposer(dispositif, citizen)
    services_routage.dossier_suivre(dossier=dossier, agent=instructeur)
    dossier_mettre_a_la_corbeille(dossier=dossier, by=None)
    client.force_login(instructeur)
    assert client.post(_retirer(dossier)).status_code == 404


def test_stop_following_leaves_other_agents_follows(client, instructeur, citizen, dispositif):
    dossier = deposer(dispositif, citizen)
    autre = UserFactory(agent=True)
    services_routage.dossier_suivre(dossier=dossier, agent=instructeur)
    services_routage.dossier_suivre(dossier=dossier, agent=autre)
    client.force_login(instructeur)
    client.post(_retirer(dossier))
    assert list(SuiviAgent.objects.values_list("agent_id", flat=True)) == [autre.pk]


def test_query_budget(client, instructeur, citizen, dispositif):
    def grow():
        for _ in range(5):
            services_routage.dossier_suivre(dossier=deposer(dispositif, citizen), agent=instructeur)

    grow()
    client.force_login(instructeur)
    assert_page_budget(client, URL, budget=12, grow=grow)
