"""The Instruction tab of the CRM dossier page (C3, I1, I5)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from instruction import services
from instruction.models import SuiviInstruction
from tests.crm.dossiers.conftest import deposer
from tests.instruction.factories import guide_publie
from tests.queries import assert_page_budget


@pytest.fixture
def statuts(dispositif):
    return guide_publie(dispositif)


@pytest.fixture
def dossier_guide(dispositif, statuts, citizen):
    return deposer(dispositif, citizen)


def _url(dossier):
    return reverse("crm:dossier_instruction", args=[dossier.pk])


def test_the_tab_shows_the_lifeline_and_the_allowed_statuts(
    client, instructeur, dossier_guide, statuts
):
    SuiviInstruction.objects.filter(dossier=dossier_guide).update(
        etape_entree_le=timezone.now() - datetime.timedelta(days=7)
    )
    client.force_login(instructeur)
    response = client.get(_url(dossier_guide))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="step"' in html and "En retard" in html
    assert "7 jours sur 5 prévus" in html
    # One action button per allowed statut; « Incomplet » is hidden from manual choice.
    instruction = statuts["instruction"]
    assert response.context["form"].boutons == [
        (instruction.pk, "Passer au statut « En instruction »")
    ]
    assert f'name="statut" value="{instruction.pk}"' in html
    instruction.libelle_bouton = "Commencer l’instruction"
    instruction.save()
    html = client.get(_url(dossier_guide)).content.decode()
    assert "Commencer l’instruction</button>" in html
    assert "Instruction" in [o["libelle"] for o in response.context["onglets"]]


def test_moving_the_dossier(client, instructeur, dossier_guide, statuts):
    client.force_login(instructeur)
    response = client.post(
        _url(dossier_guide),
        {"statut": statuts["instruction"].pk, "motif": "", "attendu": statuts["depose"].pk},
    )
    assert response.status_code == 302
    assert SuiviInstruction.objects.get(dossier=dossier_guide).statut == statuts["instruction"]
    page = client.get(_url(dossier_guide)).content.decode()
    assert "Le dossier est passé au statut « En instruction »." in page


def test_a_refusal_is_shown_next_to_the_field_and_the_input_kept(
    client, instructeur, dossier_guide, statuts
):
    services.change_status(dossier=dossier_guide, statut=statuts["instruction"], by=None)
    client.force_login(instructeur)
    response = client.post(
        _url(dossier_guide),
        {"statut": statuts["refuse"].pk, "motif": "", "attendu": statuts["instruction"].pk},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {"motif": ["Indiquez le motif de ce changement."]}
    assert form["statut"].value() == str(statuts["refuse"].pk)


def test_another_agent_moved_it_meanwhile(client, instructeur, dossier_guide, statuts):
    services.change_status(dossier=dossier_guide, statut=statuts["instruction"], by=None)
    client.force_login(instructeur)
    response = client.post(
        _url(dossier_guide),
        {
            "statut": statuts["incomplet"].pk,
            "motif": "Il manque l’attestation",
            "attendu": statuts["depose"].pk,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Un autre agent vient de changer le statut" in html
    assert "Il manque l’attestation</textarea>" in html  # what was typed is kept
    assert SuiviInstruction.objects.get(dossier=dossier_guide).statut == statuts["instruction"]


def test_a_dossier_without_guide(client, instructeur, dossier):
    client.force_login(instructeur)
    response = client.get(_url(dossier))
    assert response.status_code == 200
    assert "n’a pas de guide d’instruction" in response.content.decode()
    assert client.post(_url(dossier), {}).status_code == 400


def test_agents_without_the_right_are_refused(client, agent, dossier_guide):
    client.force_login(agent)
    assert client.get(_url(dossier_guide)).status_code == 403


def test_query_budget_is_constant_with_more_history(client, instructeur, dossier_guide, statuts):
    client.force_login(instructeur)
    client.get(_url(dossier_guide))

    def grow():
        for _ in range(3):
            services.change_status(
                dossier=dossier_guide, statut=statuts["incomplet"], by=instructeur
            )
            services.change_status(dossier=dossier_guide, statut=statuts["depose"], by=instructeur)

    # The agent and their rights (3), the dossier, its SuiviInstruction (statut and étape
    # joined), the tabs' counters (2), the next statuts, the étapes, the changes; the
    # previous statut (the history, statuts joined) and the statut's timers (I8); the
    # correction requests (I10).
    # 13, + the agent's scope (C7, C8): one query.
    assert_page_budget(client, _url(dossier_guide), budget=14, grow=grow)
