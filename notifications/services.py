"""Sending messages through the outbox, and delivering them exactly once.

notifications knows nothing of dossiers (docs/architecture.md): callers hand over a
context (or rendered text) and an opaque reference to what the message concerns.

Delivery (`livrer`, called by the worker task) in three short steps:

1. Claim, in its own transaction: lock the row; only a message `en_attente` that is due,
   or `envoi_en_cours` whose lease has expired (its worker died), is claimed. It becomes
   `envoi_en_cours` with a lease (`bail_jusqua`), an attempt receipt is created, and
   this is committed *before* the provider is contacted.
2. Talk to the provider outside any transaction; the mail's Message-ID is the
   idempotency key.
3. Right after the provider's acceptance (SMTP's 250 reply to DATA, before QUIT; the
   SMS API's answer) the row is marked `envoye` with the provider's id and committed.

A worker killed during step 2 leaves the row `envoi_en_cours`: the SMTP server never
answered 250, so it did not accept the message, and the redelivered task (acks_late,
reject on worker lost) or the sweeper sends it again once the lease has expired. A worker
killed between the 250 and step 3's commit (a few milliseconds) is the one window left:
the message is sent again after the lease, with the same Message-ID (see README).
"""

from __future__ import annotations

import logging
import smtplib
import socket
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications import sms
from notifications.models import Canal, Message, Notification, Resultat, Statut, Tentative

logger = logging.getLogger(__name__)


# --- Writing to the outbox ------------------------------------------------------------


def _reference(concerne) -> dict:
    if concerne is None:
        return {}
    return {
        "objet_type": ContentType.objects.get_for_model(concerne),
        "objet_id": str(concerne.pk),
    }


def mettre_en_file(
    *,
    canal: str,
    destinataire: str,
    corps: str,
    sujet: str = "",
    corps_html: str = "",
    expediteur: str = "",
    pieces_jointes: list[dict] | None = None,
    cle: str | None = None,
    evenement: str = "",
    modele=None,
    usager=None,
    concerne=None,
) -> Message:
    """Write one outbox row in the caller's transaction; it is handed to a worker once
    that transaction commits. The same `cle` twice gives back the first row (an event
    replayed by its caller is not sent twice)."""
    champs = {
        "canal": canal,
        "destinataire": destinataire,
        "sujet": sujet[:300],
        "corps": corps,
        "corps_html": corps_html or "",
        "expediteur": expediteur or "",
        "pieces_jointes": pieces_jointes or [],
        "evenement": evenement,
        "modele": modele,
        "usager": usager,
        **_reference(concerne),
    }
    if cle:
        message, cree = Message.objects.get_or_create(cle=cle, defaults=champs)
        if not cree:
            return message
    else:
        message = Message.objects.create(**champs)
    planifier(message)
    return message


def planifier(message: Message, *, countdown: float | None = None) -> None:
    """Hand the message to a worker after the current transaction commits (eagerly, in
    process, without REDIS_URL). If the broker is unreachable then, the row stays
    `en_attente` and the sweeper (`relancer_en_retard`) enqueues it later."""
    from notifications.tasks import tache_pour

    tache = tache_pour(message.canal)
    pk = message.pk

    def envoyer():
        try:
            tache.apply_async((pk,), countdown=countdown)
        except Exception:  # noqa: BLE001 - the sweeper retries; the event is already saved
            logger.exception("Message %s: broker unreachable, left for the sweeper", pk)

    transaction.on_commit(envoyer)


def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str | None = None,
    from_email: str | None = None,
    cle: str | None = None,
    usager=None,
    concerne=None,
    evenement: str = "",
) -> list[Message]:
    """Queue an email (one outbox row per recipient), sent once the transaction commits."""
    return [
        mettre_en_file(
            canal=Canal.EMAIL,
            destinataire=adresse,
            sujet=subject,
            corps=body,
            corps_html=html_body or "",
            expediteur=from_email or "",
            cle=f"{cle}-{i}" if cle and len(to) > 1 else cle,
            usager=usager,
            concerne=concerne,
            evenement=evenement,
        )
        for i, adresse in enumerate(to)
    ]


