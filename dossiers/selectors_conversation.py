"""Reads of the conversation (P11): the thread, its state and unread counts, each in a
fixed number of queries whatever the thread's length."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from common.expressions import ParmiLesValeurs
from dossiers.models import (
    Conversation,
    Dossier,
    LectureConversation,
    MessageDossier,
    PieceJointeMessage,
)
from dossiers.selectors import dossiers_of


def fil(dossier: Dossier) -> list[MessageDossier]:
    """The thread, oldest first, with its attachments: two queries."""
    return list(
        MessageDossier.objects.filter(dossier=dossier)
        .prefetch_related(
            Prefetch("pieces_jointes", queryset=PieceJointeMessage.objects.order_by("pk"))
        )
        .order_by("created_at", "pk")
    )


def conversation_de(dossier: Dossier) -> Conversation | None:
    return Conversation.objects.filter(dossier=dossier).first()


def dernier_lu(dossier: Dossier, user) -> int:
    """The last message `user` had read in the thread (0: none, or no account)."""
    if user is None or not user.is_authenticated:
        return 0
    return (
        LectureConversation.objects.filter(user=user, dossier=dossier)
        .values_list("dernier_lu", flat=True)
        .first()
    ) or 0


def _dernier_lu(user, dossier_ref):
    return Subquery(
        LectureConversation.objects.filter(user=user, dossier=dossier_ref).values("dernier_lu")[:1]
    )


@dataclass(frozen=True)
class EtatConversation:
    existe: bool
    ouverte: bool
    non_lus: int


def etat_conversation(dossier: Dossier, user, *, cote_lu: str) -> EtatConversation:
    """Whether the conversation exists and is open, and how many messages of `cote_lu`
    (the other side) `user` has not read: one query, kept on the dossier instance for
    the rest of the request (the tab's visibility and its counter both ask)."""
    cle = _cle(cote_lu)
    if hasattr(dossier, cle):
        return getattr(dossier, cle)
    connecte = user is not None and user.is_authenticated
    messages = MessageDossier.objects.filter(dossier=OuterRef("pk"), cote=cote_lu)
    if connecte:
        messages = messages.filter(
            pk__gt=Coalesce(_dernier_lu(user, OuterRef("dossier_id")), Value(0))
        )
    non_lus = Subquery(
        messages.order_by().values("dossier").annotate(n=Count("pk")).values("n")[:1]
    )
    ligne = (
        Dossier.objects.filter(pk=dossier.pk)
        .annotate(
            conv_existe=Exists(Conversation.objects.filter(dossier=OuterRef("pk"))),
            conv_ouverte=Exists(Conversation.objects.filter(dossier=OuterRef("pk"), ouverte=True)),
            conv_non_lus=Coalesce(non_lus, Value(0)),
        )
        .values("conv_existe", "conv_ouverte", "conv_non_lus")
        .first()
    ) or {"conv_existe": False, "conv_ouverte": False, "conv_non_lus": 0}
    etat = EtatConversation(
        ligne["conv_existe"], ligne["conv_ouverte"], ligne["conv_non_lus"] if connecte else 0
    )
    setattr(dossier, cle, etat)
    return etat


def _cle(cote_lu) -> str:
    return f"_etat_conversation_{getattr(cote_lu, 'value', cote_lu)}"


def etat_marque_lu(dossier: Dossier, *, cote_lu: str) -> None:
    """The thread was just read: the counters shown around the page are now zero."""
    etat = getattr(dossier, _cle(cote_lu), None)
    if etat is not None:
        setattr(dossier, _cle(cote_lu), dataclasses.replace(etat, non_lus=0))


def non_lus_par_dossier(user, *, limite: int = 20) -> list[dict]:
    """The citizen's dossiers with agents' messages they have not read: one row per
    dossier (pk, reference, dispositif title, count), the most recent first. One query."""
    if user is None or not user.is_authenticated:
        return []
    lignes = (
        MessageDossier.objects.filter(
            # Not `dossier__in`: the planner would scan every agent's message
            # (common.expressions).
            ParmiLesValeurs("dossier", dossiers_of(user).values("pk")),
            cote=MessageDossier.Cote.AGENT,
        )
        .filter(pk__gt=Coalesce(_dernier_lu(user, OuterRef("dossier_id")), Value(0)))
        .values("dossier_id", "dossier__reference", "dossier__dispositif__titre")
        .annotate(n=Count("pk"), dernier=Max("created_at"))
        .order_by("-dernier")
    )
    return list(lignes[:limite])
