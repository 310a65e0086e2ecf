"""Delivery through the outbox, in process (eager): failures, retries, leases, receipts."""

import io
import json
import urllib.error
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from notifications import services, sms
from notifications.models import Canal, Message, Resultat, Statut, Tentative
from tests.notifications import worker as w

pytestmark = pytest.mark.django_db


def file(canal=Canal.EMAIL, destinataire="usager@exemple.fr", **kwargs) -> Message:
    with transaction.atomic():
        return services.mettre_en_file(
            canal=canal, destinataire=destinataire, corps="Bonjour", sujet="Objet", **kwargs
        )


def test_a_mail_is_sent_once_with_its_key_as_message_id(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = file()
    message.refresh_from_db()
    assert message.statut == Statut.ENVOYE
    assert message.fournisseur_id == services.message_id(message)
    assert mail.outbox[0].extra_headers["Message-ID"] == services.message_id(message)
    # Delivering again (a redelivered task) sends nothing.
    assert services.livrer(message.pk) == "déjà traité"
    assert len(mail.outbox) == 1
    recu = Tentative.objects.get(message=message)
    assert (recu.resultat, recu.fournisseur_id) == (Resultat.SUCCES, message.fournisseur_id)


def test_the_same_key_twice_queues_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        premier = file(cle="compte-cree-42")
        second = file(cle="compte-cree-42")
    assert premier.pk == second.pk
    assert len(mail.outbox) == 1


def test_sms_to_an_invalid_number_fails_with_its_reason_and_no_retry(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = file(canal=Canal.SMS, destinataire="12345")
    message.refresh_from_db()
    assert message.statut == Statut.ECHEC
    assert "Numéro invalide « 12345 »" in message.derniere_erreur
    assert message.tentatives == 1
    # Nothing is due: the sweeper does not pick it up again.
    assert services.relancer_en_retard() == 0


def test_sms_through_the_file_fake(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.GUICHET_SMS_DIR = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        message = file(canal=Canal.SMS, destinataire="06 12 34 56 78")
    message.refresh_from_db()
    assert message.statut == Statut.ENVOYE
    ligne = json.loads((tmp_path / "sms.jsonl").read_text())
    assert (ligne["numero"], ligne["cle"]) == ("+33612345678", message.cle)
    assert message.fournisseur_id == f"fichier-{message.cle}"


def test_smtp_down_the_message_waits_and_leaves_when_it_is_back(settings):
    port = w.port_libre()  # nothing listens there yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    message = Message.objects.create(canal=Canal.EMAIL, destinataire="a@exemple.fr", corps="x")
    assert services.livrer(message.pk) == "nouvel essai"
    message.refresh_from_db()
    assert message.statut == Statut.EN_ATTENTE
    assert message.derniere_erreur.startswith("Serveur injoignable")
    assert message.prochaine_tentative > timezone.now() + timedelta(seconds=20)
    # Not due yet: a redelivered task leaves it alone.
    assert services.livrer(message.pk) == "pas encore"

    boite = w.BoiteSmtp(lents=set())
    from aiosmtpd.controller import Controller

    serveur = Controller(boite, hostname="127.0.0.1", port=port)
    serveur.start()
    try:
        Message.objects.filter(pk=message.pk).update(prochaine_tentative=timezone.now())
        sortie = io.StringIO()
        call_command("envoyer_messages", stdout=sortie)
        assert "envoyé : 1" in sortie.getvalue()
    finally:
        serveur.stop()
    message.refresh_from_db()
    assert message.statut == Statut.ENVOYE
    assert list(boite.compte()) == [services.message_id(message)]
    assert list(message.recus.values_list("resultat", flat=True)) == [
        Resultat.ERREUR_TEMPORAIRE,
        Resultat.SUCCES,
    ]


def test_backoff_grows_and_is_capped(settings):
    settings.GUICHET_NOTIFICATIONS_DELAI_MAX = 600
    delais = [services.delai_avant_nouvel_essai(n).total_seconds() for n in range(1, 8)]
    assert delais == [30, 60, 120, 240, 480, 600, 600]


def test_temporary_errors_give_up_after_the_abandon_delay(settings):
    settings.GUICHET_NOTIFICATIONS_ABANDON = 60
    message = Message.objects.create(
        canal=Canal.SMS,
        destinataire="0612345678",
        corps="x",
        en_file_depuis=timezone.now() - timedelta(minutes=5),
    )
    with mock.patch.object(sms.SmsFichier, "envoyer", side_effect=sms.ErreurTemporaire("503")):
        assert services.livrer(message.pk) == "échec"
    message.refresh_from_db()
    assert message.statut == Statut.ECHEC
    assert message.derniere_erreur.startswith("Abandon après 1 tentatives")


def test_a_live_lease_is_respected_and_an_expired_one_is_taken_over():
    message = Message.objects.create(canal=Canal.EMAIL, destinataire="a@exemple.fr", corps="x")
    claimed, tentative, _ = services._reserver(message.pk)  # a worker claims, then dies
    assert claimed is not None
    assert services.livrer(message.pk) == "bail"
    assert mail.outbox == []
    Message.objects.filter(pk=message.pk).update(bail_jusqua=timezone.now() - timedelta(seconds=1))
    assert services.relancer_en_retard() == 1  # the sweeper enqueues it (eagerly: sends)
    message.refresh_from_db()
    assert message.statut == Statut.ENVOYE
    assert len(mail.outbox) == 1
    assert list(message.recus.values_list("resultat", flat=True)) == [
        Resultat.INTERROMPU,
        Resultat.SUCCES,
    ]


def test_an_admin_retries_a_failed_message(django_capture_on_commit_callbacks):
    message = Message.objects.create(
        canal=Canal.EMAIL, destinataire="a@exemple.fr", corps="x", statut=Statut.ECHEC
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.relancer(message)
    message.refresh_from_db()
    assert message.statut == Statut.ENVOYE


def test_a_broker_down_at_commit_leaves_the_row_for_the_sweeper(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch("notifications.tasks.envoyer_courriel.apply_async", side_effect=OSError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = file()
    message.refresh_from_db()
    assert message.statut == Statut.EN_ATTENTE
    assert services.relancer_en_retard() == 1
    message.refresh_from_db()
    assert message.statut == Statut.ENVOYE


def test_attachments_are_read_from_storage(django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    nom = default_storage.save("justificatifs/recu.pdf", ContentFile(b"%PDF-1.7 test"))
    with django_capture_on_commit_callbacks(execute=True):
        file(pieces_jointes=[{"nom": "recu.pdf", "fichier": nom, "type": "application/pdf"}])
    assert mail.outbox[0].attachments == [("recu.pdf", b"%PDF-1.7 test", "application/pdf")]


# --- The real SMS provider, against recorded answers --------------------------------


class Reponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_brevo_sends_and_returns_the_provider_id(settings):
    settings.GUICHET_SMS_CLE_API = "cle-test"
    enregistre = b'{"reference":"ab1cde2fgh3i4jklmno","messageId":1511882900176220}'
    with mock.patch("urllib.request.urlopen", return_value=Reponse(enregistre)) as appel:
        identifiant = sms.SmsBrevo().envoyer("+33612345678", "Bonjour", "cle-1")
    assert identifiant == "1511882900176220"
    requete = appel.call_args.args[0]
    assert requete.full_url == "https://api.brevo.com/v3/transactionalSMS/sms"
    assert requete.get_header("Api-key") == "cle-test"
    corps = json.loads(requete.data)
    assert corps["recipient"] == "33612345678" and corps["tag"] == "cle-1"


@pytest.mark.parametrize(
    ("code", "erreur"), [(400, sms.ErreurDefinitive), (503, sms.ErreurTemporaire)]
)
def test_brevo_errors_are_sorted_definitive_or_temporary(code, erreur):
    http = urllib.error.HTTPError(
        "https://api.brevo.com", code, "x", {}, io.BytesIO(b'{"code":"invalid_parameter"}')
    )
    with mock.patch("urllib.request.urlopen", side_effect=http), pytest.raises(erreur):
        sms.SmsBrevo().envoyer("+33612345678", "Bonjour", "cle-1")


def test_brevo_unreachable_is_temporary():
    with (
        mock.patch("urllib.request.urlopen", side_effect=urllib.error.URLError("refused")),
        pytest.raises(sms.ErreurTemporaire),
    ):
        sms.SmsBrevo().envoyer("+33612345678", "Bonjour", "cle-1")
