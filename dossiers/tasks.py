"""Celery tasks of dossiers: thin, idempotent, calling services."""

from celery import shared_task

from dossiers import services_hors_compte, services_justificatifs, services_suivi_usager


@shared_task(name="dossiers.tentatives_purger")
def tentatives_purger() -> int:
    """The failed tries of the tracking pages older than their window (hourly)."""
    return services_hors_compte.tentatives_purger()


@shared_task(name="dossiers.accuse_reception")
def accuse_reception(pk: int) -> bool:
    """After a deposit commits: the PDF receipt and the acknowledgement mail (P8)."""
    return services_suivi_usager.accuse_reception_envoyer(pk) is not None


@shared_task(name="dossiers.justificatifs_perimer")
def justificatifs_perimer() -> int:
    """Daily: validated justificatifs past their type's validity become « périmé »."""
    return services_justificatifs.justificatifs_perimer()


@shared_task(name="dossiers.justificatifs_fichiers_orphelins")
def justificatifs_fichiers_orphelins() -> int:
    """Hourly: files of uploads whose transaction rolled back."""
    return len(services_justificatifs.fichiers_orphelins_supprimer())
