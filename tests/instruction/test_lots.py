"""Batches (issue 9, I6), instruction.services_lots: statut, field and campaign lots;
never twice (two runs in a row, two runs at once), resumable after a crash, the
dossiers out of the agent's reach or refused by the rules skipped with their reason,
the campaign's pace."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from dossiers import services as dossiers_services
from dossiers.models import Champ, Dossier, Historique
from instruction import services, services_lots, services_statut_lot
from instruction.models import ChangementStatut, LigneLot, Lot, SuiviInstruction
from notifications import services as notifications_services
from notifications.models import Canal, Message, ModeleMessage
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie

A_FAIRE, FAIT, IGNORE = LigneLot.Etat.A_FAIRE, LigneLot.Etat.FAIT, LigneLot.Etat.IGNORE


def _visibles(agent, dossiers):
    from dossiers.selectors import dossiers_visible_to

    return dossiers_visible_to(agent).filter(pk__in=[d.pk for d in dossiers])


def _lot_statut(agent, dossiers, code="instruction", motif="Pièces reçues", **kwargs):
    return services_lots.lot_creer(
        agent=agent,
        sorte=Lot.Sorte.STATUT,
        params={"statut": code, "motif": motif},
        dossiers=_visibles(agent, dossiers),
        **kwargs,
    )


def _lignes(lot):
    return {
        ligne.dossier_id: (ligne.etat, ligne.message) for ligne in LigneLot.objects.filter(lot=lot)
    }


@pytest.fixture
def modele_courriel(db):
    modele = ModeleMessage.objects.create(
        nom="Rappel de pièces",
        canal=Canal.EMAIL,
        evenement=services.EVENEMENT_STATUT,
        sujet="Dossier {{ dossier.reference }}",
        corps="Bonjour {{ demandeur.prenom }}, votre dossier est « {{ statut.libelle }} ».",
    )
    assert notifications_services.modele_publier(modele) == []
    return modele


def test_a_statut_lot_moves_each_dossier_once_and_reports_the_refused(
    dispositif, statuts, citizen, instructeur, django_capture_on_commit_callbacks
):
    dossiers = [deposer(dispositif, citizen) for _ in range(3)]
    services.change_status(dossier=dossiers[2], statut=statuts["instruction"], by=None)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs on commit
        lot = _lot_statut(instructeur, dossiers)
    lot.refresh_from_db()
    assert lot.etat == Lot.Etat.TERMINE
    assert lot.libelle == "Changer le statut en « Instruction — En instruction »"
    assert _lignes(lot) == {
        dossiers[0].pk: (FAIT, "En instruction"),
        dossiers[1].pk: (FAIT, "En instruction"),
        dossiers[2].pk: (IGNORE, "Le dossier a déjà ce statut."),
    }
    assert services_lots.compteurs(lot) | {} == {
        "a_faire": 0,
        "fait": 2,
        "ignore": 1,
        "echec": 0,
        "total": 3,
        "traitees": 3,
        "pourcentage": 100,
    }
    changements = ChangementStatut.objects.filter(vers=statuts["instruction"], par=instructeur)
    assert sorted(changements.values_list("dossier_id", flat=True)) == [
        dossiers[0].pk,
        dossiers[1].pk,
    ]
    assert set(changements.values_list("motif", flat=True)) == {"Pièces reçues"}
    # Run again (a re-enqueued task): nothing more happens.
    assert services_lots.lot_traiter(lot.pk) is None
    assert changements.count() == 2


def test_the_choices_count_the_dossiers_that_may_take_each_statut(
    dispositif, statuts, citizen, instructeur
):
    dossiers = [deposer(dispositif, citizen) for _ in range(3)]
    services.change_status(dossier=dossiers[2], statut=statuts["instruction"], by=None)
    choix = services_lots.statuts_possibles(_visibles(instructeur, dossiers))
    assert {(c.valeur, c.nombre) for c in choix} == {
        ("instruction", 2),
        ("accorde", 1),
        ("refuse", 1),
    }


def test_bad_parameters_are_refused_by_field(dispositif, statuts, citizen, instructeur):
    dossiers = [deposer(dispositif, citizen)]
    with pytest.raises(ValidationError) as erreur:
        _lot_statut(instructeur, dossiers, code="inconnu")
    assert erreur.value.message_dict == {"statut": ["Choisissez un statut de la liste."]}
    services.change_status(dossier=dossiers[0], statut=statuts["instruction"], by=None)
    with pytest.raises(ValidationError) as erreur:  # « Refusé » requires a reason
        _lot_statut(instructeur, dossiers, code="refuse", motif="")
    assert erreur.value.message_dict == {"motif": ["Indiquez le motif : ce statut l’exige."]}
    with pytest.raises(ValidationError) as erreur:
        services_lots.lot_creer(
            agent=instructeur,
            sorte="supprimer",
            params={},
            dossiers=_visibles(instructeur, dossiers),
        )
    assert "sorte" in erreur.value.message_dict
    with pytest.raises(ValidationError):
        _lot_statut(instructeur, [])
    assert not Lot.objects.exists()


def test_a_dossier_without_guide_is_ignored_with_its_reason(
    dispositif, statuts, citizen, instructeur, django_capture_on_commit_callbacks
):
    sans_guide = deposer(dispositif_publie(), citizen)
    dossier = deposer(dispositif, citizen)
    with django_capture_on_commit_callbacks(execute=True):
        lot = _lot_statut(instructeur, [dossier, sans_guide])
    assert _lignes(lot)[sans_guide.pk] == (IGNORE, "Ce dossier ne suit pas de guide d’instruction.")
    assert _lignes(lot)[dossier.pk][0] == FAIT


def test_dossiers_out_of_the_agents_reach_are_ignored_and_reported(
    dispositif, statuts, citizen, instructeur, django_capture_on_commit_callbacks
):
    """Created while the agent had the right, processed after it was withdrawn."""
    dossiers = [deposer(dispositif, citizen) for _ in range(2)]
    lot = _lot_statut(instructeur, dossiers, introuvables=3)  # not run: no commit here
    instructeur.user_permissions.remove(Permission.objects.get(codename="instruire_dossiers"))
    instructeur = type(instructeur).objects.get(pk=instructeur.pk)  # permission cache
    assert services_lots.lot_traiter(lot.pk) is None
    raison = "Ce dossier n’est pas (ou plus) parmi ceux que vous pouvez instruire."
    assert _lignes(lot) == {d.pk: (IGNORE, raison) for d in dossiers}
    assert Lot.objects.get(pk=lot.pk).introuvables == 3
    assert not ChangementStatut.objects.filter(par=instructeur).exists()


def test_resumable_after_a_crash_in_the_middle(
    dispositif, statuts, citizen, instructeur, monkeypatch
):
    dossiers = [deposer(dispositif, citizen) for _ in range(4)]
    lot = _lot_statut(instructeur, dossiers)
    # A statut lot moves its lines by chunks (services_statut_lot), each chunk's changes
    # and line marks in one transaction: chunks of two, the worker killed in the second
    # one once its dossiers are moved, before it commits.
    monkeypatch.setattr(services_lots, "TRANCHE", 2)
    vrai = services_lots.statut_changer_lot
    appels = []

    def crash_au_deuxieme(**kwargs):
        appels.append([d.dossier.pk for d in kwargs["demandes"]])
        issues = vrai(**kwargs)
        if len(appels) == 2:
            raise SystemExit("worker killed")  # not an Exception: nothing catches it
        return issues

    monkeypatch.setattr(services_lots, "statut_changer_lot", crash_au_deuxieme)
    with pytest.raises(SystemExit):
        services_lots.lot_traiter(lot.pk)
    monkeypatch.setattr(services_lots, "statut_changer_lot", vrai)
    assert len(appels) == 2 and len(appels[1]) == 2
    lot.refresh_from_db()
    assert lot.etat == Lot.Etat.EN_COURS
    assert services_lots.compteurs(lot)["fait"] == 2
    assert services_lots.compteurs(lot)["a_faire"] == 2
    # Running normally a moment ago: not offered yet; idle long enough: resumable.
    assert not services_lots.lot_reprendre(lot=lot)
    plus_tard = timezone.now() + services_lots.RELANCE_APRES + timedelta(minutes=1)
    assert services_lots.peut_reprendre(lot, plus_tard)
    assert services_lots.lots_relancer(plus_tard) == [lot.pk]
    assert services_lots.lot_traiter(lot.pk) is None
    lot.refresh_from_db()
    assert lot.etat == Lot.Etat.TERMINE
    assert set(_lignes(lot).values()) == {(FAIT, "En instruction")}
    for dossier in dossiers:  # each moved exactly once
        assert ChangementStatut.objects.filter(dossier=dossier, par=instructeur).count() == 1


def test_interrupted_then_resumed(dispositif, statuts, citizen, instructeur):
    dossiers = [deposer(dispositif, citizen) for _ in range(2)]
    lot = _lot_statut(instructeur, dossiers)
    assert services_lots.lot_interrompre(lot=lot)
    assert services_lots.lot_traiter(lot.pk) is None  # an interrupted lot does nothing
    assert services_lots.compteurs(lot)["a_faire"] == 2
    lot.refresh_from_db()
    assert services_lots.lot_reprendre(lot=lot)
    assert services_lots.lot_traiter(lot.pk) is None
    assert Lot.objects.get(pk=lot.pk).etat == Lot.Etat.TERMINE
    assert not services_lots.lot_interrompre(lot=lot)  # finished: nothing to stop


@pytest.mark.django_db(transaction=True)
def test_never_twice_two_runs_at_once(citizen, instructeur):
    statuts = guide_publie(dispositif_publie())
    dispositif = statuts["depose"].version.guide.dispositif
    dossiers = [deposer(dispositif, citizen) for _ in range(12)]
    lot = _lot_statut(instructeur, dossiers)  # autocommit: enqueued and run eagerly…
    LigneLot.objects.filter(lot=lot).update(etat=A_FAIRE, message="", traitee_le=None)
    Lot.objects.filter(pk=lot.pk).update(etat=Lot.Etat.EN_ATTENTE)
    SuiviInstruction.objects.filter(dossier__in=dossiers).update(statut=statuts["depose"])
    ChangementStatut.objects.filter(par=instructeur).delete()  # …so start over, by hand
    depart = threading.Barrier(2)

    def run():
        try:
            depart.wait(5)
            services_lots.lot_traiter(lot.pk)
        finally:
            connection.close()

    fils = [threading.Thread(target=run) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(30)
    assert set(_lignes(lot).values()) == {(FAIT, "En instruction")}
    for dossier in dossiers:
        assert ChangementStatut.objects.filter(dossier=dossier, par=instructeur).count() == 1
    assert Lot.objects.get(pk=lot.pk).etat == Lot.Etat.TERMINE


# --- field update ---------------------------------------------------------------------------


def _espaces(texte):
    return texte.replace("\u00a0", " ").replace("\u202f", " ")


def _lot_champ(agent, dossiers, dispositif, valeur, champ="montant"):
    return services_lots.lot_creer(
        agent=agent,
        sorte=Lot.Sorte.CHAMPS,
        params={
            "dispositif": dispositif.pk,
            "champ": champ,
            "data": QueryDict(f"{champ}={valeur}"),
        },
        dossiers=_visibles(agent, dossiers),
    )


def test_a_field_lot_sets_the_value_through_the_agents_editing(
    dispositif, statuts, citizen, instructeur, django_capture_on_commit_callbacks
):
    dossiers = [deposer(dispositif, citizen) for _ in range(2)]
    autre = deposer(dispositif_publie(), citizen)
    clos = deposer(dispositif, citizen)
    Dossier.objects.filter(pk=clos.pk).update(statut=Dossier.Statut.CLOS)
    with django_capture_on_commit_callbacks(execute=True):
        lot = _lot_champ(instructeur, [*dossiers, autre, clos], dispositif, "300")
    assert _espaces(lot.params["affichage"]) == "300,00 €"
    assert _espaces(lot.libelle) == "Mettre « Montant » à « 300,00 € »"
    lignes = _lignes(lot)
    assert lignes[dossiers[0].pk] == (FAIT, "")
    assert lignes[autre.pk] == (IGNORE, "Il relève d’un autre dispositif que celui du champ.")
    assert lignes[clos.pk] == (
        IGNORE,
        "Le dossier est clôturé : ses données ne sont plus modifiables.",
    )
    for dossier in dossiers:
        dossier.refresh_from_db()
        assert dossier.donnees["montant"] == "300.00"
        assert dossier.donnees["nom"] == "Martin"  # the other fields untouched
        historique = Historique.objects.get(dossier=dossier, nature=Historique.Nature.CORRECTION)
        assert "Montant : 1 250,50 € → 300,00 €" in _espaces(historique.libelle)
    # Again: the value is already there — done, said so, no second history line.
    with django_capture_on_commit_callbacks(execute=True):
        lot = _lot_champ(instructeur, dossiers, dispositif, "300")
    assert set(_lignes(lot).values()) == {(FAIT, "Il avait déjà cette valeur.")}
    assert Historique.objects.filter(nature=Historique.Nature.CORRECTION).count() == 2


def test_a_field_value_its_type_refuses_is_a_form_error(dispositif, citizen, instructeur):
    dossiers = [deposer(dispositif, citizen)]
    with pytest.raises(ValidationError) as erreur:
        _lot_champ(instructeur, dossiers, dispositif, "beaucoup")
    assert list(erreur.value.message_dict) == ["valeur"]
    with pytest.raises(ValidationError) as erreur:
        _lot_champ(instructeur, dossiers, dispositif, "1", champ="inconnu")
    assert erreur.value.message_dict == {"champ": ["Choisissez un champ de la liste."]}
    with pytest.raises(ValidationError) as erreur:
        _lot_champ(instructeur, dossiers, dispositif_publie(), "1")
    assert erreur.value.message_dict == {
        "dispositif": ["Choisissez un dispositif de la sélection."]
    }


def test_a_field_its_dossier_refuses_is_ignored_with_the_reason(
    citizen, instructeur, django_capture_on_commit_callbacks
):
    """Dossiers of an older form version: « code » was a whole number there (the value
    is refused by its type) and « note » did not exist."""
    dispositif = dispositif_publie(champs=(("nom", "Nom", "texte"), ("code", "Code", "entier")))
    ancien = deposer(dispositif, citizen, donnees={"nom": "Martin", "code": 12})
    brouillon = dossiers_services.modele_brouillon(dispositif=dispositif)
    Champ.objects.filter(modele=brouillon, nom="code").update(type="texte")
    ligne = Champ.objects.get(modele=brouillon, nom="code").ligne
    Champ.objects.create(ligne=ligne, nom="note", libelle="Note", type="texte")
    dossiers_services.modele_publier(modele=brouillon, by=None)
    nouveau = deposer(dispositif, citizen, donnees={"nom": "Petit", "code": "B7"})
    with django_capture_on_commit_callbacks(execute=True):
        lot = _lot_champ(instructeur, [ancien, nouveau], dispositif, "A12", champ="code")
    lignes = _lignes(lot)
    assert lignes[nouveau.pk] == (FAIT, "")
    assert lignes[ancien.pk][0] == IGNORE
    assert "nombre entier" in lignes[ancien.pk][1]
    with django_capture_on_commit_callbacks(execute=True):
        lot = _lot_champ(instructeur, [ancien, nouveau], dispositif, "bien", champ="note")
    assert _lignes(lot)[ancien.pk] == (
        IGNORE,
        "Le formulaire de ce dossier n’a pas ce champ modifiable par les agents.",
    )
    ancien.refresh_from_db()
    assert ancien.donnees == {"nom": "Martin", "code": 12}


# --- campaigns ------------------------------------------------------------------------------


def test_a_campaign_writes_one_outbox_message_per_dossier(
    dispositif, statuts, citizen, instructeur, modele_courriel, django_capture_on_commit_callbacks
):
    dossiers = [deposer(dispositif, citizen) for _ in range(2)]
    sans_adresse = deposer(dispositif, None)
    with django_capture_on_commit_callbacks(execute=True):
        lot = services_lots.lot_creer(
            agent=instructeur,
            sorte=Lot.Sorte.CAMPAGNE,
            params={"modele": modele_courriel.pk, "rythme": 30},
            dossiers=_visibles(instructeur, [*dossiers, sans_adresse]),
        )
    lignes = _lignes(lot)
    assert lignes[sans_adresse.pk] == (IGNORE, "Le demandeur n’a pas d’adresse électronique.")
    messages = Message.objects.filter(cle__startswith=f"instruction.lot:{lot.pk}:")
    assert messages.count() == 2
    message = messages.get(objet_id=str(dossiers[0].pk))
    assert message.destinataire == citizen.email
    assert message.sujet == f"Dossier {dossiers[0].reference}"
    assert "« Votre demande est bien reçue »" in message.corps
    assert Historique.objects.filter(
        dossier=dossiers[0], libelle="Courriel « Rappel de pièces » envoyé (campagne)"
    ).exists()


def test_campaign_pacing(dispositif, statuts, citizen, instructeur, modele_courriel):
    dossiers = [deposer(dispositif, citizen) for _ in range(5)]
    lot = services_lots.lot_creer(
        agent=instructeur,
        sorte=Lot.Sorte.CAMPAGNE,
        params={"modele": modele_courriel.pk, "rythme": 2},
        dossiers=_visibles(instructeur, dossiers),
    )
    assert services_lots.cadence(lot) == (2, 60.0)
    assert services_lots.pause_avant_suite(lot, 1.5) == 58.5
    assert services_lots.pause_avant_suite(lot, 75) == 0.0
    pause = services_lots.lot_traiter(lot.pk)  # one chunk of 2, then the pause
    assert 50 < pause <= 60
    assert services_lots.compteurs(lot)["fait"] == 2
    statut = Lot(sorte=Lot.Sorte.STATUT)
    assert services_lots.cadence(statut) == (services_lots.TRANCHE, 0.0)


def test_the_task_enqueues_the_next_chunk_after_the_pause(
    dispositif, statuts, citizen, instructeur, modele_courriel, monkeypatch
):
    from instruction import tasks

    dossiers = [deposer(dispositif, citizen) for _ in range(3)]
    lot = services_lots.lot_creer(
        agent=instructeur,
        sorte=Lot.Sorte.CAMPAGNE,
        params={"modele": modele_courriel.pk, "rythme": 2},
        dossiers=_visibles(instructeur, dossiers),
    )
    suites = []
    monkeypatch.setattr(
        tasks.lot_traiter_task, "apply_async", lambda args, countdown: suites.append(countdown)
    )
    tasks.lot_traiter_task(lot.pk)
    assert len(suites) == 1 and 50 < suites[0] <= 60
    tasks.lot_traiter_task(lot.pk)
    assert len(suites) == 1  # the last chunk: finished, nothing enqueued
    assert Lot.objects.get(pk=lot.pk).etat == Lot.Etat.TERMINE


def test_a_campaign_whose_template_was_unpublished_fails_and_resumes(
    dispositif, statuts, citizen, instructeur, modele_courriel
):
    dossier = deposer(dispositif, citizen)
    lot = services_lots.lot_creer(
        agent=instructeur,
        sorte=Lot.Sorte.CAMPAGNE,
        params={"modele": modele_courriel.pk, "rythme": 10},
        dossiers=_visibles(instructeur, [dossier]),
    )
    ModeleMessage.objects.filter(pk=modele_courriel.pk).update(publie_le=None)
    assert services_lots.lot_traiter(lot.pk) is None
    lot.refresh_from_db()
    assert (lot.etat, lot.erreur) == (
        Lot.Etat.ECHOUE,
        "Le modèle de message n’existe plus ou n’est plus publié.",
    )
    ModeleMessage.objects.filter(pk=modele_courriel.pk).update(publie_le=timezone.now())
    assert services_lots.lot_reprendre(lot=lot)
    services_lots.lot_traiter(lot.pk)
    assert _lignes(lot)[dossier.pk][0] == FAIT


def test_campaign_bad_parameters(dispositif, citizen, instructeur, modele_courriel):
    dossiers = _visibles(instructeur, [deposer(dispositif, citizen)])
    for params, champ in (
        ({"modele": 0, "rythme": 10}, "modele"),
        ({"modele": modele_courriel.pk, "rythme": 0}, "rythme"),
        ({"modele": modele_courriel.pk, "rythme": 100000}, "rythme"),
    ):
        with pytest.raises(ValidationError) as erreur:
            services_lots.lot_creer(
                agent=instructeur, sorte=Lot.Sorte.CAMPAGNE, params=params, dossiers=dossiers
            )
        assert list(erreur.value.message_dict) == [champ]


def test_an_sms_campaign_skips_the_dossiers_without_a_mobile(
    dispositif, statuts, citizen, instructeur, django_capture_on_commit_callbacks
):
    from tests.usagers.factories import IndividuFactory

    modele = ModeleMessage.objects.create(
        nom="SMS rappel",
        canal=Canal.SMS,
        evenement=services.EVENEMENT_STATUT,
        corps="{{ autorite }} : dossier {{ dossier.reference }}, {{ statut.libelle }}.",
    )
    assert notifications_services.modele_publier(modele) == []
    mobile = deposer(dispositif, citizen, individu=IndividuFactory(telephone_mobile="+33612345678"))
    sans = deposer(dispositif, citizen, individu=IndividuFactory(telephone_mobile=""))
    with django_capture_on_commit_callbacks(execute=True):
        lot = services_lots.lot_creer(
            agent=instructeur,
            sorte=Lot.Sorte.CAMPAGNE,
            params={"modele": modele.pk, "rythme": 60},
            dossiers=_visibles(instructeur, [mobile, sans]),
        )
    assert _lignes(lot) == {
        mobile.pk: (FAIT, "+33612345678"),
        sans.pk: (IGNORE, "Le demandeur n’a pas de numéro de mobile."),
    }
    message = Message.objects.get(cle=f"instruction.lot:{lot.pk}:{mobile.pk}")
    assert (message.canal, message.destinataire) == (Canal.SMS, "+33612345678")


def test_beat_resumes_the_lots_whose_worker_was_lost(dispositif, statuts, citizen, instructeur):
    from django.conf import settings

    from instruction import tasks

    entree = settings.CELERY_BEAT_SCHEDULE["instruction-lots-relancer"]
    assert entree["task"] == tasks.lots_relancer_task.name
    lot = _lot_statut(instructeur, [deposer(dispositif, citizen)])  # never enqueued
    assert tasks.lots_relancer_task() == []  # too recent to be called lost
    Lot.objects.filter(pk=lot.pk).update(
        created_at=timezone.now() - timedelta(hours=1), actif_le=None
    )
    assert tasks.lots_relancer_task() == [lot.pk]


def test_the_admin_shows_the_lines_not_done(
    client,
    admin_user,
    dispositif,
    statuts,
    citizen,
    instructeur,
    django_capture_on_commit_callbacks,
):
    dossiers = [deposer(dispositif, citizen) for _ in range(2)]
    services.change_status(dossier=dossiers[1], statut=statuts["instruction"], by=None)
    with django_capture_on_commit_callbacks(execute=True):
        lot = _lot_statut(instructeur, dossiers)
    client.force_login(admin_user)
    html = client.get(f"/admin/instruction/lot/{lot.pk}/change/").content.decode()
    assert "Le dossier a déjà ce statut." in html
    assert dossiers[1].reference in html and dossiers[0].reference not in html
    assert client.get("/admin/instruction/lot/add/").status_code == 403


def test_an_unexpected_error_fails_that_dossier_only(
    dispositif, statuts, citizen, instructeur, monkeypatch, caplog
):
    dossiers = [deposer(dispositif, citizen) for _ in range(3)]
    lot = _lot_statut(instructeur, dossiers)
    vrai = services.change_status

    def panne_au_deuxieme(**kwargs):
        if kwargs["dossier"].pk == dossiers[1].pk:
            raise RuntimeError("disque plein")
        return vrai(**kwargs)

    monkeypatch.setattr(services, "change_status", panne_au_deuxieme)
    # A statut lot moves its chunk together (services_statut_lot): the same failure
    # there, on the chunk holding that dossier, rolls the chunk back; it is then redone
    # dossier by dossier, where change_status fails for that one alone.
    vrai_lot = services_statut_lot._ecrire_changements

    def panne_dans_le_lot(a_faire, *args):
        if any(ligne.dossier.pk == dossiers[1].pk for ligne in a_faire):
            raise RuntimeError("disque plein")
        return vrai_lot(a_faire, *args)

    monkeypatch.setattr(services_statut_lot, "_ecrire_changements", panne_dans_le_lot)
    assert services_lots.lot_traiter(lot.pk) is None
    assert _lignes(lot) == {
        dossiers[0].pk: (FAIT, "En instruction"),
        dossiers[1].pk: (
            LigneLot.Etat.ECHEC,
            "Erreur inattendue (RuntimeError) : rien n’a été modifié.",
        ),
        dossiers[2].pk: (FAIT, "En instruction"),
    }
    assert f"dossier {dossiers[1].pk} failed" in caplog.text
    assert Lot.objects.get(pk=lot.pk).etat == Lot.Etat.TERMINE


def test_a_lot_too_large_is_refused(dispositif, statuts, citizen, instructeur, monkeypatch):
    monkeypatch.setattr(services_lots, "LOTS_MAX", 2)
    with pytest.raises(ValidationError) as erreur:
        _lot_statut(instructeur, [deposer(dispositif, citizen) for _ in range(3)])
    assert erreur.value.messages == ["Un lot porte sur 2 dossiers au plus : affinez les filtres."]
    assert not Lot.objects.exists()
