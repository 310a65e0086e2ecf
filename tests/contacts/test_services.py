"""Contacts GRC (C5): logging a contact, linking it to dossiers, action plans."""

import datetime

import pytest
from django.utils import timezone

from contacts import selectors, services
from contacts.enums import Canal, Sens, StatutContact
from contacts.models import Contact, PlanAction
from dossiers.models import Historique
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory, TacheFactory
from tests.usagers.factories import IndividuFactory, ProfilFactory

pytestmark = pytest.mark.django_db


def test_log_a_phone_contact_with_interlocuteurs_agents_and_dossier(instructeur, agent, dossier):
    individu, profil = IndividuFactory(nom="Martin"), ProfilFactory(nom="Les Amis du Lavoir")
    contact = services.contact_enregistrer(
        by=instructeur,
        canal=Canal.TELEPHONE,
        objet="  Inscription à la cantine  ",
        compte_rendu="Souhaite inscrire sa fille.",
        individus=[individu],
        profils=[profil],
        agents=[agent],
        dossiers=[dossier],
    )
    assert contact.objet == "Inscription à la cantine"
    assert contact.sens == Sens.ENTRANT and contact.statut == StatutContact.OUVERT
    assert set(contact.agents.all()) == {instructeur, agent}  # the logger is always one
    assert list(contact.individus.all()) == [individu]
    assert list(contact.profils.all()) == [profil]
    assert list(contact.dossiers.all()) == [dossier]
    assert contact.created_by == instructeur
    ligne = dossier.historique.get(nature=Historique.Nature.AUTRE)
    assert ligne.libelle == "Contact (téléphone) : Inscription à la cantine"
    assert ligne.details["individus"] == [individu.pk] and ligne.par == instructeur


