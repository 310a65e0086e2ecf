"""The agent's digest preference (C14, issue 9 — resume): each morning (the default),
at each change (beat every five minutes), or never."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dossiers import services_suivis, tasks
from dossiers.models import Historique, PreferenceResume, ResumeSuivi, SuiviAgent
from notifications.models import Message
from tests.crm.dossiers.conftest import deposer, dispositif_publie

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
LUNDI = datetime(2026, 3, 2, 7, 0, tzinfo=PARIS)
Frequence = PreferenceResume.Frequence


@pytest.fixture
def suivi(citizen, instructeur):
    dossier = deposer(dispositif_publie(), citizen)
    SuiviAgent.objects.create(agent=instructeur, dossier=dossier, depuis=LUNDI - timedelta(days=2))
    return dossier


def _ligne(dossier, quand, libelle):
    return Historique.objects.create(dossier=dossier, quand=quand, nature="statut", libelle=libelle)


def test_the_daily_digest_is_the_default(instructeur, suivi):
    assert services_suivis.frequence_de(instructeur) == Frequence.QUOTIDIEN
    _ligne(suivi, LUNDI - timedelta(hours=2), "Déposé → En instruction")
    assert services_suivis.resumes_envoyer(maintenant=LUNDI).envoyes == [instructeur.pk]
    assert services_suivis.resumes_envoyer(maintenant=LUNDI, immediats=True).envoyes == []


def test_never_means_no_digest_and_turning_it_back_on_tells_only_what_comes(instructeur, suivi):
    services_suivis.preference_definir(agent=instructeur, frequence=Frequence.JAMAIS)
    _ligne(suivi, LUNDI - timedelta(hours=2), "Pendant que le résumé était coupé")
    assert services_suivis.resumes_envoyer(maintenant=LUNDI).envoyes == []
    assert services_suivis.resumes_envoyer(maintenant=LUNDI, immediats=True).envoyes == []
    assert not Message.objects.exists()

    services_suivis.preference_definir(
        agent=instructeur, frequence=Frequence.QUOTIDIEN, maintenant=LUNDI + timedelta(hours=1)
    )
    _ligne(suivi, LUNDI + timedelta(hours=3), "Après")
    # The same day still gets its digest: turning it on set no « already made » day.
    services_suivis.resumes_envoyer(maintenant=LUNDI + timedelta(hours=4))
    mail = Message.objects.get()
    assert "Après" in mail.corps and "coupé" not in mail.corps


def test_at_each_change_every_five_minutes_then_back_to_daily(instructeur, suivi):
    services_suivis.preference_definir(agent=instructeur, frequence=Frequence.CHAQUE_CHANGEMENT)
    _ligne(suivi, LUNDI - timedelta(minutes=4), "Premier changement")
    assert services_suivis.resumes_envoyer(maintenant=LUNDI).envoyes == []  # not daily
    assert services_suivis.resumes_envoyer(maintenant=LUNDI, immediats=True).envoyes == [
        instructeur.pk
    ]
    again = services_suivis.resumes_envoyer(maintenant=LUNDI + timedelta(minutes=5), immediats=True)
    assert again.sans_changement == 1
    _ligne(suivi, LUNDI + timedelta(minutes=7), "Second changement")
    services_suivis.resumes_envoyer(maintenant=LUNDI + timedelta(minutes=10), immediats=True)
    premier, second = Message.objects.order_by("created_at")
    assert "Premier changement" in premier.corps and "Second" not in premier.corps
    assert "Second changement" in second.corps and "Premier" not in second.corps
    assert premier.sujet == "Vos dossiers suivis : 1 changement"

    # Back to daily: the same day's digest tells what came after the last one.
    services_suivis.preference_definir(agent=instructeur, frequence=Frequence.QUOTIDIEN)
    _ligne(suivi, LUNDI + timedelta(hours=1), "Troisième changement")
    services_suivis.resumes_envoyer(maintenant=LUNDI + timedelta(hours=2))
    dernier = Message.objects.order_by("-created_at").first()
    assert "Troisième changement" in dernier.corps and "Second" not in dernier.corps
    assert ResumeSuivi.objects.get(agent=instructeur).jour == LUNDI.date()


def test_the_five_minutes_task(instructeur, suivi):
    services_suivis.preference_definir(agent=instructeur, frequence=Frequence.CHAQUE_CHANGEMENT)
    Historique.objects.create(dossier=suivi, nature="statut", libelle="Tout juste")
    assert tasks.suivis_resumer_immediats() == {"envoyes": 1, "sans_changement": 0}
    assert tasks.suivis_resumer_immediats() == {"envoyes": 0, "sans_changement": 1}


def test_an_unknown_frequency_is_refused(instructeur):
    with pytest.raises(services_suivis.PreferenceRefusee) as refus:
        services_suivis.preference_definir(agent=instructeur, frequence="hebdomadaire")
    assert "fréquences proposées" in str(refus.value)
    assert not PreferenceResume.objects.exists()
