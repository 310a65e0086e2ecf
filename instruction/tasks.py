"""Celery tasks of instruction: thin, idempotent (the services decide)."""

from celery import shared_task

from instruction import services_minuteurs


@shared_task(name="instruction.minuteurs_executer")
def minuteurs_executer() -> dict:
    """Beat, every few minutes (CELERY_BEAT_SCHEDULE): the due timers. Two runs at once
    never apply a timer twice (services_minuteurs)."""
    bilan = services_minuteurs.minuteurs_executer()
    return {
        "appliques": len(bilan.appliques),
        "ignores": bilan.ignores,
        "echecs": len(bilan.echecs),
    }