@pytest.mark.parametrize(
    ("champs", "champ_en_faute", "message"),
    [
        ({"objet": "   "}, "objet", "Indiquez l’objet du contact."),
        ({"canal": "pigeon"}, "canal", "Choisissez un canal."),
        (
            {"quand": timezone.now() + datetime.timedelta(days=2)},
            "quand",
            "Un contact ne peut pas être daté dans le futur.",
        ),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_written(
    instructeur, champs, champ_en_faute, message
):
    with pytest.raises(services.ContactRefuse) as refus:
        services.contact_enregistrer(
            by=instructeur, **{"canal": "telephone", "objet": "Q", **champs}
        )
    assert refus.value.message_dict[champ_en_faute] == [message]
    assert not Contact.objects.exists()


def test_a_citizen_or_an_inactive_agent_is_refused(citizen, instructeur):
    with pytest.raises(services.ContactRefuse):
        services.contact_enregistrer(by=citizen, canal="telephone", objet="Q")
    parti = UserFactory(agent=True, is_active=False)
    with pytest.raises(services.ContactRefuse) as refus:
        services.contact_enregistrer(by=instructeur, canal="telephone", objet="Q", agents=[parti])
    assert "agents" in refus.value.message_dict


def test_a_dossier_the_agent_cannot_open_is_never_linked(agent, dossier):
    """A plain agent (no « instruire ») names a dossier: refused, nothing written."""
    with pytest.raises(services.ContactRefuse) as refus:
        services.contact_enregistrer(by=agent, canal="accueil", objet="Q", dossiers=[dossier])
    assert refus.value.message_dict["dossiers"] == [
        "Ce dossier n’existe pas ou vous n’y avez pas accès."
    ]
    assert not Contact.objects.exists()
    assert not dossier.historique.filter(nature=Historique.Nature.AUTRE).exists()


def test_move_a_contact_into_an_existing_dossier(instructeur, dossier):
    individu = IndividuFactory()
    contact = ContactFactory(interlocuteur_libre="Sa voisine")
    contact.individus.add(individu)
    assert services.contact_deplacer_vers_dossier(contact=contact, dossier=dossier, by=instructeur)
    assert list(contact.dossiers.all()) == [dossier]
    ligne = dossier.historique.get(nature=Historique.Nature.AUTRE)
    assert ligne.libelle.startswith("Contact du ") and contact.objet in ligne.libelle
    assert ligne.details["individus"] == [individu.pk]
    assert ligne.details["interlocuteur_libre"] == "Sa voisine"
    # Twice: nothing more.
    assert not services.contact_deplacer_vers_dossier(
        contact=contact, dossier=dossier, by=instructeur
    )
    assert dossier.historique.filter(nature=Historique.Nature.AUTRE).count() == 1


def test_move_refused_for_a_dossier_out_of_reach(agent, dossier):
    contact = ContactFactory()
    with pytest.raises(services.ContactRefuse):
        services.contact_deplacer_vers_dossier(contact=contact, dossier=dossier, by=agent)
    assert not contact.dossiers.exists()


def test_dossier_created_from_a_contact_is_linked(instructeur, dossier):
    contact = ContactFactory()
    services.contact_lier_dossier_cree(contact=contact, dossier=dossier, by=instructeur)
    assert list(dossier.contacts.all()) == [contact]
    assert dossier.historique.filter(
        libelle=f"Dossier créé à partir du contact : {contact.objet}"
    ).exists()


def test_statut(instructeur):
    contact = ContactFactory()
    services.contact_changer_statut(contact=contact, statut="traite", by=instructeur)
    contact.refresh_from_db()
    assert contact.statut == StatutContact.TRAITE
    with pytest.raises(services.ContactRefuse):
        services.contact_changer_statut(contact=contact, statut="perdu", by=instructeur)


def test_action_plan_of_a_contact_and_of_a_dossier(instructeur, agent, dossier):
    contact = ContactFactory()
    demain = timezone.localdate() + datetime.timedelta(days=1)
    tache = services.tache_ajouter(
        by=instructeur, contact=contact, libelle="Rappeler", echeance=demain, assignee=agent
    )
    services.tache_ajouter(by=instructeur, contact=contact, libelle="Envoyer la fiche")
    assert PlanAction.objects.filter(contact=contact).count() == 1  # one plan, reused
    assert [t.libelle for t in selectors.taches_du_plan(contact=contact)] == [
        "Rappeler",
        "Envoyer la fiche",  # undated last
    ]
    services.tache_ajouter(by=instructeur, dossier=dossier, libelle="Relancer la mairie annexe")
    assert [t.libelle for t in selectors.taches_du_plan(dossier=dossier)] == [
        "Relancer la mairie annexe"
    ]

    services.tache_terminer(tache=tache, by=agent)
    tache.refresh_from_db()
    assert tache.faite and tache.faite_par == agent and tache.faite_le is not None
    services.tache_terminer(tache=tache, by=agent, faite=False)
    tache.refresh_from_db()
    assert not tache.faite and tache.faite_par is None and tache.faite_le is None


def test_task_refusals(instructeur, agent, citizen, dossier):
    contact = ContactFactory()
    with pytest.raises(services.ContactRefuse) as refus:
        services.tache_ajouter(by=instructeur, contact=contact, libelle=" ", assignee=citizen)
    assert set(refus.value.message_dict) == {"libelle", "assignee"}
    with pytest.raises(services.ContactRefuse):  # the dossier's plan: out of reach
        services.tache_ajouter(by=agent, dossier=dossier, libelle="Relancer")
    assert not PlanAction.objects.exists()


def test_taches_de_lists_open_tasks_soonest_first_within_reach(instructeur, agent, dossier):
    aujourd_hui = timezone.localdate()
    tard = TacheFactory(assignee=agent, echeance=aujourd_hui + datetime.timedelta(days=9))
    tot = TacheFactory(assignee=agent, echeance=aujourd_hui)
    TacheFactory(assignee=agent, faite=True)
    sienne = TacheFactory(assignee=instructeur)
    services.tache_ajouter(by=instructeur, dossier=dossier, libelle="Relancer", assignee=agent)
    # The dossier's task is left out: this agent may not open the dossier.
    assert list(selectors.taches_de(agent)) == [tot, tard]
    assert list(selectors.taches_de(instructeur)) == [sienne]
    assert len(selectors.taches_de(agent, faites=True)) == 1
    assert list(selectors.taches_de(None)) == []


def test_merging_individus_moves_their_contacts(agent):
    from usagers.registry import INDIVIDU_FUSION_HOOKS

    conserve, absorbe = IndividuFactory(), IndividuFactory()
    commun, seul = ContactFactory(), ContactFactory()
    commun.individus.add(conserve, absorbe)
    seul.individus.add(absorbe)
    assert INDIVIDU_FUSION_HOOKS["contacts"](conserve, absorbe) == 1
    assert set(conserve.contacts.all()) == {commun, seul}
    assert not absorbe.contacts.exists()
