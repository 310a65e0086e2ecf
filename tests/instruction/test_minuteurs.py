"""Timers (I8): due / not due, hours, date fields, closed dossiers, first due wins, never
twice (two runs, two connections), one failure does not stop the others. The clock is
frozen by passing `maintenant`."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, Historique
from instruction import actions, services
from instruction.models import ChangementStatut, Minuteur, SuiviInstruction
from instruction.services_minuteurs import (
    echec_minuteur,
    minuteurs_du_dossier,
    minuteurs_executer,
)
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import ActionStatutFactory, StatutFactory, guide_publie

JOUR = datetime.timedelta(days=1)


def _minuteur(statut, cible=None, **kwargs):
    minuteur = Minuteur(
        statut=statut,
        cible=cible,
        libelle=kwargs.pop("libelle", "Acceptation tacite"),
        delai=kwargs.pop("delai", 30),
        **kwargs,
    )
    minuteur.full_clean()
    minuteur.save()
    return minuteur


def _statut(dossier):
    return SuiviInstruction.objects.get(dossier=dossier).statut.code


def _entree(dossier):
    return SuiviInstruction.objects.get(dossier=dossier).entre_le


def test_due_after_the_delay_from_the_entry_in_the_statut(dossier, statuts):
    _minuteur(statuts["depose"], statuts["instruction"], motif="Sans réponse sous 30 jours")
    entree = _entree(dossier)
    assert minuteurs_executer(entree + 30 * JOUR - datetime.timedelta(seconds=1)).appliques == []
    assert _statut(dossier) == "depose"
    bilan = minuteurs_executer(entree + 30 * JOUR)
    assert bilan.appliques == [dossier.pk]
    assert _statut(dossier) == "instruction"
    changement = ChangementStatut.objects.filter(dossier=dossier).first()
    assert (changement.par, changement.motif) == (None, "Sans réponse sous 30 jours")
    # Not twice: the dossier left the statut.
    assert minuteurs_executer(entree + 60 * JOUR).appliques == []


def test_a_delay_in_hours(dossier, statuts):
    _minuteur(statuts["depose"], statuts["instruction"], delai=2, unite="heures")
    entree = _entree(dossier)
    assert minuteurs_executer(entree + datetime.timedelta(minutes=119)).appliques == []
    assert minuteurs_executer(entree + datetime.timedelta(hours=2)).appliques == [dossier.pk]


def test_counted_from_a_date_field_before_or_after_it(dossier, statuts, dispositif, citizen):
    Dossier.objects.filter(pk=dossier.pk).update(donnees={"nom": "M", "date_fin": "2027-01-10"})
    autre = deposer(dispositif, citizen, donnees={"nom": "N", "date_fin": "2027-02-30"})
    sans_date = deposer(dispositif, citizen, donnees={"nom": "O"})
    # Two days before the date, at local midnight.
    _minuteur(statuts["depose"], statuts["instruction"], depart="champ", champ="date_fin", delai=-2)
    minuit = timezone.make_aware(datetime.datetime(2027, 1, 8))  # noqa: DTZ001 — local midnight
    assert minuteurs_executer(minuit - datetime.timedelta(seconds=1)).appliques == []
    bilan = minuteurs_executer(minuit + 365 * JOUR)
    # A malformed or missing date never makes its timer due, nor fails the run.
    assert bilan.appliques == [dossier.pk] and bilan.echecs == []
    assert (_statut(autre), _statut(sans_date)) == ("depose", "depose")
    suivi = SuiviInstruction.objects.select_related("statut").get(dossier=autre)
    assert minuteurs_du_dossier(suivi, {"date_fin": "2027-02-30"})[0][1] is None


def test_a_closed_dossier_is_ignored(dossier, statuts):
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    services.change_status(dossier=dossier, statut=statuts["accorde"], by=None)
    _minuteur(statuts["accorde"], statuts["refuse"], delai=1)
    assert minuteurs_executer(timezone.now() + 10 * JOUR).appliques == []
    assert _statut(dossier) == "accorde"


def test_the_first_due_timer_wins(dossier, statuts):
    _minuteur(statuts["depose"], statuts["instruction"], delai=30)
    _minuteur(statuts["depose"], statuts["incomplet"], delai=10, libelle="Relance")
    minuteurs_executer(_entree(dossier) + 40 * JOUR)
    assert _statut(dossier) == "incomplet"
    assert ChangementStatut.objects.filter(dossier=dossier).first().motif == "Minuteur « Relance »"


def test_back_to_the_previous_statut(dossier, statuts):
    services.change_status(dossier=dossier, statut=statuts["incomplet"], by=None)
    _minuteur(statuts["incomplet"], vers_precedent=True, delai=15, libelle="Expiration")
    minuteurs_executer(_entree(dossier) + 15 * JOUR)
    assert _statut(dossier) == "depose"
    assert ChangementStatut.objects.filter(dossier=dossier).first().retour


def test_a_failure_is_logged_and_the_others_go_on(dossier, statuts, dispositif, citizen, caplog):
    autre = deposer(dispositif, citizen)
    _minuteur(statuts["depose"], statuts["instruction"])
    # The first dossier's change fails (an action raising): the second one moves.
    Dossier.objects.filter(pk=dossier.pk).update(donnees={"casse": True})

    class Casse(actions.TypeAction):
        code, libelle = "casse_test", "Cassée"

        def executer(self, d, config, contexte):
            if d.donnees.get("casse"):
                raise RuntimeError("boum")

    actions.register(Casse)
    try:
        ActionStatutFactory(statut=statuts["instruction"], type="casse_test", config={})
        bilan = minuteurs_executer(timezone.now() + 31 * JOUR)
    finally:
        actions._types.pop("casse_test")
    assert bilan.appliques == [autre.pk]
    assert [pk for pk, _message in bilan.echecs] == [dossier.pk]
    assert (_statut(dossier), _statut(autre)) == ("depose", "instruction")
    assert "failed" in caplog.text


def test_a_failure_is_shown_on_the_dossier_once_per_cause(dossier, statuts):
    minuteur = _minuteur(statuts["depose"], statuts["instruction"], libelle="Acceptation tacite")
    ActionStatutFactory(statut=statuts["instruction"], type="courriel", config={"modele": 999999})
    plus_tard = timezone.now() + 31 * JOUR
    for minutes in (0, 5, 10):  # three runs of beat, the cause unchanged
        bilan = minuteurs_executer(plus_tard + datetime.timedelta(minutes=minutes))
        assert [pk for pk, _message in bilan.echecs] == [dossier.pk]
    suivi = SuiviInstruction.objects.get(dossier=dossier)
    echec = echec_minuteur(suivi)
    assert echec["libelle"] == "Acceptation tacite" and echec["minuteur"] == minuteur.pk
    assert echec["le"] == plus_tard + datetime.timedelta(minutes=10)
    assert "modèle" in echec["message"]
    lignes = Historique.objects.filter(dossier=dossier, libelle__contains="Acceptation tacite")
    assert lignes.count() == 1
    # Once the dossier has left the statut (by hand), the failure is moot.
    services.change_status(dossier=dossier, statut=statuts["incomplet"], by=None)
    assert echec_minuteur(SuiviInstruction.objects.get(dossier=dossier)) is None


def test_the_instruction_tab_shows_a_failed_timer(client, instructeur, dossier, statuts):
    _minuteur(statuts["depose"], statuts["instruction"], libelle="Acceptation tacite")
    ActionStatutFactory(statut=statuts["instruction"], type="courriel", config={"modele": 999999})
    minuteurs_executer(timezone.now() + 31 * JOUR)
    client.force_login(instructeur)
    page = client.get(reverse("crm:dossier_instruction", args=[dossier.pk])).content.decode()
    assert "Le minuteur « Acceptation tacite » n’a pas pu changer le statut" in page


def test_validation_target_of_the_same_version(statuts):
    ailleurs = StatutFactory()
    with pytest.raises(ValidationError, match="même version"):
        _minuteur(statuts["depose"], ailleurs)
    with pytest.raises(ValidationError, match="statut cible"):
        _minuteur(statuts["depose"])
    with pytest.raises(ValidationError, match="champ date"):
        _minuteur(statuts["depose"], statuts["instruction"], depart="champ")
    with pytest.raises(ValidationError, match="positif"):
        _minuteur(statuts["depose"], statuts["instruction"], delai=-1)


def test_the_due_query_is_one_query_whatever_the_number_of_dossiers(
    statuts, dispositif, citizen, django_assert_max_num_queries
):
    for _ in range(5):
        deposer(dispositif, citizen)
    _minuteur(statuts["depose"], statuts["instruction"])
    # Nothing due: the candidates' query, and the webhook nonces' purge.
    with django_assert_max_num_queries(2):
        assert minuteurs_executer(timezone.now()).appliques == []


@pytest.mark.django_db(transaction=True)
def test_never_twice_a_locked_dossier_waits_for_the_next_run(citizen):
    statuts = guide_publie(dispositif_publie())
    dossier = deposer(statuts["depose"].version.guide.dispositif, citizen)
    _minuteur(statuts["depose"], statuts["instruction"])
    plus_tard = timezone.now() + 31 * JOUR
    tenu, relacher = threading.Event(), threading.Event()

    def agent():
        try:
            with transaction.atomic():
                Dossier.objects.select_for_update().get(pk=dossier.pk)
                tenu.set()
                relacher.wait(5)
        finally:
            connection.close()

    fil = threading.Thread(target=agent)
    fil.start()
    assert tenu.wait(5)
    try:
        bilan = minuteurs_executer(plus_tard)  # does not wait on the agent's lock
        assert (bilan.appliques, bilan.ignores) == ([], 1)
    finally:
        relacher.set()
        fil.join(5)
    assert minuteurs_executer(plus_tard).appliques == [dossier.pk]
    assert minuteurs_executer(plus_tard).appliques == []


@pytest.mark.django_db(transaction=True)
def test_never_twice_two_runs_at_once(citizen):
    statuts = guide_publie(dispositif_publie())
    dispositif = statuts["depose"].version.guide.dispositif
    dossiers = [deposer(dispositif, citizen) for _ in range(6)]
    _minuteur(statuts["depose"], statuts["instruction"])
    plus_tard = timezone.now() + 31 * JOUR
    depart, bilans = threading.Barrier(2), []

    def run():
        try:
            depart.wait(5)
            bilans.append(minuteurs_executer(plus_tard))
        finally:
            connection.close()

    fils = [threading.Thread(target=run) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(20)
    appliques = [pk for bilan in bilans for pk in bilan.appliques]
    assert sorted(appliques) == sorted(d.pk for d in dossiers)  # each once, by one run
    assert (
        ChangementStatut.objects.filter(dossier__in=dossiers, vers=statuts["instruction"]).count()
        == 6
    )


def test_a_copy_of_the_version_keeps_its_timers(statuts):
    _minuteur(statuts["depose"], statuts["instruction"])
    _minuteur(statuts["incomplet"], vers_precedent=True, libelle="Retour")
    copie = services.version_copier(version=statuts["depose"].version)
    copies = Minuteur.objects.filter(statut__version=copie).select_related("statut", "cible")
    assert sorted((m.statut.code, m.cible.code if m.cible else None) for m in copies) == [
        ("depose", "instruction"),
        ("incomplet", None),
    ]
    assert all(m.cible is None or m.cible.version == copie for m in copies)
