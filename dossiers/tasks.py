"""Celery tasks of dossiers: thin, idempotent, calling services."""

from celery import shared_task

from dossiers import services_hors_compte


@shared_task(name="dossiers.tentatives_purger")
def tentatives_purger() -> int:
    """The failed tries of the tracking pages older than their window (hourly)."""
    return services_hors_compte.tentatives_purger()
