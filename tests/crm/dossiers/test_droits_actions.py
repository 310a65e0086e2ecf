"""Issue 9 — tableau: what an agent may not do is not offered (C7). An agent holding
« voir » only on a dossier's dispositif sees no action button on its pages nor the
list's selection and batch buttons, no « Exporter » without « exporter »; an agent who
instructs sees them; the rights are read once per page (no query per button). « Agent
chargé » offers only the agents who may instruct the dossier (dispositif and
territoire); the service refuses any other with a French message."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers import services_gestion
from dossiers.models import Etiquette
from dossiers.services_gestion import GestionRefusee
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import TerritoireFactory, donner_droits
from tests.instruction.factories import guide_publie

pytestmark = pytest.mark.django_db


@pytest.fixture
def cas(citizen):
    dispositif = dispositif_publie(code="DRT")
    guide_publie(dispositif)
    dossier = deposer(dispositif, citizen)
    Etiquette.objects.create(libelle="À rappeler")
    lecteur = UserFactory(agent=True, first_name="Lou", last_name="Lecteur")
    donner_droits(lecteur, "voir", dispositifs=[dispositif])
    instructeur = UserFactory(agent=True, first_name="Ines", last_name="Instruit")
    donner_droits(instructeur, "voir", "instruire", dispositifs=[dispositif])
    return {"dispositif": dispositif, "dossier": dossier, "lecteur": lecteur, "instr": instructeur}


# The tab, and what only who instructs may find on it.
ACTIONS = [
    ("crm:dossier", ["/attribuer/", "/classer/", "/marquer/", "/parent/", "/doublon/"]),
    ("crm:dossier", ["/corriger/", "/equipe/", "/routage/", "Ajouter une étiquette"]),
    ("crm:dossier_instruction", ["Changer le statut", "Simuler sans rien changer"]),
    ("crm:dossier_justificatifs", ["Demander une pièce supplémentaire"]),
    ("crm:dossier_documents", ["Produire un document"]),
]


@pytest.mark.parametrize(("onglet", "marques"), ACTIONS)
def test_a_reader_sees_no_action_an_instructeur_does(client, cas, onglet, marques):
    url = reverse(onglet, args=[cas["dossier"].pk])
    client.force_login(cas["instr"])
    html = client.get(url).content.decode()
    for marque in marques:
        assert marque in html, (onglet, marque)
    client.force_login(cas["lecteur"])
    reponse = client.get(url)
    assert reponse.status_code == 200
    html = reponse.content.decode()
    for marque in marques:
        if marque == "Simuler sans rien changer":  # a GET that changes nothing: kept
            continue
        assert marque not in html, (onglet, marque)


def test_a_reader_still_follows_and_is_told_why(client, cas):
    client.force_login(cas["lecteur"])
    html = client.get(reverse("crm:dossier", args=[cas["dossier"].pk])).content.decode()
    assert "votre profil ne vous permet pas de l’instruire" in html
    assert 'value="suivre"' in html


def test_a_readers_edit_pages_are_refused(client, cas):
    client.force_login(cas["lecteur"])
    pk = cas["dossier"].pk
    for nom in ("crm:dossier_corriger", "crm:dossier_correction"):
        assert client.get(reverse(nom, args=[pk])).status_code == 403, nom
    client.force_login(cas["instr"])
    for nom in ("crm:dossier_corriger", "crm:dossier_correction"):
        assert client.get(reverse(nom, args=[pk])).status_code == 200, nom


def test_the_list_hides_selection_batches_and_export(client, cas):
    url = reverse("crm:dossiers")
    client.force_login(cas["instr"])
    html = client.get(url).content.decode()
    assert 'name="dossiers"' in html and "Traiter en lot" in html
    assert "Inscrire en commission" in html and "Nouveau dossier" in html
    assert reverse("crm:dossiers_exporter") not in html  # instruire, not exporter
    client.force_login(cas["lecteur"])
    html = client.get(url).content.decode()
    assert cas["dossier"].reference in html
    for marque in ('name="dossiers"', "Traiter en lot", "Inscrire en commission",
                   "Changer le statut des dossiers", "Nouveau dossier",
                   reverse("crm:dossiers_exporter")):  # fmt: skip
        assert marque not in html, marque
    exporteur = UserFactory(agent=True)
    donner_droits(exporteur, "voir", "exporter", dispositifs=[cas["dispositif"]])
    client.force_login(exporteur)
    assert reverse("crm:dossiers_exporter") in client.get(url).content.decode()


def test_the_list_follows_the_filtered_dispositif(client, cas, citizen):
    autre = dispositif_publie(code="AUT")
    deposer(autre, citizen)
    agent = UserFactory(agent=True)
    donner_droits(agent, "voir", dispositifs=[autre])
    donner_droits(agent, "voir", "instruire", dispositifs=[cas["dispositif"]])
    client.force_login(agent)
    url = reverse("crm:dossiers")
    assert "Traiter en lot" in client.get(url).content.decode()
    assert "Traiter en lot" not in client.get(url, {"dispositif": autre.pk}).content.decode()


def test_the_rights_cost_no_query_per_page(client, cas):
    """The reader's Synthèse costs no more queries than the instructeur's: the rights
    come from the scope already read."""
    url = reverse("crm:dossier", args=[cas["dossier"].pk])
    comptes = {}
    for qui in ("instr", "lecteur"):
        client.force_login(cas[qui])
        client.get(url)
        with CaptureQueriesContext(connection) as lus:
            client.get(url)
        comptes[qui] = len(lus)
    # The reader's page skips the agents' and classements' reads of the hidden forms.
    assert comptes["lecteur"] <= comptes["instr"]


# --- « Agent chargé » -----------------------------------------------------------------


def test_agent_charge_offers_only_who_may_instruct(client, cas):
    dispositif, dossier = cas["dispositif"], cas["dossier"]
    ailleurs = UserFactory(agent=True, first_name="Ali", last_name="Ailleurs")
    donner_droits(ailleurs, "voir", "instruire", dispositifs=[dispositif_publie(code="X")])
    nord, sud = TerritoireFactory(nom="Nord"), TerritoireFactory(nom="Sud")
    nord_est = TerritoireFactory(nom="Nord-Est", parent=nord)
    dossier.territoire = nord_est
    dossier.save(update_fields=["territoire"])
    au_nord = UserFactory(agent=True, first_name="Nora", last_name="Nord")
    donner_droits(au_nord, "voir", "instruire", dispositifs=[dispositif], territoires=[nord])
    au_sud = UserFactory(agent=True, first_name="Sam", last_name="Sud")
    donner_droits(au_sud, "voir", "instruire", dispositifs=[dispositif], territoires=[sud])
    tous = UserFactory(agent=True, first_name="Tom", last_name="Tous")
    donner_droits(tous)
    client.force_login(cas["instr"])
    form = client.get(reverse("crm:dossier", args=[dossier.pk])).context["attribuer_form"]
    proposes = set(form.fields["agent"].queryset)
    assert {cas["instr"], au_nord, tous} <= proposes
    assert not {cas["lecteur"], ailleurs, au_sud} & proposes
    # Forged in the POST: refused beside the field, nothing changed, no 500.
    reponse = client.post(reverse("crm:dossier_attribuer", args=[dossier.pk]), {"agent": au_sud.pk})
    assert reponse.status_code == 400
    assert "Cet agent ne peut pas instruire ce dossier" in reponse.content.decode()
    dossier.refresh_from_db()
    assert dossier.agent_id is None
    reponse = client.post(
        reverse("crm:dossier_attribuer", args=[dossier.pk]), {"agent": au_nord.pk}
    )
    assert reponse.status_code == 302
    dossier.refresh_from_db()
    assert dossier.agent_id == au_nord.pk


def test_the_service_refuses_an_agent_without_rights(cas):
    dossier = cas["dossier"]
    with pytest.raises(GestionRefusee) as refus:
        services_gestion.dossier_attribuer(dossier=dossier, agent=cas["lecteur"], by=cas["instr"])
    assert "n’a pas le droit d’instruire ce dossier" in refus.value.messages[0]
    dossier.refresh_from_db()
    assert dossier.agent_id is None
    services_gestion.dossier_attribuer(dossier=dossier, agent=cas["instr"], by=cas["instr"])
    assert dossier.agent_id == cas["instr"].pk


def test_agents_list_costs_one_query(cas, django_assert_num_queries):
    from dossiers.selectors_droits import agents_pouvant_instruire

    for _ in range(5):
        donner_droits(UserFactory(agent=True), dispositifs=[cas["dispositif"]])
    with django_assert_num_queries(1):
        assert len(list(agents_pouvant_instruire(cas["dossier"]))) == 6


def test_peut_instruire_agrees_with_the_agents_list(cas, citizen):
    """change_status's assignment asks `peut_instruire` (the list's query, its SQL built
    once per process with stand-in values): the same answer for every agent, on a
    dossier without territoire and one with, and for another dispositif."""
    from dossiers.selectors_droits import (
        agents_pouvant_instruire,
        peut_instruire,
        peut_instruire_lot,
    )

    dispositif, dossier = cas["dispositif"], cas["dossier"]
    autre = deposer(dispositif_publie(code="AUT"), citizen)
    nord, sud = TerritoireFactory(nom="Nord"), TerritoireFactory(nom="Sud")
    au_nord = UserFactory(agent=True)
    donner_droits(au_nord, "voir", "instruire", dispositifs=[dispositif], territoires=[nord])
    au_sud = UserFactory(agent=True)
    donner_droits(au_sud, "voir", "instruire", dispositifs=[dispositif], territoires=[sud])
    tous = UserFactory(agent=True)
    donner_droits(tous)
    agents = [cas["lecteur"], cas["instr"], au_nord, au_sud, tous, UserFactory(agent=True)]
    for territoire in (None, TerritoireFactory(nom="Nord-Est", parent=nord), sud):
        dossier.territoire = territoire
        dossier.save(update_fields=["territoire"])
        for cible in (dossier, autre):
            permis = set(agents_pouvant_instruire(cible))
            for agent in agents:
                assert peut_instruire(agent, cible) == (agent in permis), (territoire, agent)
        # A chunk of change_status asks it for its dossiers at once: the same answers.
        for agent in agents:
            assert peut_instruire_lot(agent, [dossier, autre]) == {
                (c.dispositif_id, c.territoire_id): peut_instruire(agent, c)
                for c in (dossier, autre)
            }, (territoire, agent)
    # Both shapes were used: agents who may and may not.
    assert peut_instruire(au_nord, dossier) is False and peut_instruire(au_sud, dossier)


# Issue 9 — suivi9: the assigned agent who lost the right since.


def _perd_ses_droits(agent):
    from dossiers.models import ProfilMetier
    from dossiers.selectors_droits import oublier_portee

    for profil in ProfilMetier.objects.filter(agents=agent):
        profil.agents.remove(agent)
    oublier_portee(agent)


def test_the_assigned_agent_who_lost_the_right_stays_selected(client, cas):
    dossier = cas["dossier"]
    ancien = UserFactory(agent=True, first_name="Anne", last_name="Ancienne")
    donner_droits(ancien, "voir", "instruire", dispositifs=[cas["dispositif"]])
    services_gestion.dossier_attribuer(dossier=dossier, agent=ancien, by=cas["instr"])
    _perd_ses_droits(ancien)
    client.force_login(cas["instr"])
    page = client.get(reverse("crm:dossier", args=[dossier.pk])).content.decode()
    assert (
        f'<option value="{ancien.pk}" selected>Anne Ancienne (sans droit d’instruire ce dossier)'
        "</option>"
    ) in page
    assert f'<option value="{cas["instr"].pk}">Ines Instruit</option>' in page
    # Saving the form as it is keeps the agent: nothing written.
    url = reverse("crm:dossier_attribuer", args=[dossier.pk])
    lignes = dossier.historique.count()
    assert client.post(url, {"agent": ancien.pk}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.agent_id == ancien.pk and dossier.historique.count() == lignes
    # Another agent without the right is still refused; one with it is accepted; once
    # the dossier left them, the former agent is no longer offered.
    reponse = client.post(url, {"agent": cas["lecteur"].pk})
    assert reponse.status_code == 400
    assert "Cet agent ne peut pas instruire ce dossier" in reponse.content.decode()
    assert client.post(url, {"agent": cas["instr"].pk}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.agent_id == cas["instr"].pk
    page = client.get(reverse("crm:dossier", args=[dossier.pk])).content.decode()
    assert "Anne Ancienne" not in page.split('name="agent"')[1].split("</select>")[0]
    reponse = client.post(url, {"agent": ancien.pk})
    assert reponse.status_code == 400
    dossier.refresh_from_db()
    assert dossier.agent_id == cas["instr"].pk


def test_the_service_keeps_the_current_agent_but_refuses_giving_back(cas):
    dossier, ancien = cas["dossier"], UserFactory(agent=True)
    donner_droits(ancien, "voir", "instruire", dispositifs=[cas["dispositif"]])
    services_gestion.dossier_attribuer(dossier=dossier, agent=ancien, by=cas["instr"])
    _perd_ses_droits(ancien)
    services_gestion.dossier_attribuer(dossier=dossier, agent=ancien, by=cas["instr"])
    assert dossier.agent_id == ancien.pk
    services_gestion.dossier_attribuer(dossier=dossier, agent=None, by=cas["instr"])
    with pytest.raises(GestionRefusee):
        services_gestion.dossier_attribuer(dossier=dossier, agent=ancien, by=cas["instr"])


def test_the_select_with_a_former_agent_costs_one_query(cas, django_assert_num_queries):
    from dossiers.selectors_droits import agents_pour_attribuer

    dossier, ancien = cas["dossier"], UserFactory(agent=True)
    donner_droits(ancien, "voir", "instruire", dispositifs=[cas["dispositif"]])
    services_gestion.dossier_attribuer(dossier=dossier, agent=ancien, by=cas["instr"])
    _perd_ses_droits(ancien)
    with django_assert_num_queries(1):
        agents = {a: a.peut_instruire for a in agents_pour_attribuer(dossier)}
    assert agents == {cas["instr"]: True, ancien: False}


# Issue 9 — suivi9: « Lots » and « Exporter en PDF » follow the profils métier.


def test_lots_need_instruire_on_some_dispositif(client, cas):
    client.force_login(cas["lecteur"])  # the permission, « voir » only
    page = client.get(reverse("crm:dossiers")).content.decode()
    assert 'href="/crm/lots/"' not in page
    for url in ("/crm/lots/", "/crm/lots/nouveau/"):
        assert client.get(url).status_code == 403
    client.force_login(cas["instr"])
    page = client.get(reverse("crm:dossiers")).content.decode()
    assert 'href="/crm/lots/"' in page
    assert client.get("/crm/lots/").status_code == 200


def test_the_pdf_needs_exporter_on_the_dossier_s_dispositif(client, cas):
    dossier = cas["dossier"]
    url = reverse("crm:dossier_pdf", args=[dossier.pk])
    client.force_login(cas["instr"])  # voir and instruire, not exporter
    assert url not in client.get(reverse("crm:dossier", args=[dossier.pk])).content.decode()
    assert client.get(url).status_code == 403
    exportateur = UserFactory(agent=True)
    donner_droits(exportateur, "voir", "exporter", dispositifs=[cas["dispositif"]])
    client.force_login(exportateur)
    assert url in client.get(reverse("crm:dossier", args=[dossier.pk])).content.decode()
    reponse = client.get(url)
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
