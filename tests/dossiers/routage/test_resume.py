"""The followers' daily digest (C14): one mail per agent listing what changed on their
followed dossiers since the previous digest; never twice for the same day."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dossiers import services_corbeille, services_routage, services_suivis
from dossiers.models import Historique, ResumeSuivi, SuiviAgent
from notifications.models import Message
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.routage.factories import EtiquetteFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
LUNDI = datetime(2026, 3, 2, 7, 0, tzinfo=PARIS)


def _ligne(dossier, quand, libelle, par=None):
    return Historique.objects.create(
        dossier=dossier, quand=quand, par=par, nature="statut", libelle=libelle
    )


@pytest.fixture
def dossiers(citizen):
    dispositif = dispositif_publie()
    return deposer(dispositif, citizen), deposer(dispositif, citizen), deposer(dispositif, citizen)


def _suivre(agent, dossier, depuis):
    SuiviAgent.objects.create(agent=agent, dossier=dossier, depuis=depuis)


def test_digest_lists_others_changes_once_per_day(dossiers, instructeur):
    suivi, autre_suivi, non_suivi = dossiers
    _suivre(instructeur, suivi, LUNDI - timedelta(days=3))
    _suivre(instructeur, autre_suivi, LUNDI - timedelta(days=3))
    _ligne(suivi, LUNDI - timedelta(hours=5), "Déposé → En instruction")
    _ligne(suivi, LUNDI - timedelta(hours=4), "Mon propre changement", par=instructeur)
    _ligne(autre_suivi, LUNDI - timedelta(hours=3), "Nouveau message de l’usager")
    _ligne(non_suivi, LUNDI - timedelta(hours=2), "Ne me concerne pas")

    bilan = services_suivis.resumes_envoyer(
        maintenant=LUNDI, lien=lambda d: f"https://crm.exemple.fr/{d.pk}/"
    )

    assert bilan.envoyes == [instructeur.pk]
    mail = Message.objects.get(destinataire=instructeur.email)
    assert mail.evenement == "dossier.suivi_resume"
    assert "Déposé → En instruction" in mail.corps
    assert "Nouveau message de l’usager" in mail.corps
    assert "Mon propre changement" not in mail.corps
    assert "Ne me concerne pas" not in mail.corps
    assert suivi.reference in mail.corps and f"https://crm.exemple.fr/{suivi.pk}/" in mail.corps

    # Same day again: nothing more. Next day: only what came since.
    again = services_suivis.resumes_envoyer(maintenant=LUNDI + timedelta(hours=2))
    assert again.deja_faits == 1 and Message.objects.count() == 1
    _ligne(suivi, LUNDI + timedelta(hours=5), "Dossier recevable")
    services_suivis.resumes_envoyer(maintenant=LUNDI + timedelta(days=1))
    mardi = Message.objects.exclude(pk=mail.pk).get()
    assert "Dossier recevable" in mardi.corps and "Déposé → En instruction" not in mardi.corps
    assert ResumeSuivi.objects.get(agent=instructeur).lignes == 1


def test_no_change_no_mail_but_the_period_moves_on(dossiers, instructeur):
    suivi = dossiers[0]
    _suivre(instructeur, suivi, LUNDI - timedelta(days=1))
    bilan = services_suivis.resumes_envoyer(maintenant=LUNDI)
    assert bilan.sans_changement == 1 and not Message.objects.exists()
    assert ResumeSuivi.objects.get(agent=instructeur).jusqu_au == LUNDI


def test_changes_before_the_follow_and_trashed_dossiers_are_left_out(dossiers, instructeur):
    suivi, en_corbeille, _ = dossiers
    _ligne(suivi, LUNDI - timedelta(days=2), "Avant le suivi")
    _suivre(instructeur, suivi, LUNDI - timedelta(days=1))
    _suivre(instructeur, en_corbeille, LUNDI - timedelta(days=1))
    services_corbeille.dossier_mettre_a_la_corbeille(
        dossier=en_corbeille, by=None, maintenant=LUNDI - timedelta(hours=1)
    )
    _ligne(en_corbeille, LUNDI - timedelta(minutes=30), "Dans la corbeille")
    assert services_suivis.changements(instructeur, jusqu_au=LUNDI) == []


def test_an_agent_without_the_right_gets_nothing(dossiers):
    ancien = UserFactory(agent=True)  # follows, but may no longer instruct
    services_routage.dossier_suivre(dossier=dossiers[0], agent=ancien)
    _ligne(dossiers[0], LUNDI - timedelta(hours=1), "Changement")
    services_suivis.resumes_envoyer(maintenant=LUNDI)
    assert not Message.objects.filter(destinataire=ancien.email).exists()


def test_the_beat_task_runs_the_digest(dossiers, instructeur):
    from dossiers import tasks

    services_routage.dossier_suivre(dossier=dossiers[0], agent=instructeur)
    services_routage.dossier_etiqueter(
        dossier=dossiers[0],
        etiquette=EtiquetteFactory(),
        by=None,
    )
    resultat = tasks.suivis_resumer()
    assert resultat["envoyes"] == 1
    assert "/crm/dossiers/" in Message.objects.get().corps
    assert tasks.suivis_resumer()["deja_faits"] == 1
