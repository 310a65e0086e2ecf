"""The dossier's journal (C11): triggers record every change with its author; the CRM tab
shows them newest first, field by field, for agents with dossiers.consulter_journal."""

import pghistory
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from crm.dossiers.journal import lignes
from dossiers import services_gestion
from dossiers.models import Dossier, Justificatif
from dossiers.selectors_journal import journal
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import TypeJustificatifFactory
from tests.queries import assert_page_budget

pytestmark = pytest.mark.django_db

# The frame of the dossier's page (user, session, dossier, tabs, state…) plus the journal:
# its count, its page, the authors, each related model named, the fields' labels.
BUDGET_JOURNAL = 16


@pytest.fixture
def lecteur(instructeur):
    instructeur.user_permissions.add(Permission.objects.get(codename="consulter_journal"))
    return type(instructeur).objects.get(pk=instructeur.pk)  # permissions cache reset


def _texte(ligne) -> list[str]:
    return [f"{c.libelle} : {c.avant} → {c.apres}" for c in ligne.changements]


def test_every_change_is_traced_with_author_and_field_diff(dossier, instructeur, agent):
    with pghistory.context(user=instructeur.pk):
        services_gestion.dossier_marquer(dossier=dossier, by=instructeur, urgent=True)
        services_gestion.dossier_attribuer(dossier=dossier, agent=instructeur, by=instructeur)
    with pghistory.context(user=agent.pk):
        Dossier.objects.filter(pk=dossier.pk).update(
            donnees={**dossier.donnees, "nom": "Dupont", "autre": [1, 2]}
        )
    evenements = lignes(journal(dossier))
    # Newest first: the data, the assignment, the flag.
    donnees, attribution, drapeau, *anciens = evenements
    assert donnees.auteur == agent and donnees.action == "Modification"
    assert _texte(donnees) == ["autre : (vide) → [1, 2]", "Nom : Martin → Dupont"]
    assert attribution.auteur == instructeur
    assert _texte(attribution) == [f"Agent chargé du dossier : (vide) → {instructeur}"]
    assert _texte(drapeau) == ["Urgent : non → oui"]
    assert drapeau.objet == "Dossier"
    # The filing (filed at once, never saved as a draft).
    assert [(e.action, _texte(e)) for e in anciens] == [("Création", ["Statut :  → Déposé"])]


def test_a_parents_journal_leaves_out_its_childrens_changes(dispositif, instructeur):
    parent, enfant = deposer(dispositif), deposer(dispositif)
    services_gestion.dossier_lier_parent(dossier=enfant, reference=parent.reference, by=instructeur)
    avant = journal(parent).count()
    services_gestion.dossier_marquer(dossier=enfant, by=instructeur, urgent=True)
    assert journal(parent).count() == avant
    assert any("Dossier parent" in t for e in lignes(journal(enfant)) for t in _texte(e))


def test_justificatif_decisions_appear(dossier):
    justificatif = Justificatif.objects.create(
        dossier=dossier, type=TypeJustificatifFactory(libelle="Avis d’imposition")
    )
    Justificatif.objects.filter(pk=justificatif.pk).update(statut=Justificatif.Statut.REFUSE)
    # One transaction here: its events share their time, so found by object.
    refus, creation = [e for e in lignes(journal(dossier)) if e.objet != "Dossier"]
    assert refus.objet == "Justificatif « Avis d’imposition »"
    assert _texte(refus) == ["Statut : À fournir → Refusé"]
    assert creation.action == "Création" and _texte(creation) == ["Statut :  → À fournir"]


def test_tab_shows_the_journal_to_agents_with_the_right(client, dossier, lecteur):
    client.force_login(lecteur)
    services_gestion.dossier_marquer(dossier=dossier, by=lecteur, signale=True)
    page = client.get(reverse("crm:dossier_journal", args=[dossier.pk])).content.decode()
    assert "Journal des modifications" in page and "Signalé" in page and "non → oui" in page
    synthese = client.get(reverse("crm:dossier", args=[dossier.pk])).content.decode()
    assert reverse("crm:dossier_journal", args=[dossier.pk]) in synthese


def test_tab_hidden_and_refused_without_the_right(client, dossier, instructeur):
    client.force_login(instructeur)
    url = reverse("crm:dossier_journal", args=[dossier.pk])
    assert client.get(url).status_code == 403
    synthese = client.get(reverse("crm:dossier", args=[dossier.pk])).content.decode()
    assert url not in synthese


def test_the_journal_is_paginated_within_a_fixed_query_budget(client, lecteur):
    dispositif = dispositif_publie()
    dossier = deposer(dispositif)
    client.force_login(lecteur)
    agents = [UserFactory(agent=True) for _ in range(3)]
    for agent in agents:
        agent.user_permissions.add(Permission.objects.get(codename="instruire_dossiers"))

    def grow():
        for i in range(40):
            with pghistory.context(user=agents[i % 3].pk):
                Dossier.objects.filter(pk=dossier.pk).update(
                    donnees={"nom": f"Nom {i}", "montant": str(i)},
                    urgent=bool(i % 2),
                    agent=agents[i % 3],
                )

    url = reverse("crm:dossier_journal", args=[dossier.pk])
    grow()
    response = assert_page_budget(client, url, budget=BUDGET_JOURNAL, grow=grow)
    assert response.context["page"].paginator.num_pages > 1
    assert client.get(url, {"page": "2"}).status_code == 200
    assert client.get(url, {"page": "abc"}).status_code == 200
