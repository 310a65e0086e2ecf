"""The batch pages (issue 9, I6): creating a lot from the list's checkboxes or its
filters (forged ids counted, bad input → form errors, typed input kept), the lot's page
(progress, report, htmx partial, constant query budget), interrupt / resume, « Mes lots »,
another agent's lot out of reach."""

import pytest
from django.urls import reverse

from instruction import services, services_lots
from instruction.models import LigneLot, Lot, SuiviInstruction
from notifications import services as notifications_services
from notifications.models import Canal, Message, ModeleMessage
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer
from tests.dossiers.factories import donner_droits
from tests.instruction.factories import guide_publie
from tests.queries import assert_page_budget
from tests.usagers.factories import IndividuFactory

NOUVEAU = "/crm/lots/nouveau/"


@pytest.fixture
def statuts(dispositif):
    return guide_publie(dispositif)


@pytest.fixture
def trois(dispositif, statuts, citizen):
    return [
        deposer(dispositif, citizen, individu=IndividuFactory(nom=nom))
        for nom in ("Durand", "Martin", "Petit")
    ]


def _statut(dossier):
    return SuiviInstruction.objects.get(dossier=dossier).statut.code


def test_the_list_offers_the_batch_of_the_selection_and_of_the_filters(client, instructeur, trois):
    client.force_login(instructeur)
    html = client.get(reverse("crm:dossiers"), {"q": "Durand"}).content.decode()
    assert f'formaction="{NOUVEAU}"' in html
    assert f'href="{NOUVEAU}?filtres=q%3DDurand"' in html
    assert "Traiter en lot le dossier filtré" in html


def test_a_statut_lot_from_the_checkboxes(
    client, instructeur, trois, statuts, django_capture_on_commit_callbacks
):
    services.change_status(dossier=trois[2], statut=statuts["instruction"], by=None)
    client.force_login(instructeur)
    selection = {"dossiers": [d.pk for d in trois] + [999999, "x", "12345678901"]}
    reponse = client.post(NOUVEAU, selection)
    assert reponse.status_code == 200
    assert reponse.context["total"] == 3
    assert reponse.context["introuvables"] == 1  # a forged id: counted, never named
    reponse = client.post(NOUVEAU, {**selection, "sorte": "statut", "etape": "parametres"})
    html = reponse.content.decode()
    assert "Instruction — En instruction — permis pour 2 dossier(s) sur 3" in html
    assert "Lancer le lot sur 3 dossiers" in html
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            NOUVEAU,
            {
                **selection,
                "sorte": "statut",
                "statut": "instruction",
                "motif": "Complet",
                "lancer": "1",
            },
        )
    lot = Lot.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == f"/crm/lots/{lot.pk}/"
    assert (lot.agent, lot.total, lot.introuvables, lot.etat) == (
        instructeur,
        3,
        1,
        Lot.Etat.TERMINE,
    )
    assert [_statut(d) for d in trois] == ["instruction"] * 3
    page = client.get(f"/crm/lots/{lot.pk}/").content.decode()
    assert "3 sur 3 dossiers traités (100 %)" in page
    assert f"{trois[2].reference}</a></td><td>Ignoré</td><td>Le dossier a déjà ce statut." in page
    assert "1 dossier de la sélection introuvable ou hors de vos droits, ignoré" in page


def test_bad_input_gives_form_errors_and_keeps_what_was_typed(client, instructeur, trois):
    client.force_login(instructeur)
    selection = {"dossiers": [d.pk for d in trois], "lancer": "1"}
    reponse = client.post(
        NOUVEAU, {**selection, "sorte": "statut", "statut": "inconnu", "motif": "Gardé"}
    )
    assert reponse.status_code == 400
    form = reponse.context["parametres"][0]
    assert form.errors["statut"] == ["Choisissez un statut de la liste."]
    assert "Gardé</textarea>" in reponse.content.decode()
    reponse = client.post(NOUVEAU, {**selection, "sorte": "effacer"})
    assert reponse.status_code == 400
    assert reponse.context["sorte_form"].errors["sorte"] == [
        "Choisissez une opération de la liste."
    ]
    reponse = client.post(NOUVEAU, {**selection, "sorte": "campagne", "modele": "", "rythme": "0"})
    assert reponse.status_code == 400
    erreurs = reponse.context["parametres"][0].errors
    assert erreurs["modele"] == ["Choisissez le modèle de message."]
    assert "rythme" in erreurs
    assert not Lot.objects.exists()


def test_no_selection_back_to_the_list(client, instructeur, citizen):
    client.force_login(instructeur)
    reponse = client.post(NOUVEAU, {"dossiers": [999999]})
    assert reponse.status_code == 302 and reponse["Location"] == "/crm/dossiers/"


def test_every_dossier_matching_the_filters(
    client, instructeur, trois, statuts, django_capture_on_commit_callbacks
):
    client.force_login(instructeur)
    reponse = client.get(NOUVEAU, {"filtres": "q=Durand"})
    assert reponse.status_code == 200 and reponse.context["total"] == 1
    reponse = client.get(NOUVEAU, {"filtres": ""})
    assert reponse.context["total"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            NOUVEAU,
            {"filtres": "", "sorte": "statut", "statut": "instruction", "lancer": "1"},
        )
    assert [_statut(d) for d in trois] == ["instruction"] * 3


