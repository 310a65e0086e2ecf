"""The agent's dashboard (C1): the default dashlets of an instructeur, what each shows
(within the scope), the agent's own composition (add, remove, reorder, reset; unknown
or forbidden codes change nothing), and a fixed number of queries whatever the data."""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts import services_tableau
from dossiers.models import Justificatif
from instruction import selectors_tableau, services
from instruction.models import SuiviInstruction
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import TypeJustificatifFactory
from tests.instruction.factories import guide_publie

HOME = "/crm/"


def _jeu(citizen, instructeur):
    dispositif = dispositif_publie(code="SUB")
    statuts = guide_publie(dispositif)
    dossiers = [deposer(dispositif, citizen) for _ in range(4)]
    mien, retard, renvoi = dossiers[0], dossiers[1], dossiers[2]
    mien.agent = instructeur
    mien.save(update_fields=["agent"])
    services.change_status(dossier=retard, statut=statuts["instruction"], by=None)
    SuiviInstruction.objects.filter(dossier=retard).update(
        etape_entree_le=timezone.now() - datetime.timedelta(days=40)
    )
    # A bulk write past change_status: the échéances copied again, as after any such write.
    services.echeances_recalculer(dossier_ids=[retard.pk])
    maintenant = timezone.now()
    Justificatif.objects.create(
        dossier=renvoi,
        type=TypeJustificatifFactory(libelle="RIB"),
        statut=Justificatif.Statut.RECU,
        decide_le=maintenant - datetime.timedelta(days=2),
        recu_le=maintenant,
    )
    return dispositif, dossiers


def test_an_instructeur_sees_what_waits(client, instructeur, citizen):
    dispositif, (mien, retard, renvoi, _autre) = _jeu(citizen, instructeur)
    client.force_login(instructeur)
    reponse = client.get(HOME)
    blocs = {dashlet.code: contexte for dashlet, contexte in reponse.context["blocs"]}
    assert list(blocs) == [
        "bannettes",
        "mes_dossiers",
        "en_retard",
        "justificatifs_renvoyes",
        "non_attribues",
        "dispositifs",
        "favoris",  # the dossiers followed (issue 9 — tableau)
        "taches",  # contacts GRC (C5): the tasks of action plans
    ]
    assert blocs["dispositifs"]["dispositifs"] == [
        {
            "dispositif_id": dispositif.pk,
            "dispositif__titre": dispositif.titre,
            "en_cours": 4,
            "recents": 4,
        }
    ]
    (bannette,) = blocs["bannettes"]["bannettes"]
    assert bannette.total == 4
    assert ("Dépôt", "Déposé", 3) in bannette.statuts
    assert ("Instruction", "En instruction", 1) in bannette.statuts
    assert [d.pk for d in blocs["mes_dossiers"]["dossiers"]] == [mien.pk]
    assert [d.pk for d in blocs["en_retard"]["dossiers"]] == [retard.pk]
    assert [j.dossier_id for j in blocs["justificatifs_renvoyes"]["justificatifs"]] == [renvoi.pk]
    assert blocs["non_attribues"]["compte"].nombre == 3
    contenu = reponse.content.decode()
    assert mien.reference in contenu and "RIB" in contenu


def test_an_agent_without_the_right_has_no_dossier_dashlet(client, agent):
    client.force_login(agent)
    reponse = client.get(HOME)
    # Only the tasks of action plans (contacts GRC, every agent): no dossier dashlet.
    assert [dashlet.code for dashlet, _contexte in reponse.context["blocs"]] == ["taches"]
    assert "Toutes mes tâches" in reponse.content.decode()


def test_counts_stop_at_the_ceiling(instructeur, citizen, monkeypatch):
    _jeu(citizen, instructeur)
    monkeypatch.setattr(selectors_tableau, "PLAFOND", 2)
    compte = selectors_tableau.non_attribues(instructeur)["compte"]
    assert (compte.nombre, compte.plus) == (2, True)


def test_the_agent_composes_the_dashboard(client, instructeur):
    client.force_login(instructeur)
    url = reverse("crm:tableau_modifier")
    client.post(url, {"action": "retirer", "dashlet": "bannettes"})
    client.post(url, {"action": "monter", "dashlet": "en_retard"})
    assert services_tableau.codes_du_tableau(instructeur) == [
        "en_retard",
        "mes_dossiers",
        "justificatifs_renvoyes",
        "non_attribues",
        "dispositifs",
        "favoris",
        "taches",
    ]
    client.post(url, {"action": "ajouter", "dashlet": "bannettes"})
    for _ in range(5):  # past the end: stays last
        client.post(url, {"action": "descendre", "dashlet": "non_attribues"})
    for forge in ({"action": "ajouter", "dashlet": "inconnu"}, {"action": "n'importe"}, {}):
        assert client.post(url, forge).status_code == 302
    codes = services_tableau.codes_du_tableau(instructeur)
    assert codes == [
        "en_retard",
        "mes_dossiers",
        "justificatifs_renvoyes",
        "dispositifs",
        "favoris",
        "taches",
        "bannettes",
        "non_attribues",
    ]
    page = client.get(reverse("crm:tableau_personnaliser")).content.decode()
    assert "Tous les blocs sont affichés." in page
    client.post(url, {"action": "reinitialiser"})
    assert services_tableau.codes_du_tableau(instructeur)[0] == "bannettes"


def test_an_agent_cannot_add_a_dashlet_beyond_their_rights(agent):
    assert services_tableau.dashlet_ajouter(agent=agent, code="bannettes") == ["taches"]


def test_the_dashboard_costs_the_same_with_more_dossiers(
    client, instructeur, citizen, django_assert_max_num_queries
):
    dispositif, _dossiers = _jeu(citizen, instructeur)
    client.force_login(instructeur)
    client.get(HOME)
    with django_assert_max_num_queries(BUDGET_TABLEAU):
        client.get(HOME)
    autre = dispositif_publie(code="AUT")
    guide_publie(autre)
    for _ in range(10):
        deposer(dispositif, citizen)
        deposer(autre, citizen)
    with django_assert_max_num_queries(BUDGET_TABLEAU):
        client.get(HOME)


# 18 before issue 9 — tableau; + « Favoris » (the follows' count and their page); issue 9
# — perfcrm: the bannettes read their counter and the statuts' labels, the dispositifs the
# counters and the recent filings (+ their titles when a dispositif has only closed recent
# ones). The same at any size. Issue 9 — suivi9: the bannettes and dispositifs share
# their counter's read (-1).
BUDGET_TABLEAU = 21


def test_the_bannettes_and_dispositifs_read_their_counter_once(client, instructeur, citizen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from instruction.models import CompteurBannette

    _jeu(citizen, instructeur)
    services_tableau.dashlet_ajouter(agent=instructeur, code="dispositifs")
    assert {"bannettes", "dispositifs"} <= set(services_tableau.codes_du_tableau(instructeur))
    client.force_login(instructeur)
    client.get(HOME)
    with CaptureQueriesContext(connection) as lues:
        page = client.get(HOME).content.decode()
    table = CompteurBannette._meta.db_table
    assert sum(f'FROM "{table}"' in q["sql"] for q in lues.captured_queries) == 1
    assert "Bannettes" in page and "Dispositifs" in page
    # Outside the page, each read is its own (nothing kept on the agent).
    assert not hasattr(instructeur, "_tableau_memo")
