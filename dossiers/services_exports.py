"""Exports of dossiers (C12, C15): small ones are answered at once, large ones become an
`Export` job that a Celery task writes to the storage while the agent follows its
progress; files expire after `GUICHET_EXPORTS_JOURS` days.

Where the dossiers come from is a *source* registered by a front-end (the CRM list:
its query string through the list's own selector), so a job re-selects them when it
runs, through the agent's scope at that time (`dossiers_visible_to`), and this app
never imports the front-end."""

from __future__ import annotations

import hashlib
import logging
import secrets
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import exports
from dossiers.models import Dispositif, Dossier, Export, JetonFlux

logger = logging.getLogger(__name__)

# code → (agent, filtres: the source's own parameters, a query string for the CRM list)
#        → the agent's dossiers, already scoped by dossiers_visible_to.
Source = Callable[[Any, str], QuerySet[Dossier]]
_sources: dict[str, Source] = {}

# A job claimed this long ago by a worker that never finished it (killed) is taken again.
BAIL = timedelta(minutes=30)


def register_source(code: str, source: Source) -> None:
    _sources[code] = source


def seuil() -> int:
    """Above this many dossiers an export is a background job."""
    return int(getattr(settings, "GUICHET_EXPORT_SEUIL", 5000))


def jours_conservation() -> int:
    return int(getattr(settings, "GUICHET_EXPORTS_JOURS", 7))


class ExportRefuse(ValueError):
    pass


def dossiers_de(agent, source: str, filtres: str) -> QuerySet[Dossier]:
    try:
        selection = _sources[source]
    except KeyError as error:
        raise ExportRefuse(_("Source d’export inconnue.")) from error
    return selection(agent, filtres)


def specification_de(parametres: dict[str, Any]) -> exports.Specification:
    """The spec stored with a job: {colonnes, libelles, dispositif (pk), champ_date}."""
    dispositif = None
    if parametres.get("dispositif"):
        dispositif = Dispositif.objects.filter(pk=parametres["dispositif"]).first()
    try:
        return exports.specification(
            cles=parametres.get("colonnes") or [],
            libelles=bool(parametres.get("libelles", True)),
            dispositif=dispositif,
            champ_date=parametres.get("champ_date") or "",
        )
    except exports.ColonneInconnue as error:
        raise ExportRefuse(_("Colonne inconnue : %(c)s.") % {"c": error}) from error


def nom_fichier(format_: str, *, quand=None) -> str:
    moment = timezone.localtime(quand or timezone.now())
    return f"dossiers-{moment:%Y-%m-%d-%H%M}.{exports.FORMATS[format_].extension}"


@dataclass
class ExportDirect:
    """A small export, answered at once by the caller (streamed, or from a temp file)."""

    format: exports.Format
    spec: exports.Specification
    dossiers: QuerySet[Dossier]
    nom: str

    def lignes(self):
        return exports.lignes(self.dossiers, self.spec)

    def morceaux(self, taille: int = 64 * 1024) -> Iterator[bytes]:
        """The file's bytes as they are produced; XLSX and ODS are written to a
        temporary file first (a zip is finished at its end), then read back."""
        if self.format.flux is not None:
            yield from self.format.flux(self.spec, self.lignes())
            return
        with tempfile.TemporaryFile() as temporaire:
            self.format.fichier(self.spec, self.lignes(), temporaire)
            temporaire.seek(0)
            while morceau := temporaire.read(taille):
                yield morceau


def export_demander(
    *, agent, format_: str, source: str, filtres: str, parametres: dict[str, Any]
) -> ExportDirect | Export:
    """Up to `seuil()` dossiers: an ExportDirect for the caller to answer with; above, a
    job (an Export row) run by a task once this transaction commits."""
    if format_ not in exports.FORMATS:
        raise ExportRefuse(_("Format d’export inconnu."))
    spec = specification_de(parametres)
    dossiers = dossiers_de(agent, source, filtres)
    total = dossiers.count()
    if total <= seuil():
        return ExportDirect(exports.FORMATS[format_], spec, dossiers, nom_fichier(format_))
    export = Export.objects.create(
        agent=agent,
        format=format_,
        source=source,
        parametres={**parametres, "filtres": filtres},
        total=total,
    )
    from dossiers.tasks import exporter_dossiers_task  # the task module imports this one

    transaction.on_commit(lambda: exporter_dossiers_task.delay(export.pk))
    return export