def test_a_field_lot_step_by_step(
    client, instructeur, trois, dispositif, django_capture_on_commit_callbacks
):
    client.force_login(instructeur)
    base = {"dossiers": [d.pk for d in trois], "sorte": "champs"}
    reponse = client.post(NOUVEAU, {**base, "etape": "parametres"})
    champs = dict(reponse.context["parametres"][0].fields["champ"].choices)
    assert champs == {"": "Choisissez un champ", "nom": "Nom (nom)", "montant": "Montant (montant)"}
    etape = {**base, "dispositif": dispositif.pk, "champ": "montant", "etape": "parametres"}
    reponse = client.post(NOUVEAU, etape)
    assert "Nouvelle valeur de « Montant »" in reponse.content.decode()
    reponse = client.post(NOUVEAU, {**etape, "v-montant": "beaucoup", "lancer": "1"})
    assert reponse.status_code == 400
    assert reponse.context["parametres"][1].errors["montant"]
    assert 'value="beaucoup"' in reponse.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(NOUVEAU, {**etape, "v-montant": "42", "lancer": "1"})
    assert reponse.status_code == 302
    for dossier in trois:
        dossier.refresh_from_db()
        assert dossier.donnees["montant"] == "42.00"


def test_a_campaign_from_the_list(client, instructeur, trois, django_capture_on_commit_callbacks):
    modele = ModeleMessage.objects.create(
        nom="Relance",
        canal=Canal.EMAIL,
        evenement=services.EVENEMENT_STATUT,
        sujet="Votre dossier {{ dossier.reference }}",
        corps="Bonjour, votre dossier est « {{ statut.libelle }} ».",
    )
    assert notifications_services.modele_publier(modele) == []
    client.force_login(instructeur)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            NOUVEAU,
            {
                "dossiers": [d.pk for d in trois],
                "sorte": "campagne",
                "modele": modele.pk,
                "rythme": "120",
                "lancer": "1",
            },
        )
    assert reponse.status_code == 302
    assert Message.objects.filter(modele=modele).count() == 3


def _lot(instructeur, dossiers):
    from dossiers.selectors import dossiers_visible_to

    return services_lots.lot_creer(
        agent=instructeur,
        sorte=Lot.Sorte.STATUT,
        params={"statut": "instruction", "motif": ""},
        dossiers=dossiers_visible_to(instructeur).filter(pk__in=[d.pk for d in dossiers]),
    )


def test_the_lot_page_costs_the_same_whatever_its_size(
    client, instructeur, trois, dispositif, citizen
):
    lot = _lot(instructeur, trois)  # not committed: never run, all à faire
    LigneLot.objects.filter(pk=LigneLot.objects.filter(lot=lot).first().pk).update(
        etat="ignore", message="Raison"
    )
    client.force_login(instructeur)

    def grow():
        for _ in range(20):
            dossier = deposer(dispositif, citizen)
            LigneLot.objects.create(lot=lot, dossier=dossier, etat="ignore", message="Autre")

    # Issue 9 — suivi9: +1, the agent's scope (« instruire » on some dispositif, C7).
    reponse = assert_page_budget(client, f"/crm/lots/{lot.pk}/", budget=7, grow=grow)
    assert "1 sur 23 dossiers traités (4 %)" not in reponse.content.decode()
    assert "21 sur 23 dossiers traités (91 %)" in reponse.content.decode()
    assert 'hx-trigger="every 2s"' in reponse.content.decode()
    assert_page_budget(client, "/crm/lots/", budget=6, grow=lambda: _lot(instructeur, trois))


def test_htmx_gets_the_partial_and_polling_stops_when_finished(client, instructeur, trois, statuts):
    lot = _lot(instructeur, trois)
    client.force_login(instructeur)
    reponse = client.get(f"/crm/lots/{lot.pk}/", HTTP_HX_REQUEST="true")
    assert reponse.status_code == 200
    assert "<html" not in reponse.content.decode()
    assert "0 sur 3 dossiers traités (0 %)" in reponse.content.decode()
    services_lots.lot_traiter(lot.pk)
    reponse = client.get(f"/crm/lots/{lot.pk}/", HTTP_HX_REQUEST="true")
    assert reponse.status_code == 286  # htmx: stop polling
    assert "3 sur 3 dossiers traités (100 %)" in reponse.content.decode()


def test_interrupt_then_resume(
    client, instructeur, trois, statuts, django_capture_on_commit_callbacks
):
    lot = _lot(instructeur, trois)
    client.force_login(instructeur)
    reponse = client.post(f"/crm/lots/{lot.pk}/interrompre/")
    assert reponse.status_code == 302
    assert Lot.objects.get(pk=lot.pk).etat == Lot.Etat.INTERROMPU
    assert "Reprendre" in client.get(f"/crm/lots/{lot.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/crm/lots/{lot.pk}/reprendre/")
    assert Lot.objects.get(pk=lot.pk).etat == Lot.Etat.TERMINE
    reponse = client.post(f"/crm/lots/{lot.pk}/reprendre/", follow=True)
    assert "Ce lot est terminé ou encore en cours." in reponse.content.decode()


def test_another_agents_lot_is_out_of_reach(client, instructeur, trois):
    lot = _lot(instructeur, trois)
    autre = UserFactory(email="autre@exemple.fr", agent=True)
    donner_droits(autre)  # may launch lots (C7), not reach this one
    client.force_login(autre)
    assert client.get(f"/crm/lots/{lot.pk}/").status_code == 404
    assert client.post(f"/crm/lots/{lot.pk}/interrompre/").status_code == 404
    assert lot.libelle not in client.get("/crm/lots/").content.decode()
    assert Lot.objects.get(pk=lot.pk).etat == Lot.Etat.EN_ATTENTE
