"""Reads shared by the CRM and portal screens."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from notifications import registry
from notifications.models import Correspondance, Message, ModeleMessage, Notification, Statut


def modeles() -> QuerySet[ModeleMessage]:
    return ModeleMessage.objects.annotate(
        nb_correspondances=Count("correspondances", filter=Q(correspondances__actif=True))
    ).order_by("canal", "nom")


def file_envoi(*, statut: str = "", canal: str = "", q: str = "") -> QuerySet[Message]:
    messages = Message.objects.select_related("modele").order_by("-created_at")
    if statut:
        messages = messages.filter(statut=statut)
    if canal:
        messages = messages.filter(canal=canal)
    if q:
        messages = messages.filter(Q(destinataire__icontains=q) | Q(sujet__icontains=q))
    return messages


def compte_par_statut() -> dict[str, int]:
    lignes = Message.objects.order_by().values_list("statut").annotate(n=Count("pk"))
    comptes = dict.fromkeys(Statut.values, 0)
    comptes.update(dict(lignes))
    return comptes


def messages_de(objet) -> QuerySet[Message]:
    """What went out about an object (a dossier, an account…), newest first."""
    return Message.objects.filter(
        objet_type=ContentType.objects.get_for_model(objet), objet_id=str(objet.pk)
    ).order_by("-created_at")


def messages_du_compte(user, *, limite: int = 20) -> list[Message]:
    """What went out to an account or about it (its individu's page in the CRM)."""
    return list(
        Message.objects.filter(
            Q(usager=user)
            | Q(objet_type=ContentType.objects.get_for_model(user), objet_id=str(user.pk))
        ).order_by("-created_at")[:limite]
    )


def correspondances_par_evenement() -> list[tuple[registry.Evenement, list[Correspondance]]]:
    par_code: dict[str, list[Correspondance]] = {}
    for correspondance in Correspondance.objects.select_related("modele").order_by(
        "modele__canal", "modele__nom"
    ):
        par_code.setdefault(correspondance.evenement, []).append(correspondance)
    return [(e, par_code.get(e.code, [])) for e in registry.evenements()]


def non_lues(user) -> int:
    return Notification.objects.filter(destinataire=user, lue_le__isnull=True).count()
