"""Daily housekeeping of who edits dossiers (F14), scheduled by CELERY_BEAT_SCHEDULE:
expired drafts deleted (their authors warned a week before), expired transfers and
co-editing invitations marked so."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from dossiers import services_edition


def _lien_brouillon(dossier) -> str:
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse(
        "portal:demande_reprendre", args=[dossier.pk]
    )


@shared_task(name="dossiers.brouillons_entretenir")
def brouillons_entretenir() -> dict:
    prevenus = services_edition.brouillons_prevenir(lien=_lien_brouillon)
    supprimes = services_edition.brouillons_purger()
    return {"prevenus": prevenus, "supprimes": supprimes}


@shared_task(name="dossiers.jetons_expirer")
def jetons_expirer() -> int:
    return services_edition.jetons_expirer()