def notifier_application(
    *, destinataire, titre: str, texte: str = "", lien: str = "", evenement="", concerne=None
) -> Notification:
    """An in-app notice (the bell of the portal or the CRM): a plain row, no delivery."""
    return Notification.objects.create(
        destinataire=destinataire,
        titre=titre[:300],
        texte=texte,
        lien=lien,
        evenement=evenement,
        **_reference(concerne),
    )


# --- Delivering -----------------------------------------------------------------------


def bail() -> timedelta:
    return timedelta(seconds=settings.GUICHET_NOTIFICATIONS_BAIL)


def delai_avant_nouvel_essai(tentatives: int) -> timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min, … capped at GUICHET_NOTIFICATIONS_DELAI_MAX."""
    secondes = min(30 * 2 ** max(tentatives - 1, 0), settings.GUICHET_NOTIFICATIONS_DELAI_MAX)
    return timedelta(seconds=secondes)


def _reserver(pk: int, *, force: bool = False) -> tuple[Message | None, Tentative | None, str]:
    """Step 1: claim the message for this worker and commit. Returns (message, attempt,
    why not) — the message is None when there is nothing to do now."""
    maintenant = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=pk).first()
        if message is None:
            return None, None, "absent"
        if message.statut in (Statut.ENVOYE, Statut.ECHEC):
            return None, None, "déjà traité"
        if message.statut == Statut.ENVOI_EN_COURS:
            if message.bail_jusqua and message.bail_jusqua > maintenant:
                return None, None, "bail"
            # The previous worker died while sending: its attempt is closed as such.
            Tentative.objects.filter(message=message, resultat=Resultat.EN_COURS).update(
                resultat=Resultat.INTERROMPU,
                fin=maintenant,
                detail="Le traitement s’est arrêté pendant l’envoi ; bail expiré, reprise.",
            )
        elif message.prochaine_tentative > maintenant and not force:
            return None, None, "pas encore"
        message.statut = Statut.ENVOI_EN_COURS
        message.tentatives += 1
        message.bail_jusqua = maintenant + bail()
        message.save(update_fields=["statut", "tentatives", "bail_jusqua", "updated_at"])
        tentative = Tentative.objects.create(message=message, numero=message.tentatives)
    return message, tentative, ""


def _conclure(message: Message, tentative: Tentative, **champs) -> None:
    resultat = champs.pop("resultat")
    detail = champs.get("derniere_erreur", "")
    fournisseur_id = champs.get("fournisseur_id", "")
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            bail_jusqua=None, updated_at=timezone.now(), **champs
        )
        Tentative.objects.filter(pk=tentative.pk).update(
            resultat=resultat, fin=timezone.now(), detail=detail, fournisseur_id=fournisseur_id
        )


def message_id(message: Message) -> str:
    domaine = urlsplit(settings.GUICHET_SITE_URL).hostname or "guichet.localhost"
    return f"<{message.cle}@{domaine}>"


def _courriel(message: Message, connexion) -> EmailMultiAlternatives:
    courriel = EmailMultiAlternatives(
        subject=message.sujet,
        body=message.corps,
        from_email=message.expediteur or settings.DEFAULT_FROM_EMAIL,
        to=[message.destinataire],
        connection=connexion,
        headers={"Message-ID": message_id(message)},
        reply_to=[settings.GUICHET_NOTIFICATIONS_REPONSE] if _repondable(message) else None,
    )
    if message.corps_html:
        courriel.attach_alternative(message.corps_html, "text/html")
    for piece in message.pieces_jointes:
        with default_storage.open(piece["fichier"], "rb") as f:
            courriel.attach(piece["nom"], f.read(), piece.get("type") or None)
    return courriel


def _repondable(message: Message) -> bool:
    return bool(settings.GUICHET_NOTIFICATIONS_REPONSE and message.objet_type_id)


# Refusals that sending again cannot cure (the recipient or the sender refused).
ERREURS_DEFINITIVES_SMTP = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


def _envoyer_courriel(message: Message, on_accepted) -> str:
    """Step 2 for a mail; calls `on_accepted` right after the server's 250, before QUIT."""
    connexion = get_connection(fail_silently=False)
    connexion.open()
    try:
        courriel = _courriel(message, connexion)
        envoyes = connexion.send_messages([courriel])
        if not envoyes:
            raise sms.ErreurTemporaire("Le serveur de messagerie n’a rien accepté")
        on_accepted(message_id(message))
    finally:
        try:
            connexion.close()
        except Exception:  # noqa: BLE001 - QUIT failing after acceptance changes nothing
            logger.warning("Message %s: closing the SMTP connection failed", message.pk)
    return message_id(message)