def _reclamer(pk: int) -> Export | None:
    """Take the job for this worker (idempotent: a finished job, or one another worker
    runs within its lease, is left alone)."""
    with transaction.atomic():
        export = Export.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if export is None or export.fini:
            return None
        maintenant = timezone.now()
        if (
            export.etat == Export.Etat.EN_COURS
            and export.commence_le
            and export.commence_le > maintenant - BAIL
        ):
            return None
        export.etat = Export.Etat.EN_COURS
        export.commence_le = maintenant
        export.faits = 0
        export.save(update_fields=["etat", "commence_le", "faits", "updated_at"])
        return export


def export_executer(pk: int) -> Export | None:
    """Run a job: select the dossiers again through the agent's scope, write the file
    into a temporary file, store it, record the progress after each chunk."""
    export = _reclamer(pk)
    if export is None:
        return None
    parametres = dict(export.parametres)
    try:
        spec = specification_de(parametres)
        dossiers = dossiers_de(export.agent, export.source, parametres.get("filtres", ""))
        format_ = exports.FORMATS[export.format]

        def progression(faits: int) -> None:
            Export.objects.filter(pk=export.pk).update(faits=faits, updated_at=timezone.now())

        with tempfile.TemporaryFile() as temporaire:
            compteur = _Compteur(exports.lignes(dossiers, spec, progression=progression))
            exports.ecrire(format_, spec, compteur, temporaire)
            temporaire.seek(0)
            nom = nom_fichier(export.format, quand=export.created_at)
            export.fichier.save(nom, File(temporaire), save=False)
        export.nom_fichier = nom
        export.faits = export.total = compteur.n
        export.etat = Export.Etat.TERMINE
    except ExportRefuse as error:
        export.etat, export.erreur = Export.Etat.ECHEC, str(error)
    except Exception:
        logger.exception("Export %s failed", export.pk)
        export.etat = Export.Etat.ECHEC
        export.erreur = _("L’export a échoué ; réessayez ou prévenez l’administrateur.")
    export.termine_le = timezone.now()
    export.save()
    return export


class _Compteur:
    """Counts the rows that went through (the total may have moved since the request)."""

    def __init__(self, rangees):
        self.rangees, self.n = rangees, 0

    def __iter__(self):
        for ligne in self.rangees:
            self.n += 1
            yield ligne


def exports_de(agent) -> QuerySet[Export]:
    """The agent's own jobs: nobody else's is ever listed or downloaded."""
    if agent is None or not agent.is_authenticated:
        return Export.objects.none()
    return Export.objects.filter(agent=agent)


def exports_purger(*, maintenant=None) -> int:
    """Jobs (and their files) older than the retention (daily beat task)."""
    limite = (maintenant or timezone.now()) - timedelta(days=jours_conservation())
    n = 0
    for export in Export.objects.filter(created_at__lt=limite).iterator(chunk_size=200):
        if export.fichier:
            export.fichier.delete(save=False)
        export.delete()
        n += 1
    return n


# --- Tokens of the JSON flow (C12) ---------------------------------------------------------

PREFIXE_JETON = "gflux_"


def _empreinte(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def jeton_creer(*, agent, libelle: str) -> tuple[JetonFlux, str]:
    """A new token of the agent; the secret is returned once and never stored."""
    libelle = (libelle or "").strip()
    if not libelle:
        raise ExportRefuse(_("Donnez un libellé au jeton (le système qui l’utilise)."))
    secret = PREFIXE_JETON + secrets.token_urlsafe(32)
    jeton = JetonFlux.objects.create(
        agent=agent, libelle=libelle, empreinte=_empreinte(secret), debut=secret[:12]
    )
    return jeton, secret


def jetons_de(agent) -> QuerySet[JetonFlux]:
    if agent is None or not agent.is_authenticated:
        return JetonFlux.objects.none()
    return JetonFlux.objects.filter(agent=agent)


def jeton_revoquer(*, jeton: JetonFlux) -> JetonFlux:
    if jeton.revoque_le is None:
        jeton.revoque_le = timezone.now()
        jeton.save(update_fields=["revoque_le", "updated_at"])
    return jeton


def agent_du_jeton(secret: str):
    """The agent a valid token acts as (active, not revoked), else None. The agent's
    rights are checked by the caller, as for a session."""
    if not secret.startswith(PREFIXE_JETON) or len(secret) > 100:
        return None
    jeton = (
        JetonFlux.objects.select_related("agent")
        .filter(empreinte=_empreinte(secret), revoque_le__isnull=True, agent__is_active=True)
        .first()
    )
    if jeton is None:
        return None
    JetonFlux.objects.filter(pk=jeton.pk).update(dernier_usage=timezone.now())
    return jeton.agent
