"""Routing rules and the agents' rights (C14 × C7, C8, issue 9 — suivi9): a rule may not
name an agent who cannot instruct its dossiers (the CRM form and the Django admin refuse
it beside the field), and at routing a rule whose agent lost the right since does not
give them the dossier — its team alone applies, or the next rule."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from dossiers import services_routage as routage
from dossiers.models import Historique, ProfilMetier, RegleRoutage
from dossiers.selectors_droits import agents_pouvant_instruire_regle, oublier_portee
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import TerritoireFactory, donner_droits
from tests.dossiers.routage.factories import EquipeFactory, RegleRoutageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispositif():
    return dispositif_publie(code="DROI")


@pytest.fixture
def autre_dispositif():
    return dispositif_publie(code="AUTR")


def _agent(**kwargs):
    agent = UserFactory(agent=True, first_name="Léa", last_name="Roux")
    donner_droits(agent, "voir", "instruire", **kwargs)
    return agent


def _retirer_droits(agent):
    for profil in ProfilMetier.objects.filter(agents=agent):
        profil.agents.remove(agent)
    oublier_portee(agent)


def _erreur_agent(regle) -> str:
    with pytest.raises(ValidationError) as erreur:
        regle.full_clean()
    return " ".join(erreur.value.message_dict["agent"])


# --- saving a rule ----------------------------------------------------------------------


def test_an_agent_without_the_right_on_the_rule_s_dispositif_is_refused(
    dispositif, autre_dispositif
):
    agent = _agent(dispositifs=[autre_dispositif])
    regle = RegleRoutage(nom="Subventions", dispositif=dispositif, agent=agent)
    assert _erreur_agent(regle) == (
        f"Léa Roux n’a pas le droit « instruire » sur le dispositif « {dispositif} » : "
        "choisissez un autre agent, ou donnez-lui ce droit (CRM › Droits)."
    )
    RegleRoutage(nom="Autre", dispositif=autre_dispositif, agent=agent).full_clean()


def test_a_rule_for_every_dispositif_needs_an_agent_of_every_dispositif(
    dispositif, autre_dispositif
):
    partiel = _agent(dispositifs=[dispositif, autre_dispositif])
    assert "n’a pas le droit « instruire » sur tous les dispositifs" in _erreur_agent(
        RegleRoutage(nom="Tout le reste", agent=partiel)
    )
    RegleRoutage(nom="Tout le reste", agent=_agent()).full_clean()  # profil « tous »


def test_an_agent_of_another_territoire_is_refused(dispositif):
    ville = TerritoireFactory(nom="Belleville")
    quartier = TerritoireFactory(nom="Bourg", parent=ville)
    voisines = TerritoireFactory(nom="Voisines")
    agent = _agent(territoires=[voisines])
    assert _erreur_agent(
        RegleRoutage(nom="Bourg", dispositif=dispositif, territoire=quartier, agent=agent)
    ) == (
        "Léa Roux est affecté à des territoires qui ne couvrent pas « Bourg » : "
        "choisissez un autre agent."
    )
    # Assigned to the territoire above, or to none: accepted; a rule naming no
    # territoire is checked dossier by dossier at routing.
    de_la_ville = _agent(territoires=[ville])
    RegleRoutage(
        nom="Bourg", dispositif=dispositif, territoire=quartier, agent=de_la_ville
    ).full_clean()
    RegleRoutage(nom="Partout", dispositif=dispositif, agent=agent).full_clean()


def test_an_agent_who_may_not_instruct_at_all_is_refused(dispositif):
    agent = UserFactory(agent=True, first_name="Marc", last_name="Petit")
    assert _erreur_agent(RegleRoutage(nom="R", dispositif=dispositif, agent=agent)) == (
        "Marc Petit ne peut pas instruire de dossiers : choisissez un autre agent."
    )


def test_the_rule_s_agents_in_one_query(dispositif, django_assert_num_queries):
    for _ in range(3):
        _agent(dispositifs=[dispositif])
    with django_assert_num_queries(1):
        assert (
            len(
                list(
                    agents_pouvant_instruire_regle(dispositif_id=dispositif.pk, territoire_id=None)
                )
            )
            == 3
        )


def test_the_crm_form_refuses_it_beside_the_field_and_keeps_the_input(
    client, dispositif, autre_dispositif
):
    gestionnaire = UserFactory(agent=True)
    gestionnaire.user_permissions.add(
        *Permission.objects.filter(codename__in=("gerer_equipes", "instruire_dossiers"))
    )
    agent = _agent(dispositifs=[autre_dispositif])
    client.force_login(gestionnaire)
    donnees = {
        "nom": "Subventions à Léa",
        "active": "on",
        "dispositif": dispositif.pk,
        "operateur": "=",
        "agent": agent.pk,
    }
    reponse = client.post(reverse("crm:routage_regle_creer"), donnees)
    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert "Léa Roux n’a pas le droit « instruire » sur le dispositif" in page
    assert 'value="Subventions à Léa"' in page
    assert not RegleRoutage.objects.exists()
    reponse = client.post(
        reverse("crm:routage_regle_creer"), donnees | {"dispositif": autre_dispositif.pk}
    )
    assert reponse.status_code == 302
    assert RegleRoutage.objects.get().agent == agent


def test_the_admin_refuses_it_too(admin_client, dispositif, autre_dispositif):
    agent = _agent(dispositifs=[autre_dispositif])
    reponse = admin_client.post(
        reverse("admin:dossiers_regleroutage_add"),
        {
            "nom": "Subventions à Léa",
            "ordre": "10",
            "active": "on",
            "dispositif": dispositif.pk,
            "operateur": "=",
            "agent": agent.pk,
        },
    )
    assert reponse.status_code == 200
    assert "Léa Roux n’a pas le droit « instruire » sur le dispositif" in reponse.content.decode()
    assert not RegleRoutage.objects.exists()


# --- routing a dossier -------------------------------------------------------------------


def test_an_agent_who_lost_the_right_is_not_given_the_dossier_the_team_is(dispositif):
    agent = _agent(dispositifs=[dispositif])
    equipe = EquipeFactory(nom="Pôle subventions")
    RegleRoutageFactory(dispositif=dispositif, equipe=equipe, agent=agent)
    avant = deposer(dispositif)
    avant.refresh_from_db()
    assert (avant.equipe, avant.agent) == (equipe, agent)

    _retirer_droits(agent)  # the rule was valid when saved
    apres = deposer(dispositif)
    apres.refresh_from_db()
    assert (apres.equipe, apres.agent) == (equipe, None)
    ligne = apres.historique.get(nature=Historique.Nature.ATTRIBUTION)
    assert ligne.libelle == (
        "Routage (règle « "
        + RegleRoutage.objects.get().nom
        + " ») : Pôle subventions (Léa Roux n’a pas le droit d’instruire ce dossier : "
        "non attribué)"
    )
    assert ligne.details["agent"] is None and ligne.details["agent_ecarte"] == agent.pk


def test_a_rule_naming_only_such_an_agent_is_passed_over(dispositif, autre_dispositif):
    agent = _agent(dispositifs=[autre_dispositif])  # rights elsewhere only
    RegleRoutageFactory(ordre=10, dispositif=dispositif, equipe=None, agent=agent)
    dossier = deposer(dispositif)
    dossier.refresh_from_db()
    assert (dossier.equipe, dossier.agent) == (None, None)
    assert not dossier.historique.filter(nature=Historique.Nature.ATTRIBUTION).exists()
    # The next rule applies.
    accueil = EquipeFactory(nom="Accueil")
    RegleRoutageFactory(ordre=20, equipe=accueil)
    assert routage.router(dossier=dossier).equipe == accueil
    dossier.refresh_from_db()
    assert (dossier.equipe, dossier.agent) == (accueil, None)


def test_an_agent_of_another_territoire_is_not_given_an_unsectorised_dossier(dispositif):
    agent = _agent(dispositifs=[dispositif], territoires=[TerritoireFactory()])
    RegleRoutageFactory(dispositif=dispositif, equipe=None, agent=agent)
    dossier = deposer(dispositif)  # no address: no territoire, out of the agent's
    dossier.refresh_from_db()
    assert dossier.agent is None


def test_routing_again_does_not_unassign_nor_give_to_an_agent_without_the_right(dispositif):
    agent, autre = _agent(dispositifs=[dispositif]), _agent(dispositifs=[dispositif])
    equipe = EquipeFactory()
    RegleRoutageFactory(dispositif=dispositif, equipe=equipe, agent=agent)
    dossier = deposer(dispositif)
    dossier.refresh_from_db()
    dossier.agent = autre
    dossier.save(update_fields=["agent"])
    _retirer_droits(agent)
    assert routage.router(dossier=dossier) is not None
    dossier.refresh_from_db()
    # What the rule cannot give is left as it is.
    assert (dossier.equipe, dossier.agent) == (equipe, autre)
