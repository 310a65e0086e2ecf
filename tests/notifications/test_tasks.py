import time
from email import message_from_bytes, policy

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from config.celery import app as celery_app
from notifications.models import Message
from notifications.services import message_id, send_email
from tests.notifications import worker as w


@pytest.mark.django_db
def test_email_is_sent_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send_email(subject="Votre demande", body="Bonjour", to=["usager@exemple.fr"])
        assert mail.outbox == []  # nothing leaves before commit
    assert len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Votre demande"]
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email(subject="Jamais envoyé", body="…", to=["usager@exemple.fr"])
        raise RuntimeError("rollback")
    assert mail.outbox == []


@pytest.mark.django_db
def test_html_alternative_is_attached(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_email(subject="S", body="texte", to=["a@exemple.fr"], html_body="<p>html</p>")
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def _ecrits(dossier) -> bool:
    """Some file of the folder holds a whole message (ends with its line of dashes)."""
    return any(f.read_bytes().rstrip().endswith(b"-" * 79) for f in dossier.iterdir())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_on_redis_sends_the_email(tmp_path):
    """A Celery worker process consumes the task from Redis and sends the mail."""
    w.exiger_redis()
    celery_app.control.purge()
    worker = w.demarrer_worker(concurrence=1, GUICHET_TEST_EMAIL_DIR=str(tmp_path))
    celery_app.conf.task_always_eager = False
    try:
        with transaction.atomic():
            send_email(subject="Accusé de réception", body="Bien reçu", to=["u@exemple.fr"])
        # A worker starting on a CI machine busy with browser tests took over a minute to
        # boot Django once: the wait bounds a hang, it measures nothing.
        # The file appears before the backend has written it: wait for the line of
        # dashes that ends a message (a busy machine once read the file empty).
        deadline = time.monotonic() + 180
        while not _ecrits(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.2)
        files = list(tmp_path.iterdir())
        assert len(files) == 1 and _ecrits(tmp_path), "the worker sent no email within 180 s"
        # The file backend appends a line of dashes after each message.
        raw = files[0].read_bytes().rsplit(b"\n" + b"-" * 79, 1)[0]
        message = message_from_bytes(raw, policy=policy.default)
        assert message["Subject"] == "Accusé de réception"
        assert message["To"] == "u@exemple.fr"
        assert message.get_content().strip() == "Bien reçu"
        sent = Message.objects.get()
        assert message["Message-ID"] == message_id(sent)
    finally:
        celery_app.conf.task_always_eager = True
        w.arreter(worker)
