"""The daily digest of followed dossiers (C14): each agent following dossiers gets ONE
mail listing what changed on them since their previous digest — the dossiers' history
lines (statut changes, messages, justificatifs, data corrections, labels…) written by
somebody else, on dossiers the agent still reaches (`dossiers_visible_to`: a trashed
dossier or a right withdrawn drops out).

Idempotent: `ResumeSuivi` keeps, per agent, the end of the period the last digest covered
and its day. Its row is locked while a digest is made; a digest already made for the
day is never made again, and the outbox key (agent, day) makes a replayed mail harmless.
Nothing changed: no mail, but the period still moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Historique, ResumeSuivi, SuiviAgent
from dossiers.selectors import dossiers_visible_to
from notifications import services as notifications

EVENEMENT = "dossier.suivi_resume"


@dataclass
class Bilan:
    envoyes: list[int] = field(default_factory=list)  # agents' pks
    sans_changement: int = 0
    deja_faits: int = 0


def changements(agent, *, jusqu_au, depuis=None) -> list[Historique]:
    """The history lines of the agent's followed dossiers in (depuis, jusqu_au], each
    counted from when the agent started following it, others' lines only. One query."""
    lignes = (
        Historique.objects.filter(
            dossier__in=dossiers_visible_to(agent),
            dossier__suivis_agents__agent=agent,
            quand__gt=F("dossier__suivis_agents__depuis"),
            quand__lte=jusqu_au,
        )
        .filter(Q(par__isnull=True) | ~Q(par=agent))
        .select_related("dossier__dispositif", "par")
        .order_by("dossier__reference", "quand", "pk")
    )
    if depuis is not None:
        lignes = lignes.filter(quand__gt=depuis)
    return list(lignes)


def _corps(agent, lignes: list[Historique], lien: Callable | None) -> tuple[str, str]:
    par_dossier: dict[int, dict] = {}
    for ligne in lignes:
        bloc = par_dossier.setdefault(
            ligne.dossier_id,
            {
                "dossier": ligne.dossier,
                "lien": lien(ligne.dossier) if lien else "",
                "lignes": [],
            },
        )
        bloc["lignes"].append(ligne)
    contexte = {"agent": agent, "dossiers": list(par_dossier.values()), "nombre": len(lignes)}
    sujet = _("Vos dossiers suivis : %(n)s changement(s)") % {"n": len(lignes)}
    return sujet, render_to_string("dossiers/mails/resume_suivis.txt", contexte)


def resume_agent(agent, *, maintenant=None, lien: Callable | None = None) -> int | None:
    """Make the agent's digest for the day of `maintenant`: the number of changes
    listed (0: nothing to tell, no mail), None when already made for that day."""
    maintenant = maintenant or timezone.now()
    jour = timezone.localdate(maintenant)
    with transaction.atomic():
        resume = ResumeSuivi.objects.select_for_update().filter(agent=agent).first()
        if resume is not None and resume.jour >= jour:
            return None
        lignes = changements(agent, depuis=resume.jusqu_au if resume else None, jusqu_au=maintenant)
        if lignes and agent.email:
            sujet, corps = _corps(agent, lignes, lien)
            notifications.send_email(
                subject=sujet,
                body=corps,
                to=[agent.email],
                cle=f"{EVENEMENT}:{agent.pk}:{jour.isoformat()}",
                evenement=EVENEMENT,
            )
        ResumeSuivi.objects.update_or_create(
            agent=agent, defaults={"jusqu_au": maintenant, "jour": jour, "lignes": len(lignes)}
        )
        return len(lignes)


def resumes_envoyer(*, maintenant=None, lien: Callable | None = None) -> Bilan:
    """Beat, daily: the digest of every active agent who follows a dossier."""
    bilan = Bilan()
    agents = get_user_model().objects.filter(
        is_active=True, is_agent=True, pk__in=SuiviAgent.objects.values("agent_id")
    )
    for agent in agents:
        nombre = resume_agent(agent, maintenant=maintenant, lien=lien)
        if nombre is None:
            bilan.deja_faits += 1
        elif nombre:
            bilan.envoyes.append(agent.pk)
        else:
            bilan.sans_changement += 1
    return bilan
