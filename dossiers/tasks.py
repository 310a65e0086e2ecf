"""Beat tasks of dossiers."""

from celery import shared_task

from dossiers import services_justificatifs


@shared_task(name="dossiers.justificatifs_perimer")
def justificatifs_perimer() -> int:
    """Daily: validated justificatifs past their type's validity become « périmé »."""
    return services_justificatifs.justificatifs_perimer()
