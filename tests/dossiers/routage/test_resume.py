"""The followers' daily digest (C14): one mail per agent listing what changed on their
followed dossiers since the previous digest; never twice for the same day."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dossiers import services_corbeille, services_routage, services_suivis
from dossiers.models import Historique, ResumeSuivi, SuiviAgent
from notifications import services as notifications
from notifications.models import Correspondance, Message, ModeleMessage, Notification
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


# --- The digest as an editable notifications template (issue 9 — resume) ---------------


def _modele_resume():
    from dossiers.evenements_suivis import EVENEMENT

    return Correspondance.objects.select_related("modele").get(evenement=EVENEMENT).modele


def test_the_shipped_template_is_published_mapped_and_valid():
    modele = _modele_resume()
    assert modele.est_publie and modele.canal == "email"
    assert not notifications.modele_problemes(
        canal=modele.canal, evenement=modele.evenement, sujet=modele.sujet, corps=modele.corps
    )
    # The preview walks the sample's two dossiers and their changes.
    apercu = notifications.apercu(
        canal=modele.canal, evenement=modele.evenement, sujet=modele.sujet, corps=modele.corps
    )
    assert apercu.sujet == "Vos dossiers suivis : 3 changements"
    assert "2026-SUB-000123 — Subvention aux associations (En instruction)" in apercu.corps
    assert "  - 2 mars 2026 à 9 h 12 : Déposé → En instruction\n    par Paul Girard" in apercu.corps
    assert "2026-SAL-000057" in apercu.corps and "/crm/dossiers/57/" in apercu.corps


def test_the_mail_lists_each_dossier_with_its_changes_in_local_time(dossiers, instructeur):
    suivi, autre, _ = dossiers
    _suivre(instructeur, suivi, LUNDI - timedelta(days=1))
    _suivre(instructeur, autre, LUNDI - timedelta(days=1))
    collegue = UserFactory(agent=True)
    _ligne(suivi, LUNDI - timedelta(hours=5), "Déposé → En instruction", par=collegue)
    _ligne(suivi, LUNDI - timedelta(hours=3), "Nouveau message de l’usager")
    _ligne(autre, LUNDI - timedelta(hours=1), "Dossier recevable")
    services_suivis.resumes_envoyer(maintenant=LUNDI)
    mail = Message.objects.get()
    assert mail.sujet == "Vos dossiers suivis : 3 changements"
    assert mail.modele == _modele_resume() and mail.usager == instructeur
    # 07:00 in Paris minus 5 hours: 2:00 Paris time (not UTC); the author on its line.
    assert (
        f"{suivi.reference} — {suivi.dispositif.titre} ({suivi.get_statut_display()})\n"
        f"  - 2 mars 2026 à 2 h 00 : Déposé → En instruction\n"
        f"    par {collegue}\n"
        f"  - 2 mars 2026 à 4 h 00 : Nouveau message de l’usager\n"
        f"  {services_suivis.lien_crm(suivi)}\n"
    ) in mail.corps
    assert "  - 2 mars 2026 à 6 h 00 : Dossier recevable\n" in mail.corps
    assert mail.corps.index(suivi.reference) < mail.corps.index(autre.reference)
    assert f"/crm/dossiers/{autre.pk}/" in mail.corps_html


def test_an_admins_edited_template_is_what_agents_get(dossiers, instructeur):
    modele = _modele_resume()
    modele.sujet = "{{ nombre_dossiers }} dossier(s) bougent"
    modele.corps = (
        "{% for dossier in dossiers %}"
        "{{ loop.index }}. {{ dossier.reference }}"
        "{% for changement in dossier.changements %} / {{ changement.nature }}: "
        "{{ changement.libelle }}{% endfor %}\n"
        "{% endfor %}"
    )
    assert not notifications.modele_publier(modele)
    _suivre(instructeur, dossiers[0], LUNDI - timedelta(days=1))
    _ligne(dossiers[0], LUNDI - timedelta(hours=2), "Déposé → En instruction")
    services_suivis.resumes_envoyer(maintenant=LUNDI)
    mail = Message.objects.get()
    assert mail.sujet == "1 dossier(s) bougent"
    assert mail.corps == (
        f"1. {dossiers[0].reference} / Changement de statut: Déposé → En instruction"
    )


def test_a_variable_the_digest_does_not_give_is_refused_at_publication():
    modele = _modele_resume()
    modele.corps = "{% for dossier in dossiers %}{{ dossier.montant }}{% endfor %}"
    problemes = notifications.modele_publier(modele)
    assert [p.probleme.variable for p in problemes] == ["dossier.montant"]
    modele.refresh_from_db()
    assert "dossier.montant" not in modele.corps_publie


def test_an_unmapped_digest_sends_nothing_and_the_day_still_counts(dossiers, instructeur):
    Correspondance.objects.filter(modele=_modele_resume()).update(actif=False)
    _suivre(instructeur, dossiers[0], LUNDI - timedelta(days=1))
    _ligne(dossiers[0], LUNDI - timedelta(hours=2), "Changement")
    services_suivis.resumes_envoyer(maintenant=LUNDI)
    assert not Message.objects.exists()
    assert ResumeSuivi.objects.get(agent=instructeur).lignes == 1
    assert services_suivis.resumes_envoyer(maintenant=LUNDI).deja_faits == 1


def test_a_lost_default_template_is_installed_again_on_first_need(dossiers, instructeur):
    ModeleMessage.objects.filter(evenement=services_suivis.EVENEMENT).delete()
    _suivre(instructeur, dossiers[0], LUNDI - timedelta(days=1))
    _ligne(dossiers[0], LUNDI - timedelta(hours=2), "Changement")
    services_suivis.resumes_envoyer(maintenant=LUNDI)
    assert Message.objects.get().modele == _modele_resume()


def test_an_in_app_template_rings_the_agents_bell(dossiers, instructeur):
    cloche = ModeleMessage.objects.create(
        nom="Résumé — notification",
        canal="application",
        evenement=services_suivis.EVENEMENT,
        sujet="{{ nombre }} changement(s) sur vos dossiers suivis",
        corps="{% for dossier in dossiers %}{{ dossier.reference }} {% endfor %}",
    )
    assert not notifications.modele_publier(cloche)
    notifications.correspondance_enregistrer(evenement=cloche.evenement, modele=cloche)
    _suivre(instructeur, dossiers[0], LUNDI - timedelta(days=1))
    _ligne(dossiers[0], LUNDI - timedelta(hours=2), "Changement")
    services_suivis.resumes_envoyer(maintenant=LUNDI)
    services_suivis.resumes_envoyer(maintenant=LUNDI + timedelta(hours=1))
    (notice,) = Notification.objects.filter(destinataire=instructeur)
    assert notice.titre == "1 changement(s) sur vos dossiers suivis"
    assert notice.texte.strip() == dossiers[0].reference


def test_the_template_is_edited_in_the_crm_messages_screen(client):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    gestionnaire = UserFactory(agent=True)
    gestionnaire.user_permissions.add(Permission.objects.get(codename="gerer_modeles"))
    client.force_login(gestionnaire)
    modele = _modele_resume()
    assert modele.nom in client.get(reverse("crm:messagerie_modeles")).content.decode()
    page = client.get(reverse("crm:messagerie_modele", args=[modele.pk])).content.decode()
    assert "element.changements" in page and "Auteur (vide : le système)" in page
    assert "Vos dossiers suivis : 3 changements" in page  # the preview on the sample
