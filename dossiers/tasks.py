"""Celery tasks of dossiers: thin, idempotent, calling services."""

from celery import shared_task

from dossiers import services_hors_compte, services_suivi_usager


@shared_task(name="dossiers.tentatives_purger")
def tentatives_purger() -> int:
    """The failed tries of the tracking pages older than their window (hourly)."""
    return services_hors_compte.tentatives_purger()


@shared_task(name="dossiers.accuse_reception")
def accuse_reception(pk: int) -> bool:
    """After a deposit commits: the PDF receipt and the acknowledgement mail (P8)."""
    return services_suivi_usager.accuse_reception_envoyer(pk) is not None
