"""Beat tasks of dossiers."""

from celery import shared_task

from dossiers import services_justificatifs


@shared_task(name="dossiers.justificatifs_perimer")
def justificatifs_perimer() -> int:
    """Daily: validated justificatifs past their type's validity become « périmé »."""
    return services_justificatifs.justificatifs_perimer()


@shared_task(name="dossiers.justificatifs_fichiers_orphelins")
def justificatifs_fichiers_orphelins() -> int:
    """Hourly: files of uploads whose transaction rolled back."""
    return len(services_justificatifs.fichiers_orphelins_supprimer())
