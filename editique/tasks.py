"""Beat tasks of éditique."""

from celery import shared_task

from editique import services


@shared_task(name="editique.supprimer_fichiers_orphelins")
def supprimer_fichiers_orphelins() -> int:
    return len(services.fichiers_orphelins_supprimer())
