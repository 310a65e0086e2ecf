"""CRM search of the référentiel (/crm/usagers/): accents, case and typos forgiven."""

import pytest
from django.urls import reverse

from tests.queries import assert_page_budget
from tests.usagers.factories import IndividuFactory, ProfilFactory, type_profil

pytestmark = pytest.mark.django_db

URL = reverse("crm:usagers")


@pytest.fixture
def eleonore(db):
    return IndividuFactory(
        prenom="Éléonore",
        nom="Dupont",
        email="eleonore.dupont@exemple.fr",
        telephone_mobile="+33612345678",
        commune="Orléans",
    )


@pytest.fixture
def autres(db):
    return [
        IndividuFactory(prenom="Marcel", nom="Zidane"),
        IndividuFactory(prenom="Inès", nom="Roux"),
    ]


def _search(client, q, type_="individus"):
    return client.get(URL, {"q": q, "type": type_})


@pytest.mark.parametrize(
    "query",
    [
        "Éléonore Dupont",
        "eleonore dupont",
        "ELEONORE DUPONT",
        "eleonor dupond",  # misspelt, no accents
        "dupont",
        "eleonore.dupont@exemple.fr",
        "ELEONORE.DUPONT@EXEMPLE.FR",
        "06 12 34 56 78",
        "0612345678",
    ],
)
def test_search_finds_the_individu_whatever_the_spelling(client_as, eleonore, autres, query):
    response = _search(client_as("agent"), query)
    assert response.status_code == 200
    assert response.context["individus"][0] == eleonore
    assert autres[0] not in response.context["individus"]
    html = response.content.decode()
    assert "Éléonore DUPONT" in html
    assert reverse("crm:individu", args=[eleonore.pk]) in html
    assert "06 12 34 56 78" in html  # phone shown in the French format


def test_results_table_shows_type_birth_date_commune_and_referent(client_as, agent, eleonore):
    eleonore.agent_referent = agent
    eleonore.save()
    html = _search(client_as("agent"), "dupont").content.decode()
    assert "Adulte" in html
    assert eleonore.date_naissance.strftime("%d/%m/%Y") in html
    assert "Orléans" in html
    assert str(agent) in html
    assert 'name="individus"' in html  # checkboxes for mass assignment


def test_no_result_offers_to_create(client_as, eleonore):
    html = _search(client_as("agent"), "Vercingétorix").content.decode()
    assert "Aucun individu ne correspond à « Vercingétorix »" in html
    assert reverse("crm:individu_creer") in html


def test_empty_query_shows_the_form_only(client_as, eleonore):
    response = client_as("agent").get(URL)
    assert response.status_code == 200
    assert response.context["individus"] == []
    assert 'class="fr-search-bar' in response.content.decode()


@pytest.mark.parametrize(
    "query", ["73282932000074", "732 829 320 00074", "club pongiste", "pongiste orleanais"]
)
def test_profils_search_by_siret_rna_and_name(client_as, query):
    profil = ProfilFactory(
        type_profil=type_profil("association"),
        nom="Club Pongiste Orléanais",
        siret="73282932000074",
        rna="W451234567",
    )
    ProfilFactory(nom="Les Amis du Loiret", rna="W459999999")
    response = _search(client_as("agent"), query, "profils")
    assert response.status_code == 200
    assert response.context["profils"][0] == profil
    html = response.content.decode()
    assert reverse("crm:profil", args=[profil.pk]) in html
    assert "73282932000074" in html and "W451234567" in html  # SIRET and RNA columns


def test_htmx_request_gets_the_results_partial(client_as, eleonore):
    response = client_as("agent").get(URL, {"q": "dupont"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Éléonore DUPONT" in html
    assert "<html" not in html
    assert "fr-search-bar" not in html


def test_page_cost_does_not_grow_with_the_results(client_as):
    IndividuFactory(nom="Martin", prenom="Paul")
    client = client_as("agent")
    client.get(URL)  # first visit: the session's activity is recorded once
    assert_page_budget(
        client,
        f"{URL}?q=martin",
        budget=12,
        grow=lambda: [IndividuFactory(nom="Martin", agent_referent=None) for _ in range(30)],
    )


def test_profils_page_cost_does_not_grow(client_as):
    ProfilFactory(nom="Association Martin")
    client = client_as("agent")
    client.get(URL)  # first visit: the session's activity is recorded once
    assert_page_budget(
        client,
        f"{URL}?q=martin&type=profils",
        budget=12,
        grow=lambda: [ProfilFactory(nom=f"Association Martin {n}") for n in range(30)],
    )


def test_menu_marks_usagers_as_current(client_as):
    html = client_as("agent").get(URL).content.decode()
    assert f'href="{URL}" aria-current="page"' in html
