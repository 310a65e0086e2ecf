"""Reads of contacts GRC shared by the CRM screens (and, later, the dashboard).

Scope decision: a contact is visible to every CRM agent (the front desk logs and reads
them, like the référentiel), but the dossiers linked to it are shown only when the agent
may open them (`dossiers_visible_to`); the others are counted, never named."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from contacts.models import Contact, ModeleContact, PlanAction, Tache
from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from usagers.models import Individu, Profil


def contacts_visibles(agent) -> QuerySet[Contact]:
    if agent is None or not agent.is_authenticated or not agent.can_use_crm:
        return Contact.objects.none()
    return Contact.objects.all()


def _avec_interlocuteurs(qs: QuerySet[Contact]) -> QuerySet[Contact]:
    return qs.select_related("created_by").prefetch_related(
        Prefetch("individus", queryset=Individu.objects.only("pk", "prenom", "nom", "nom_usage")),
        Prefetch("profils", queryset=Profil.objects.only("pk", "nom")),
        "agents",
    )


@dataclass
class Filtres:
    canal: str = ""
    statut: str = ""
    agent_id: int | None = None
    du: datetime.date | None = None
    au: datetime.date | None = None
    q: str = ""


def contacts_filtrer(agent, filtres: Filtres) -> QuerySet[Contact]:
    """The list: newest first, filtered; `q` searches objet and interlocuteurs."""
    qs = contacts_visibles(agent)
    if filtres.canal:
        qs = qs.filter(canal=filtres.canal)
    if filtres.statut:
        qs = qs.filter(statut=filtres.statut)
    if filtres.agent_id:
        lien = Contact.agents.through.objects.filter(
            contact_id=OuterRef("pk"), user_id=filtres.agent_id
        )
        qs = qs.filter(Exists(lien))
    tz = timezone.get_current_timezone()
    if filtres.du:
        qs = qs.filter(quand__gte=datetime.datetime.combine(filtres.du, datetime.time.min, tz))
    if filtres.au:
        fin = filtres.au + datetime.timedelta(days=1)
        qs = qs.filter(quand__lt=datetime.datetime.combine(fin, datetime.time.min, tz))
    for mot in filtres.q.split()[:5]:
        individus = Contact.individus.through.objects.filter(contact_id=OuterRef("pk")).filter(
            Q(individu__nom__icontains=mot)
            | Q(individu__nom_usage__icontains=mot)
            | Q(individu__prenom__icontains=mot)
        )
        profils = Contact.profils.through.objects.filter(
            contact_id=OuterRef("pk"), profil__nom__icontains=mot
        )
        qs = qs.filter(
            Q(objet__icontains=mot)
            | Q(interlocuteur_libre__icontains=mot)
            | Exists(individus)
            | Exists(profils)
        )
    return _avec_interlocuteurs(qs.order_by("-quand", "-pk"))


def contact_pour_page(agent, pk: int) -> Contact:
    """The contact with everything its page shows; DoesNotExist when unknown."""
    return _avec_interlocuteurs(contacts_visibles(agent)).select_related("modele").get(pk=pk)


@dataclass
class DossiersLies:
    visibles: list[Dossier]
    masques: int  # linked dossiers this agent may not open: counted, never named


def dossiers_lies(contact: Contact, agent) -> DossiersLies:
    pks = set(contact.dossiers.values_list("pk", flat=True))
    visibles = list(dossiers_visible_to(agent).filter(pk__in=pks).order_by("-depose_le"))
    return DossiersLies(visibles=visibles, masques=len(pks) - len(visibles))


def contacts_de(
    agent, *, individu=None, profil=None, dossier=None, limite: int = 20
) -> list[Contact]:
    """The latest contacts of an individu, a profil or a dossier (their « Contacts »)."""
    qs = contacts_visibles(agent)
    if individu is not None:
        qs = qs.filter(individus=individu)
    if profil is not None:
        qs = qs.filter(profils=profil)
    if dossier is not None:
        qs = qs.filter(dossiers=dossier)
    return list(_avec_interlocuteurs(qs.order_by("-quand", "-pk"))[:limite])


def nombre_contacts_du_dossier(dossier: Dossier) -> int:
    return Contact.dossiers.through.objects.filter(dossier_id=dossier.pk).count()


def taches_du_plan(*, contact=None, dossier=None) -> list[Tache]:
    plan = PlanAction.objects.filter(
        **({"contact": contact} if contact is not None else {"dossier": dossier})
    )
    return list(Tache.objects.filter(plan__in=plan).select_related("assignee", "faite_par"))


def taches_de(agent, *, faites: bool = False, limite: int | None = None) -> QuerySet[Tache]:
    """Tasks assigned to an agent, soonest due first (« Mes tâches », the dashboard), each
    with its contact or dossier. Dossiers the agent may no longer open are left out."""
    if agent is None or not agent.is_authenticated or not agent.can_use_crm:
        return Tache.objects.none()
    qs = (
        Tache.objects.filter(assignee=agent, faite=faites)
        .filter(
            Q(plan__contact__isnull=False)
            | Q(plan__dossier__in=dossiers_visible_to(agent).values("pk"))
        )
        .select_related("plan__contact", "plan__dossier__dispositif")
    )
    return qs[:limite] if limite else qs


def modeles_actifs() -> QuerySet[ModeleContact]:
    return ModeleContact.objects.filter(actif=True).prefetch_related("agents")


def plans_visibles(agent) -> QuerySet[PlanAction]:
    """The action plans an agent may act on: every contact's, and those of the dossiers
    they may open."""
    if agent is None or not agent.is_authenticated or not agent.can_use_crm:
        return PlanAction.objects.none()
    return PlanAction.objects.filter(
        Q(contact__isnull=False) | Q(dossier__in=dossiers_visible_to(agent).values("pk"))
    )


CANDIDATS_MAX = 20


def dossiers_candidats(agent, contact: Contact, q: str = "") -> list[Dossier]:
    """Where a contact may be moved: the dossiers matching `q` (reference, demandeur), or
    without `q` those of the contact's interlocuteurs — always among those the agent may
    open, newest first."""
    qs = dossiers_visible_to(agent)
    mots = q.split()[:5]
    if mots:
        for mot in mots:
            qs = qs.filter(
                Q(reference__icontains=mot)
                | Q(demandeur_individu__nom__icontains=mot)
                | Q(demandeur_individu__prenom__icontains=mot)
                | Q(demandeur_profil__nom__icontains=mot)
            )
    else:
        qs = qs.filter(
            Q(demandeur_individu__in=contact.individus.all())
            | Q(demandeur_profil__in=contact.profils.all())
        )
    return list(qs.exclude(contacts=contact).order_by("-depose_le", "-pk")[:CANDIDATS_MAX])
