"""The individu's CRM page: filled fields only, restricted data, sub-panels, links."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Connexion
from tests.accounts.factories import UserFactory
from tests.queries import assert_page_budget
from tests.usagers.factories import (
    IndividuFactory,
    LienParenteFactory,
    MembreFactory,
    ProfilFactory,
)
from usagers import services
from usagers.models import AdressePrecedente, LienParente

pytestmark = pytest.mark.django_db


def _url(individu):
    return reverse("crm:individu", args=[individu.pk])


@pytest.fixture
def individu(db):
    return IndividuFactory(
        prenom="Éléonore",
        nom="Dupont",
        nom_usage="",
        lieu_naissance="",
        telephone_fixe="",
        profession="Infirmière",
        numero_allocataire="1234567",
        observations_confidentielles="Suivi social en cours",
    )


def test_header_and_general_fields_show_only_what_is_filled(client_as, individu, agent):
    individu.agent_referent = agent
    individu.save()
    html = client_as("agent").get(_url(individu)).content.decode()
    assert '<h1 class="fr-mb-0">Éléonore DUPONT</h1>' in html
    assert "Adulte" in html
    assert f"Agent référent : {agent}" in html
    assert "Nom de naissance" in html and "Infirmière" in html
    assert "Profession" in html
    # Blank fields are not even labelled (G4).
    assert "Nom d’usage" not in html
    assert "Lieu de naissance" not in html
    assert "Téléphone fixe" not in html
    # A type's fields belong to that type only.
    assert "Établissement scolaire" not in html


def test_restricted_fields_are_hidden_from_a_plain_agent(client_as, individu):
    html = client_as("agent").get(_url(individu)).content.decode()
    assert "Numéro d’allocataire CAF" not in html
    assert "1234567" not in html
    assert "Observations confidentielles" not in html
    assert "Suivi social en cours" not in html


def test_restricted_fields_are_shown_to_an_agent_with_the_permission(
    client, agent_habilite, individu
):
    client.force_login(agent_habilite)
    html = client.get(_url(individu)).content.decode()
    assert "Numéro d’allocataire CAF" in html and "1234567" in html
    assert "Observations confidentielles" in html and "Suivi social en cours" in html


def test_sub_panels_profils_links_addresses_connexions(client_as, individu):
    profil = ProfilFactory(nom="Foyer Dupont")
    MembreFactory(
        individu=individu,
        profil=profil,
        autorite_parentale=True,
        mode_garde="alternee",
        regle_paiement="partage",
    )
    enfant = IndividuFactory(prenom="Léo", nom="Dupont", enfant=True)
    LienParenteFactory(individu=individu, apparente=enfant, type_lien="parent")
    mere = IndividuFactory(prenom="Jeanne", nom="Martin")
    LienParenteFactory(individu=mere, apparente=individu, type_lien="parent")
    AdressePrecedente.objects.create(individu=individu, adresse="3 rue Bannier", commune="Blois")
    individu.user = UserFactory(email="eleonore@exemple.fr")
    individu.save()
    Connexion.objects.create(user=individu.user, navigateur="Firefox sur Linux", ip="192.0.2.4")

    html = client_as("agent").get(_url(individu)).content.decode()
    assert "Foyer Dupont" in html and "Garde alternée" in html and "Paiement partagé" in html
    assert "Parent de" in html and "Léo DUPONT" in html
    assert "Enfant de" in html and "Jeanne MARTIN" in html  # the link read from the other side
    assert "3 rue Bannier, Blois" in html
    assert "Firefox sur Linux" in html and "192.0.2.4" in html
    assert "Compte usager : eleonore@exemple.fr" in html


def test_journal_shows_author_and_changes_with_field_labels(client_as, agent):
    individu = services.individu_creer(by=agent, prenom="Éléonore", nom="Dupont")
    services.individu_modifier(
        individu=individu,
        by=agent,
        commune="Tours",
        date_naissance=datetime.date(1980, 1, 2),
        situation_familiale="pacse",
        agent_referent=agent,
    )
    html = client_as("agent").get(_url(individu)).content.decode()
    assert "Création" in html and "Modification" in html
    assert str(agent) in html
    assert "Commune : (vide) → Tours" in html
    assert "Date de naissance : (vide) → 02/01/1980" in html
    assert "Situation familiale : (vide) → Pacsé(e)" in html
    assert f"Agent référent : (vide) → {agent}" in html
    assert "Recherche :" not in html


def test_journal_hides_restricted_changes_from_a_plain_agent(client, agent, agent_habilite):
    individu = services.individu_creer(by=agent, prenom="Éléonore", nom="Dupont")
    services.individu_modifier(individu=individu, by=agent_habilite, numero_allocataire="999")
    client.force_login(agent)
    assert "999" not in client.get(_url(individu)).content.decode()
    client.force_login(agent_habilite)
    assert "Numéro d’allocataire CAF : (vide) → 999" in client.get(_url(individu)).content.decode()


def test_duplicates_are_listed_with_a_merge_link_for_allowed_agents(
    client, agent, admin_user, individu
):
    doublon = IndividuFactory(
        prenom="Eleonore", nom="DUPONT", date_naissance=individu.date_naissance
    )
    merge_url = reverse("crm:individu_fusionner", args=[individu.pk, doublon.pk])
    client.force_login(agent)
    html = client.get(_url(individu)).content.decode()
    assert "Eleonore DUPONT" in html
    assert merge_url not in html
    client.force_login(admin_user)
    assert merge_url in client.get(_url(individu)).content.decode()


def test_unknown_individu_is_a_404(client_as):
    assert client_as("agent").get(reverse("crm:individu", args=[999999])).status_code == 404


def test_page_cost_does_not_grow_with_its_data(client_as, agent):
    individu = services.individu_creer(
        by=agent, prenom="Éléonore", nom="Dupont", email="e.dupont@exemple.fr"
    )
    individu.user = UserFactory()
    individu.save()

    def grow():
        for n in range(5):
            MembreFactory(individu=individu)
            LienParenteFactory(individu=individu)
            LienParenteFactory(apparente=individu)
            AdressePrecedente.objects.create(individu=individu, commune=f"Ville {n}")
            services.individu_modifier(individu=individu, by=agent, commune=f"Commune {n}")
            IndividuFactory(email="e.dupont@exemple.fr")
            Connexion.objects.create(user=individu.user)

    client = client_as("agent")
    client.get(_url(individu))  # first visit: the session's activity is recorded once
    assert_page_budget(client, _url(individu), budget=22, grow=grow)


# Adding a kinship link ------------------------------------------------------------------


def test_link_form_searches_the_person_then_adds_the_link(client_as, individu):
    enfant = IndividuFactory(prenom="Léo", nom="Dupont", enfant=True)
    client = client_as("agent")
    html = client.get(_url(individu), {"lien_q": "leo dupond"}).content.decode()
    assert f'<option value="{enfant.pk}">Léo DUPONT' in html
    assert f'<option value="{individu.pk}">' not in html  # not linkable to itself

    response = client.post(
        reverse("crm:individu_lien_ajouter", args=[individu.pk]),
        {"lien_q": "leo dupond", "apparente": enfant.pk, "type_lien": "parent"},
    )
    assert response.status_code == 302
    assert response["Location"] == _url(individu) + "#liens"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Le lien de parenté a été ajouté."
    ]
    assert LienParente.objects.filter(
        individu=individu, apparente=enfant, type_lien="parent"
    ).exists()


def test_link_refused_is_shown_next_to_the_form(client_as, individu):
    enfant = IndividuFactory(prenom="Léo", nom="Dupont", enfant=True)
    LienParenteFactory(individu=individu, apparente=enfant, type_lien="parent")
    response = client_as("agent").post(
        reverse("crm:individu_lien_ajouter", args=[individu.pk]),
        {"lien_q": "leo", "apparente": enfant.pk, "type_lien": "parent"},
    )
    assert response.status_code == 200
    assert "Ce lien existe déjà." in response.content.decode()
    assert LienParente.objects.filter(individu=individu).count() == 1


def test_link_without_a_person_chosen_is_explained(client_as, individu):
    response = client_as("agent").post(
        reverse("crm:individu_lien_ajouter", args=[individu.pk]),
        {"lien_q": "", "type_lien": "parent"},
    )
    assert "Choisissez la personne à lier parmi les résultats." in response.content.decode()
