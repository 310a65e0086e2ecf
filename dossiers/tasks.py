"""Celery tasks of dossiers: thin, idempotent, calling services (scheduled ones in
CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from dossiers import (
    services_corbeille,
    services_edition,
    services_exports,
    services_hors_compte,
    services_justificatifs,
    services_pieces,
    services_suivi_usager,
    services_suivis,
)


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
    """Hourly: the wizard's uploads never attached after a day, then the files of
    uploads whose transaction rolled back."""
    purgees = services_pieces.pieces_deposees_purger()
    return purgees + len(services_justificatifs.fichiers_orphelins_supprimer())


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


@shared_task(name="dossiers.exporter_dossiers")
def exporter_dossiers_task(pk: int) -> bool:
    """A large export (C12/C15): writes the file; run twice, the second does nothing."""
    return services_exports.export_executer(pk) is not None


@shared_task(name="dossiers.exports_purger")
def exports_purger() -> int:
    """Daily: export jobs and their files past GUICHET_EXPORTS_JOURS."""
    return services_exports.exports_purger()


@shared_task(name="dossiers.suivis_resumer")
def suivis_resumer() -> dict:
    """Daily (C14): each following agent's digest; a day already done is skipped."""
    bilan = services_suivis.resumes_envoyer()
    return {
        "envoyes": len(bilan.envoyes),
        "sans_changement": bilan.sans_changement,
        "deja_faits": bilan.deja_faits,
    }


@shared_task(name="dossiers.suivis_resumer_immediats")
def suivis_resumer_immediats() -> dict:
    """Every five minutes (C14): the digest of the agents who chose « à chaque
    changement », of what changed since their previous one (nothing: no mail)."""
    bilan = services_suivis.resumes_envoyer(immediats=True)
    return {"envoyes": len(bilan.envoyes), "sans_changement": bilan.sans_changement}


@shared_task(name="dossiers.corbeille_purger")
def corbeille_purger() -> int:
    """Daily (C14): dossiers in the trash for GUICHET_CORBEILLE_JOURS days deleted."""
    return services_corbeille.corbeille_purger()


@shared_task(name="dossiers.sectoriser")
def sectoriser_task(empreinte: dict | None = None) -> int:
    """After the secteurs changed (C8): the territoire again of the dossiers the change
    may move (`empreinte`, services_territoires.Empreinte.en_json()), or of every filed
    dossier when None (a million dossiers is minutes). Idempotent: running twice changes
    nothing the second time."""
    from dossiers.models import Dossier
    from dossiers.services_territoires import Empreinte, dossiers_concernes, sectoriser_dossiers

    if empreinte is None:
        return sectoriser_dossiers(Dossier.objects.all())
    return sectoriser_dossiers(dossiers_concernes(Empreinte.depuis_json(empreinte)))
