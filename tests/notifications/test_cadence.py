"""The global pace per channel: send slots taken in the database, shared by every worker.

Assertions bear on the slots recorded (the bucket's state and each attempt's slot), never
on how long something took, so they hold whatever the machine's load."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from config.celery import app as celery_app
from notifications import services
from notifications.models import Cadence, Canal, Message, Statut, Tentative
from notifications.services import message_id, send_email
from tests.notifications import worker as w


def test_the_pace_setting_gives_the_interval_between_slots(settings):
    settings.GUICHET_EMAIL_CADENCE, settings.GUICHET_SMS_CADENCE = "600/m", "2/s"
    assert services.intervalle_cadence(Canal.EMAIL) == timedelta(milliseconds=100)
    assert services.intervalle_cadence(Canal.SMS) == timedelta(milliseconds=500)
    settings.GUICHET_SMS_CADENCE = "3600/h"
    assert services.intervalle_cadence(Canal.SMS) == timedelta(seconds=1)
    settings.GUICHET_EMAIL_CADENCE = ""
    assert services.intervalle_cadence(Canal.EMAIL) is None


def _en_parallele(fonction, fois: int = 2) -> None:
    erreurs: list[BaseException] = []
    depart = threading.Barrier(fois)

    def executer():
        try:
            depart.wait()
            fonction()
        except BaseException as erreur:  # noqa: BLE001 - re-raised in the test's thread
            erreurs.append(erreur)
        finally:
            connection.close()

    fils = [threading.Thread(target=executer) for _ in range(fois)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(60)
    assert not erreurs, erreurs


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_workers_never_share_a_slot(settings):
    """Two workers take 25 slots each at the same instant: 50 distinct slots, one
    interval apart, and the bucket's next slot right after the last."""
    settings.GUICHET_SMS_CADENCE = "60/m"
    t0 = timezone.now().replace(microsecond=0)
    pris: list = []

    def prendre():
        for _ in range(25):
            pris.append(services.reserver_creneau(Canal.SMS, t0))

    _en_parallele(prendre)
    assert sorted(pris) == [t0 + timedelta(seconds=k) for k in range(50)]
    assert Cadence.objects.get(canal=Canal.SMS).prochain_creneau == t0 + timedelta(seconds=50)
    # The pace is per channel: mail has its own bucket.
    assert services.reserver_creneau(Canal.EMAIL, t0) == t0


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_a_campaign_keep_the_pace(settings):
    """Two workers deliver the same 12 mails: each is sent once, each attempt took its
    own slot one interval after the previous one, and none started before its slot."""
    settings.GUICHET_EMAIL_CADENCE = "1200/m"  # one slot every 50 ms
    intervalle = timedelta(milliseconds=50)
    pks = [
        Message.objects.create(canal=Canal.EMAIL, destinataire=f"u{i}@exemple.fr", corps="x").pk
        for i in range(12)
    ]

    def livrer_tout():
        limite = timezone.now() + timedelta(seconds=60)
        while timezone.now() < limite:
            restants = Message.objects.exclude(statut=Statut.ENVOYE).filter(pk__in=pks)
            if not restants.exists():
                return
            for pk in restants.values_list("pk", flat=True):
                services.livrer(pk)

    _en_parallele(livrer_tout)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"u{i}@exemple.fr" for i in range(12))
    tentatives = list(Tentative.objects.order_by("creneau"))
    assert len(tentatives) == 12
    for precedente, suivante in zip(tentatives, tentatives[1:], strict=False):
        assert suivante.creneau - precedente.creneau >= intervalle
    assert all(t.debut >= t.creneau for t in tentatives)


@pytest.mark.django_db
def test_a_campaign_waits_for_its_slots_and_the_sweeper_does_not_hurry_it(settings):
    settings.GUICHET_SMS_CADENCE = "60/m"
    messages = [
        Message.objects.create(canal=Canal.SMS, destinataire="0612345678", corps=f"n°{i}")
        for i in range(4)
    ]
    avant = timezone.now()
    resultats = [services.livrer(m.pk) for m in messages]
    assert resultats == ["envoyé", "pas encore", "pas encore", "pas encore"]
    creneaux = [
        m.creneau for m in Message.objects.filter(statut=Statut.EN_ATTENTE).order_by("creneau")
    ]
    assert [c - creneaux[0] for c in creneaux] == [timedelta(seconds=k) for k in range(3)]
    assert creneaux[0] > avant
    # Their next attempt is their slot: neither the sweeper nor a redelivered task sends
    # them earlier.
    assert services.relancer_en_retard() == 0
    assert services.livrer(messages[1].pk) == "pas encore"
    assert Tentative.objects.count() == 1
    # Once its slot has come, a message leaves on the slot it holds (no new one taken).
    suivant = Cadence.objects.get(canal=Canal.SMS).prochain_creneau
    Message.objects.filter(pk=messages[1].pk).update(creneau=avant, prochaine_tentative=avant)
    assert services.livrer(messages[1].pk) == "envoyé"
    assert Cadence.objects.get(canal=Canal.SMS).prochain_creneau == suivant


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_real_workers_on_redis_keep_the_pace_together():
    """Two Celery workers (separate processes, as on two machines) deliver a campaign of
    12 mails at 600/m: each arrives once, and the attempts' slots are 100 ms apart or
    more — with Celery's per-process rate_limit they would go twice as fast."""
    w.exiger_redis()
    celery_app.control.purge()
    boite = w.BoiteSmtp(lents=set())
    smtp = w.serveur_smtp(boite)
    env = {"GUICHET_TEST_SMTP_PORT": str(smtp.port), "GUICHET_TEST_EMAIL_CADENCE": "600/m"}
    celery_app.conf.task_always_eager = False
    workers = [w.demarrer_worker(concurrence=1, nom=f"cadence{i}", **env) for i in (1, 2)]
    try:
        with transaction.atomic():
            for i in range(12):
                send_email(subject=f"Campagne {i}", body="…", to=[f"u{i}@exemple.fr"])
        attendus = {message_id(m) for m in Message.objects.all()}
        limite = time.monotonic() + 90
        while set(boite.compte()) != attendus and time.monotonic() < limite:
            # Beat's sweeper, every half second: it enqueues the messages whose slot has
            # come (the workers run with the test settings, eager: they do not schedule
            # the later attempt themselves).
            services.relancer_en_retard()
            time.sleep(0.5)
        assert boite.compte() == dict.fromkeys(attendus, 1)
    finally:
        celery_app.conf.task_always_eager = True
        for worker in workers:
            w.arreter(worker)
        smtp.stop()
    tentatives = list(Tentative.objects.order_by("creneau"))
    assert len(tentatives) == 12
    for precedente, suivante in zip(tentatives, tentatives[1:], strict=False):
        assert suivante.creneau - precedente.creneau >= timedelta(milliseconds=100)
    assert all(t.debut >= t.creneau for t in tentatives)
