"""Timers (I8): a dossier whose statut has a due `Minuteur` changes statut by itself.

`minuteurs_executer` is run by Celery beat every few minutes (instruction/tasks.py). One
query finds the due dossiers (the suivis in a statut that has an active timer — the
`minuteur_statut_actif` and `suivi_instruction_statut` indexes — whose due time has
passed; the first due timer of each dossier), then each dossier changes in its own
transaction. Never twice: the dossier's row is taken with SKIP LOCKED (a concurrent run,
or an agent acting on it, holds it: left for the next run) and, once locked, the timer is
checked again against the fresh state (still in the statut, still due) before
change_status runs with `attendu`. A failure on one dossier is logged and the others go on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier, Historique
from instruction import services, services_retour
from instruction.models import Minuteur, NonceWebhook, SuiviInstruction

logger = logging.getLogger(__name__)

# Per run: a larger backlog (after an outage) is taken by the next runs.
LOT_MAX = 1000
# Webhook nonces are kept a little longer than the window in which a call is accepted.
NONCES_CONSERVES = timedelta(minutes=15)


@dataclass
class Bilan:
    appliques: list[int] = field(default_factory=list)  # dossier pks
    ignores: int = 0  # changed or locked meanwhile
    echecs: list[tuple[int, str]] = field(default_factory=list)


def _echus(maintenant, limite: int) -> list[tuple[int, int, int]]:
    """(dossier, statut, minuteur) of the dossiers with a due timer, the first due one of
    each. A date field that is empty or not a date makes its timer never due
    (instruction_date_sure, migration 0002, answers NULL instead of failing the query)."""
    suivi = SuiviInstruction._meta.db_table
    minuteur = Minuteur._meta.db_table
    dossier = Dossier._meta.db_table
    sql = f"""
        SELECT dossier_id, statut_id, minuteur_id FROM (
            SELECT DISTINCT ON (s.dossier_id)
                s.dossier_id, s.statut_id, m.id AS minuteur_id,
                CASE WHEN m.depart = %(entree)s THEN s.entre_le + m.duree
                     ELSE instruction_date_sure(d.donnees ->> m.champ, %(fuseau)s) + m.duree
                END AS echeance
            FROM {suivi} s
            JOIN {minuteur} m ON m.statut_id = s.statut_id AND m.actif
            JOIN {dossier} d ON d.id = s.dossier_id
            WHERE d.statut <> %(clos)s
            ORDER BY s.dossier_id, echeance NULLS LAST, m.id
        ) premiers
        WHERE echeance <= %(maintenant)s
        ORDER BY echeance
        LIMIT %(limite)s
    """  # noqa: S608 — table names from the models, values as parameters
    with connection.cursor() as curseur:
        curseur.execute(
            sql,
            {
                "entree": Minuteur.Depart.ENTREE,
                "fuseau": settings.TIME_ZONE,
                "clos": Dossier.Statut.CLOS,
                "maintenant": maintenant,
                "limite": limite,
            },
        )
        return curseur.fetchall()


def minuteurs_executer(maintenant=None, *, limite: int = LOT_MAX) -> Bilan:
    maintenant = maintenant or timezone.now()
    bilan = Bilan()
    for dossier_id, statut_id, minuteur_id in _echus(maintenant, limite):
        try:
            if _appliquer(dossier_id, statut_id, minuteur_id, maintenant):
                bilan.appliques.append(dossier_id)
            else:
                bilan.ignores += 1
        except Exception as error:  # one dossier's failure never stops the others
            message = " ".join(error.messages) if isinstance(error, ValidationError) else ""
            logger.exception(
                "Timer %s on dossier %s failed: %s", minuteur_id, dossier_id, message or error
            )
            bilan.echecs.append((dossier_id, message or str(error)))
            _echec_noter(dossier_id, statut_id, minuteur_id, message, maintenant)
    NonceWebhook.objects.filter(recu_le__lt=maintenant - NONCES_CONSERVES).delete()
    return bilan


def _echec_noter(dossier_id, statut_id, minuteur_id, message, maintenant) -> None:
    """Keep the failure on the dossier for its agents; the timer is tried again by the
    next runs (what made it fail — an unpublished template — may be fixed meanwhile), so
    the history gets one line per distinct failure, not one every five minutes. A
    failure to note a failure is only logged."""
    message = message or _("Erreur technique : voir le journal du serveur.")
    try:
        with transaction.atomic():
            suivi = (
                SuiviInstruction.objects.select_for_update()
                .filter(dossier_id=dossier_id, statut_id=statut_id)
                .first()
            )
            minuteur = Minuteur.objects.filter(pk=minuteur_id).first()
            if suivi is None or minuteur is None:
                return
            precedent = suivi.echec_minuteur or {}
            suivi.echec_minuteur = {
                "minuteur": minuteur_id,
                "statut": statut_id,
                "libelle": minuteur.libelle,
                "message": message,
                "le": maintenant.isoformat(),
            }
            suivi.save(update_fields=["echec_minuteur"])
            if (precedent.get("minuteur"), precedent.get("statut"), precedent.get("message")) != (
                minuteur_id,
                statut_id,
                message,
            ):
                Historique.objects.create(
                    dossier_id=dossier_id,
                    nature=Historique.Nature.AUTRE,
                    libelle=_("Le minuteur « %(minuteur)s » n’a pas pu s’appliquer")
                    % {"minuteur": minuteur.libelle},
                    details={"minuteur": minuteur_id, "message": message},
                )
    except Exception:  # noqa: BLE001
        logger.exception("Noting timer %s's failure on dossier %s failed", minuteur_id, dossier_id)


def echec_minuteur(suivi: SuiviInstruction) -> dict | None:
    """The failure to show on the Instruction tab: only one of the current statut's
    timers since the dossier entered it (a change of statut makes an older failure
    moot)."""
    echec = suivi.echec_minuteur or {}
    if echec.get("statut") != suivi.statut_id:
        return None
    le = datetime.fromisoformat(echec["le"])
    return {**echec, "le": le} if le >= suivi.entre_le else None


@transaction.atomic
def _appliquer(dossier_id: int, statut_id: int, minuteur_id: int, maintenant) -> bool:
    dossier = Dossier.objects.select_for_update(skip_locked=True).filter(pk=dossier_id).first()
    if dossier is None or dossier.statut == Dossier.Statut.CLOS:
        return False
    suivi = SuiviInstruction.objects.select_related("statut").filter(dossier_id=dossier_id).first()
    minuteur = Minuteur.objects.select_related("cible").filter(pk=minuteur_id, actif=True).first()
    if suivi is None or minuteur is None or suivi.statut_id != statut_id:
        return False
    echeance = minuteur.echeance(suivi, dossier.donnees)
    if echeance is None or echeance > maintenant:
        return False
    motif = minuteur.motif or _("Minuteur « %(minuteur)s »") % {"minuteur": minuteur.libelle}
    if minuteur.vers_precedent:
        services_retour.retour_statut_precedent(
            dossier=dossier, by=None, reason=motif, attendu=suivi.statut
        )
    else:
        services.change_status(
            dossier=dossier,
            statut=minuteur.cible,
            by=None,
            reason=motif,
            attendu=suivi.statut,
            regle=True,
        )
    return True


def minuteurs_du_dossier(suivi: SuiviInstruction, donnees: dict) -> list[tuple[Minuteur, object]]:
    """The active timers of the dossier's statut and when each is due (None: its date
    field is empty), the first due first — shown on the Instruction tab."""
    if suivi.statut.cloture:
        return []
    minuteurs = Minuteur.objects.filter(statut_id=suivi.statut_id, actif=True).select_related(
        "cible"
    )
    lignes = [(m, m.echeance(suivi, donnees)) for m in minuteurs]
    plus_tard = timezone.now()
    return sorted(lignes, key=lambda ligne: (ligne[1] is None, ligne[1] or plus_tard))
