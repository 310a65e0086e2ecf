"""Moving a selection of dossiers from the CRM list (I3) and going back to the previous
statut from the Instruction tab (I8)."""

import pytest
from django.urls import reverse

from instruction import services
from instruction.models import ChangementStatut, Declencheur, Minuteur, SuiviInstruction
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie
from tests.queries import assert_page_budget

URL = "/crm/dossiers/lot/"


@pytest.fixture
def statuts(dispositif):
    return guide_publie(dispositif)


@pytest.fixture
def trois(dispositif, statuts, citizen):
    return [deposer(dispositif, citizen) for _ in range(3)]


def _statut(dossier):
    return SuiviInstruction.objects.get(dossier=dossier).statut.code


def test_the_list_has_a_checkbox_per_dossier(client, instructeur, trois):
    client.force_login(instructeur)
    html = client.get(reverse("crm:dossiers")).content.decode()
    assert f'name="dossiers" value="{trois[0].pk}"' in html
    assert "Changer le statut des dossiers sélectionnés" in html


def test_the_statuts_offered_say_how_many_dossiers_allow_them(client, instructeur, trois, statuts):
    services.change_status(dossier=trois[0], statut=statuts["instruction"], by=None)
    client.force_login(instructeur)
    reponse = client.post(URL, {"dossiers": [d.pk for d in trois]})
    assert reponse.status_code == 200
    choix = dict(reponse.context["form"].fields["choix"].choices)
    assert choix == {
        "statut:instruction": "Instruction — En instruction — permis pour 2 dossier(s) sur 3",
        "statut:accorde": "Décision — Accordé — permis pour 1 dossier(s) sur 3",
        "statut:refuse": "Décision — Refusé — permis pour 1 dossier(s) sur 3",
    }


def test_moving_a_selection_skips_with_reasons(client, instructeur, trois, statuts, citizen):
    services.change_status(dossier=trois[2], statut=statuts["instruction"], by=None)
    autre = deposer(guide_publie(dispositif_publie())["depose"].version.guide.dispositif, citizen)
    client.force_login(instructeur)
    reponse = client.post(
        URL,
        {
            "dossiers": [trois[0].pk, trois[1].pk, trois[2].pk, autre.pk, 999999, "x"],
            "choix": "statut:instruction",
            "motif": "Dossiers complets",
            "appliquer": "1",
        },
    )
    assert reponse.status_code == 200
    bilan = reponse.context["bilan"]
    assert [d.pk for d, _libelle in bilan.deplaces] == sorted([trois[0].pk, trois[1].pk, autre.pk])
    assert bilan.ignores == [(trois[2].reference, "Le dossier a déjà ce statut.")]
    assert reponse.context["introuvables"] == 2
    assert [_statut(d) for d in trois] == ["instruction"] * 3
    assert "3 dossiers traités, 3 ignorés" in reponse.content.decode()
    # A transition the guide does not allow for one of them: skipped, the other done.
    nouveau = deposer(trois[0].dispositif, citizen)
    reponse = client.post(
        URL,
        {"dossiers": [trois[0].pk, nouveau.pk], "choix": "statut:accorde", "appliquer": "1"},
    )
    bilan = reponse.context["bilan"]
    assert [d.pk for d, _libelle in bilan.deplaces] == [trois[0].pk]
    assert bilan.ignores == [
        (nouveau.reference, "Le guide ne permet pas de passer de « Déposé » à « Accordé ».")
    ]


def test_bad_input_never_500(client, instructeur, trois, agent):
    client.force_login(instructeur)
    assert client.post(URL, {"dossiers": ["abc", "-1"]}).status_code == 302
    assert client.post(URL, {}).status_code == 302
    reponse = client.post(URL, {"dossiers": [trois[0].pk], "choix": "forge", "appliquer": "1"})
    assert reponse.status_code == 400 and reponse.context["form"].errors["choix"]
    reponse = client.post(
        URL, {"dossiers": [trois[0].pk], "choix": "statut:accorde", "appliquer": "1"}
    )
    assert reponse.status_code == 400  # not among the choices offered
    assert client.post(URL, {"dossiers": list(range(1, 600))}).status_code == 302
    client.force_login(agent)
    assert client.post(URL, {"dossiers": [trois[0].pk]}).status_code == 403


def test_a_manual_declencheur_on_a_selection(client, instructeur, trois, statuts):
    declencheur = Declencheur.objects.create(
        version=statuts["depose"].version,
        code="commission",
        libelle="Inscrire en commission",
        cible=statuts["instruction"],
    )
    client.force_login(instructeur)
    reponse = client.post(
        URL,
        {
            "dossiers": [d.pk for d in trois],
            "choix": f"declencheur:{declencheur.pk}",
            "appliquer": "1",
        },
    )
    assert reponse.status_code == 200
    assert len(reponse.context["bilan"].deplaces) == 3
    assert [_statut(d) for d in trois] == ["instruction"] * 3


def test_the_selection_page_query_budget(client, instructeur, dispositif, statuts, citizen):
    client.force_login(instructeur)
    dossiers = [deposer(dispositif, citizen) for _ in range(2)]
    before = len(dossiers)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def compter():
        with CaptureQueriesContext(connection) as requetes:
            assert client.post(URL, {"dossiers": [d.pk for d in dossiers]}).status_code == 200
        return len(requetes)

    petit = compter()
    dossiers += [deposer(dispositif, citizen) for _ in range(8)]
    assert compter() == petit and before == 2


def test_back_to_the_previous_statut_from_the_tab(client, instructeur, trois, statuts):
    dossier = trois[0]
    url = reverse("crm:dossier_instruction", args=[dossier.pk])
    client.force_login(instructeur)
    assert "Revenir au statut" not in client.get(url).content.decode()
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=instructeur)
    Minuteur.objects.create(
        statut=statuts["instruction"], cible=statuts["refuse"], libelle="Refus tacite", delai=60
    )
    html = client.get(url).content.decode()
    assert "Revenir au statut « Déposé »" in html
    assert "Refus tacite" in html and "passage au statut « Refusé »" in html
    retour = reverse("crm:dossier_instruction_retour", args=[dossier.pk])
    # Another agent's change meanwhile: refused, told.
    reponse = client.post(retour, {"retour-attendu": statuts["depose"].pk}, follow=True)
    assert "Un autre agent" in reponse.content.decode()
    reponse = client.post(
        retour,
        {"retour-attendu": statuts["instruction"].pk, "retour-motif": "Erreur"},
        follow=True,
    )
    assert "Le dossier est revenu au statut « Déposé »." in reponse.content.decode()
    assert _statut(dossier) == "depose"
    assert client.post(retour, {"retour-attendu": "x"}).status_code == 302
    assert ChangementStatut.objects.filter(dossier=dossier).first().motif == "Erreur"


def test_instruction_tab_budget_with_timers_and_history(client, instructeur, trois, statuts):
    dossier = trois[0]
    client.force_login(instructeur)
    url = reverse("crm:dossier_instruction", args=[dossier.pk])
    client.get(url)

    def grow():
        for _ in range(3):
            services.change_status(dossier=dossier, statut=statuts["incomplet"], by=instructeur)
            services.change_status(dossier=dossier, statut=statuts["depose"], by=instructeur)
        Minuteur.objects.create(
            statut=statuts["depose"], cible=statuts["instruction"], libelle="A", delai=5
        )

    # The tab's budget (test_instruction.py): with the previous statut, the timers and
    # the correction requests.
    # 13, + the agent's scope (C7, C8): one query.
    assert_page_budget(client, url, budget=14, grow=grow)
