"""Issue 6's promise under the worst crashes: 100 mails, a real SMTP server, a real
Celery worker on Redis killed with SIGKILL twice while a message is in flight (once the
pool's children, once the whole worker); every mail arrives exactly once."""

import time

import pytest
from django.db import transaction

from config.celery import app as celery_app
from notifications.models import Message, Resultat, Statut, Tentative
from notifications.services import message_id, send_email
from tests.notifications import worker as w

BAIL = 4  # seconds a claim lasts: short, so the test does not wait for minutes
VISIBILITE = 6  # seconds before Redis gives a dead worker's messages to another


def attendre(condition, *, delai: float, message: str):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if valeur := condition():
            return valeur
        time.sleep(0.1)
    pytest.fail(message)


@pytest.mark.worker
@pytest.mark.timeout(240)
@pytest.mark.django_db(transaction=True)
def test_sigkill_during_100_mails_each_arrives_exactly_once():
    w.exiger_redis()
    celery_app.control.purge()
    boite = w.BoiteSmtp(lents={"Courriel 30", "Courriel 70"})
    smtp = w.serveur_smtp(boite)
    env = {
        "GUICHET_TEST_SMTP_PORT": str(smtp.port),
        "GUICHET_NOTIFICATIONS_BAIL": str(BAIL),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITE),
    }
    celery_app.conf.task_always_eager = False
    # One pool process: the only message in flight at each kill is the held one, so a
    # kill never lands in the narrow window between a 250 and its commit (README).
    worker = w.demarrer_worker(concurrence=1, **env)
    try:
        with transaction.atomic():
            for i in range(100):
                send_email(subject=f"Courriel {i}", body=f"Corps {i}", to=[f"u{i}@exemple.fr"])
        attendus = {message_id(m) for m in Message.objects.all()}
        assert len(attendus) == 100

        # 1. The pool's children die while "Courriel 30" waits for the server's 250: the
        # parent survives and Celery requeues their tasks (acks_late, reject on worker lost).
        assert boite.en_vol["Courriel 30"].wait(60), "message 30 never reached the server"
        assert w.tuer_enfants(worker), "no pool child to kill"

        # 2. The whole worker dies while "Courriel 70" is in flight; a new one starts.
        assert boite.en_vol["Courriel 70"].wait(90), "message 70 never reached the server"
        w.tuer_tout(worker)
        worker = w.demarrer_worker(concurrence=1, **env)

        def tout_envoye():
            return Message.objects.filter(statut=Statut.ENVOYE).count() == 100

        attendre(tout_envoye, delai=150, message="not every message was sent")
        time.sleep(BAIL + 2)  # a straggling duplicate task would show up here
        recus = boite.compte()
        assert set(recus) == attendus
        assert [mid for mid, n in recus.items() if n != 1] == []
        assert sum(recus.values()) == 100
        # Both in-flight messages were really cut: the server dropped them unaccepted,
        # and their interrupted attempt is on record next to the successful one.
        assert sorted(boite.abandonnes) == ["Courriel 30", "Courriel 70"]
        for sujet in ("Courriel 30", "Courriel 70"):
            recus_du_message = Tentative.objects.filter(message__sujet=sujet)
            assert list(recus_du_message.values_list("resultat", flat=True)) == [
                Resultat.INTERROMPU,
                Resultat.SUCCES,
            ]
        assert not Message.objects.exclude(fournisseur_id="").exclude(statut=Statut.ENVOYE).exists()
    finally:
        celery_app.conf.task_always_eager = True
        w.arreter(worker)
        smtp.stop()
