"""The daily digest of followed dossiers (C14): each agent following dossiers gets ONE
mail listing what changed on them since their previous digest — the dossiers' history
lines (statut changes, messages, justificatifs, data corrections, labels…) written by
somebody else, on dossiers the agent still reaches (`dossiers_visible_to`: a trashed
dossier or a right withdrawn drops out).

The mail is the notifications template mapped to `dossier.suivi_resume`
(dossiers/evenements_suivis.py: its variables and the default an admin edits in CRM ›
Messages); the context is plain data, a list of dossiers each with its changes.

Idempotent: `ResumeSuivi` keeps, per agent, the end of the period the last digest covered
and its day. Its row is locked while a digest is made; a digest already made for the
day is never made again, and the outbox key (agent, day) makes a replayed mail harmless.
Nothing changed: no mail, but the period still moves on.

Each agent chooses (`PreferenceResume`, CRM « Mes dossiers suivis »): the digest each
morning (the default), one within five minutes of a change (beat every five minutes,
`immediats`; keyed by the end of its period), or none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import evenements_suivis
from dossiers.evenements_suivis import EVENEMENT
from dossiers.models import Historique, PreferenceResume, ResumeSuivi, SuiviAgent
from dossiers.selectors import dossiers_visible_to
from notifications import services as notifications


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


def lien_crm(dossier) -> str:
    """The dossier's page in the CRM, as an absolute link for a mail."""
    return settings.GUICHET_SITE_URL.rstrip("/") + reverse("crm:dossier", args=[dossier.pk])


def contexte(agent, lignes: list[Historique], lien: Callable = lien_crm) -> dict:
    """The event's context (evenements_suivis.py): plain data, the lines grouped by
    dossier in the order given, times in local time."""
    par_dossier: dict[int, dict] = {}
    for ligne in lignes:
        bloc = par_dossier.get(ligne.dossier_id)
        if bloc is None:
            dossier = ligne.dossier
            bloc = par_dossier[ligne.dossier_id] = {
                "reference": dossier.reference,
                "dispositif": dossier.dispositif.titre,
                "statut": str(dossier.get_statut_display()),
                "lien": lien(dossier),
                "changements": [],
            }
        bloc["changements"].append(
            {
                "quand": timezone.localtime(ligne.quand),
                "nature": str(ligne.get_nature_display()),
                "libelle": ligne.libelle,
                "par": str(ligne.par) if ligne.par else "",
            }
        )
    return {
        "agent": {
            "prenom": agent.first_name,
            "nom": agent.last_name,
            "nom_complet": agent.get_full_name() or agent.email,
            "email": agent.email,
        },
        "nombre": len(lignes),
        "nombre_dossiers": len(par_dossier),
        "dossiers": list(par_dossier.values()),
        "lien_preferences": settings.GUICHET_SITE_URL.rstrip("/") + reverse("crm:mes_suivis"),
    }


def resume_agent(
    agent, *, maintenant=None, lien: Callable = lien_crm, immediat: bool = False
) -> int | None:
    """Make the agent's digest for the day of `maintenant`: the number of changes
    listed (0: nothing to tell, no mail), None when already made for that day.
    `immediat` (« à chaque changement »): what changed since the previous digest, at any
    time of the day; the day of the last daily digest is left as it is."""
    maintenant = maintenant or timezone.now()
    jour = timezone.localdate(maintenant)
    with transaction.atomic():
        resume = ResumeSuivi.objects.select_for_update().filter(agent=agent).first()
        if resume is not None and resume.jour >= jour and not immediat:
            return None
        lignes = changements(agent, depuis=resume.jusqu_au if resume else None, jusqu_au=maintenant)
        if lignes:
            evenements_suivis.modele_par_defaut_installer()
            periode = maintenant.isoformat() if immediat else jour.isoformat()
            notifications.notifier(
                EVENEMENT,
                contexte=contexte(agent, lignes, lien),
                email=agent.email,
                usager=agent,
                cle=f"{EVENEMENT}:{agent.pk}:{periode}",
            )
        champs = {"jusqu_au": maintenant, "lignes": len(lignes)}
        ResumeSuivi.objects.update_or_create(
            agent=agent,
            defaults=champs if immediat else {**champs, "jour": jour},
            create_defaults={**champs, "jour": jour - timedelta(days=1) if immediat else jour},
        )
        return len(lignes)


def resumes_envoyer(
    *, maintenant=None, lien: Callable = lien_crm, immediats: bool = False
) -> Bilan:
    """Beat: daily, the digest of every active agent who follows a dossier and wants it
    each morning (the default); every five minutes with `immediats`, of those who want
    one at each change. Agents who want none are left out."""
    bilan = Bilan()
    Frequence = PreferenceResume.Frequence  # noqa: N806 - a class
    if immediats:
        voulu = Q(preference_resume__frequence=Frequence.CHAQUE_CHANGEMENT)
    else:
        voulu = Q(preference_resume__isnull=True) | Q(
            preference_resume__frequence=Frequence.QUOTIDIEN
        )
    agents = get_user_model().objects.filter(
        voulu, is_active=True, is_agent=True, pk__in=SuiviAgent.objects.values("agent_id")
    )
    for agent in agents:
        nombre = resume_agent(agent, maintenant=maintenant, lien=lien, immediat=immediats)
        if nombre is None:
            bilan.deja_faits += 1
        elif nombre:
            bilan.envoyes.append(agent.pk)
        else:
            bilan.sans_changement += 1
    return bilan


def frequence_de(agent) -> str:
    """The agent's choice (PreferenceResume.Frequence), the daily digest by default."""
    preference = PreferenceResume.objects.filter(agent=agent).first()
    return preference.frequence if preference else PreferenceResume.Frequence.QUOTIDIEN


class PreferenceRefusee(ValidationError):
    pass


def preference_definir(*, agent, frequence: str, maintenant=None) -> PreferenceResume:
    """The agent chooses how they hear of their followed dossiers. Turning the digest
    back on starts its period now: what changed while it was off is not told later."""
    Frequence = PreferenceResume.Frequence  # noqa: N806 - a class
    if frequence not in Frequence.values:
        raise PreferenceRefusee(
            {"frequence": _("Choisissez l’une des fréquences proposées.")}, code="frequence"
        )
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        avant = frequence_de(agent)
        preference, _cree = PreferenceResume.objects.update_or_create(
            agent=agent, defaults={"frequence": frequence}
        )
        if avant == Frequence.JAMAIS and frequence != Frequence.JAMAIS:
            hier = timezone.localdate(maintenant) - timedelta(days=1)
            ResumeSuivi.objects.update_or_create(
                agent=agent,
                defaults={"jusqu_au": maintenant, "lignes": 0},
                create_defaults={"jusqu_au": maintenant, "jour": hier, "lignes": 0},
            )
    return preference
