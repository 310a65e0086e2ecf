"""Tasks of dossiers: thin, idempotent (the services decide)."""

from celery import shared_task

from dossiers import services_suivi_usager


@shared_task(name="dossiers.accuse_reception")
def accuse_reception(pk: int) -> bool:
    """After a deposit commits: the PDF receipt and the acknowledgement mail (P8)."""
    return services_suivi_usager.accuse_reception_envoyer(pk) is not None
