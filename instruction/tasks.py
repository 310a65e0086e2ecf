"""Celery tasks of instruction: thin, idempotent (the services decide)."""

from celery import shared_task

from instruction import services_compteurs, services_lots, services_minuteurs


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


@shared_task(name="instruction.lot_traiter")
def lot_traiter_task(lot_pk: int) -> None:
    """A batch's remaining lines, a few chunks per run; then the next run is enqueued
    (after the campaign's pause) so a worker restart loses at most the line in progress,
    which stays `a_faire`. Running it twice at once is harmless (services_lots)."""
    pause = services_lots.lot_traiter(lot_pk)
    if pause is not None:
        lot_traiter_task.apply_async((lot_pk,), countdown=pause or None)


@shared_task(name="instruction.lots_relancer")
def lots_relancer_task() -> list[int]:
    """Beat: hands the lots idle too long (worker lost, broker down) to a worker again."""
    return services_lots.lots_relancer()


@shared_task(name="instruction.compteurs_compacter")
def compteurs_compacter_task() -> None:
    """Beat, every five minutes: the dashboard counters' appended +1 / −1 rows summed back
    to one per key, so that reading them stays a few rows."""
    services_compteurs.compacter()