def livrer(pk: int, *, force: bool = False) -> str:
    """Deliver one outbox message at most once; returns what happened (for logs/tests).
    Temporary errors leave it `en_attente` with its next attempt time; the caller (the
    task) schedules that attempt."""
    message, tentative, raison = _reserver(pk, force=force)
    if message is None:
        return raison

    conclu = False

    def accepte(fournisseur_id: str) -> None:
        nonlocal conclu
        _conclure(
            message,
            tentative,
            resultat=Resultat.SUCCES,
            statut=Statut.ENVOYE,
            envoye_le=timezone.now(),
            fournisseur_id=fournisseur_id,
            derniere_erreur="",
        )
        conclu = True

    try:
        if message.canal == Canal.EMAIL:
            _envoyer_courriel(message, accepte)
        elif message.canal == Canal.SMS:
            accepte(sms.envoyer_sms(message.destinataire, message.corps, message.cle))
        else:
            raise sms.ErreurDefinitive(f"Canal inconnu : {message.canal}")
    except Exception as error:  # noqa: BLE001 - every failure is recorded on the message
        if conclu:  # accepted and recorded; only the goodbye failed
            return "envoyé"
        definitive = isinstance(error, (sms.ErreurDefinitive, *ERREURS_DEFINITIVES_SMTP))
        texte = _decrire(error)
        age = timezone.now() - message.en_file_depuis
        if not definitive and age > timedelta(seconds=settings.GUICHET_NOTIFICATIONS_ABANDON):
            definitive = True
            texte = f"Abandon après {message.tentatives} tentatives : {texte}"
        if definitive:
            _conclure(
                message,
                tentative,
                resultat=Resultat.ERREUR_DEFINITIVE,
                statut=Statut.ECHEC,
                derniere_erreur=texte,
            )
            logger.warning("Message %s failed for good: %s", pk, texte)
            return "échec"
        prochaine = timezone.now() + delai_avant_nouvel_essai(message.tentatives)
        _conclure(
            message,
            tentative,
            resultat=Resultat.ERREUR_TEMPORAIRE,
            statut=Statut.EN_ATTENTE,
            derniere_erreur=texte,
            prochaine_tentative=prochaine,
        )
        logger.info("Message %s will be tried again at %s: %s", pk, prochaine, texte)
        return "nouvel essai"
    return "envoyé"


def _decrire(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        details = "; ".join(
            f"{adresse} : {code} {texte.decode('utf-8', 'replace') if isinstance(texte, bytes) else texte}"
            for adresse, (code, texte) in error.recipients.items()
        )
        return f"Destinataire refusé par le serveur de messagerie ({details})"
    if isinstance(
        error, ConnectionRefusedError | socket.timeout | TimeoutError | OSError
    ) and not isinstance(error, smtplib.SMTPException):
        return f"Serveur injoignable : {error}"
    return f"{type(error).__name__} : {error}"[:2000]


def relancer(message: Message) -> None:
    """An admin retries a failed message: back to the queue, sent now."""
    if message.statut != Statut.ECHEC:
        return
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, statut=Statut.ECHEC).update(
            statut=Statut.EN_ATTENTE,
            prochaine_tentative=timezone.now(),
            en_file_depuis=timezone.now(),  # the give-up delay counts from the retry
            updated_at=timezone.now(),
        )
        planifier(message)


def relancer_en_retard(*, limite: int = 1000) -> int:
    """The sweeper (beat, every minute; `manage.py envoyer_messages`): enqueue what is due
    and was not enqueued (broker down at commit) or whose worker died (lease expired)."""
    maintenant = timezone.now()
    dus = list(
        Message.objects.filter(
            Q(statut=Statut.EN_ATTENTE, prochaine_tentative__lte=maintenant)
            | Q(statut=Statut.ENVOI_EN_COURS, bail_jusqua__lt=maintenant)
        )
        .order_by("prochaine_tentative")
        .values_list("pk", "canal")[:limite]
    )
    from notifications.tasks import tache_pour

    for pk, canal in dus:
        tache_pour(canal).apply_async((pk,))
    return len(dus)
