"""Delivery tasks: thin, idempotent, safe to run twice (services.livrer decides).

Settings make every task `acks_late` with `reject_on_worker_lost` (config/settings): a
worker killed mid-task leaves its message in the broker, delivered again. The pace of
each channel is global, kept in the database (services.reserver_creneau), not Celery's
`rate_limit` (per worker process: N workers would send N times as fast).
"""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications import services
from notifications.models import Canal, Message


def _suite(tache, pk: int, resultat: str) -> str:
    """Schedule what comes next: the retry after a temporary error, or a second look
    once another worker's lease has expired (it may have died while sending)."""
    # Eagerly (no REDIS_URL) a countdown is ignored and would loop: the sweeper
    # (`manage.py envoyer_messages`, or beat) takes the later attempts.
    if tache.app.conf.task_always_eager:
        return resultat
    if resultat in ("nouvel essai", "bail", "pas encore"):
        quand = (
            Message.objects.filter(pk=pk)
            .values_list("prochaine_tentative" if resultat != "bail" else "bail_jusqua", flat=True)
            .first()
        )
        if quand:
            delai = max((quand - timezone.now()).total_seconds(), 0) + 1
            tache.apply_async((pk,), countdown=delai)
    return resultat


@shared_task(
    name="notifications.envoyer_courriel",
    time_limit=max(settings.GUICHET_NOTIFICATIONS_BAIL - 10, 10),
)
def envoyer_courriel(pk: int, force: bool = False) -> str:
    return _suite(envoyer_courriel, pk, services.livrer(pk, force=force))


@shared_task(
    name="notifications.envoyer_sms",
    time_limit=max(settings.GUICHET_NOTIFICATIONS_BAIL - 10, 10),
)
def envoyer_sms(pk: int, force: bool = False) -> str:
    return _suite(envoyer_sms, pk, services.livrer(pk, force=force))


@shared_task(name="notifications.relancer_en_retard")
def relancer_en_retard() -> int:
    return services.relancer_en_retard()


def tache_pour(canal: str):
    return envoyer_sms if canal == Canal.SMS else envoyer_courriel
