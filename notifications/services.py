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

import functools
import logging
import mimetypes
import re
import smtplib
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.utils import parseaddr
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, connections, router, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from common import gabarits, lignes
from notifications import registry, sms
from notifications.models import (
    Cadence,
    Canal,
    Correspondance,
    Message,
    ModeleMessage,
    Notification,
    Resultat,
    Statut,
    Tentative,
)

logger = logging.getLogger(__name__)


# --- Writing to the outbox ------------------------------------------------------------


def _reference(concerne) -> dict:
    if concerne is None:
        return {}
    return {
        "objet_type": ContentType.objects.get_for_model(concerne),
        "objet_id": str(concerne.pk),
    }


def piece_jointe(piece) -> dict:
    """One attachment as the outbox keeps it: {"nom", "fichier" (a name in the default
    storage), "type"}. Accepts that dict, a stored file (a FileField's value), or any
    object with a `piece_jointe()` method giving the dict (editique's DocumentGenere).
    Only the storage name is kept: the file is read when the mail leaves."""
    if hasattr(piece, "piece_jointe"):
        piece = piece.piece_jointe()
    elif isinstance(piece, FieldFile):
        piece = {"nom": PurePosixPath(piece.name).name, "fichier": piece.name}
    if not isinstance(piece, dict) or not piece.get("fichier"):
        raise TypeError(f"Pièce jointe inattendue : {piece!r}")
    nom = piece.get("nom") or PurePosixPath(piece["fichier"]).name
    return {
        "nom": nom,
        "fichier": piece["fichier"],
        "type": piece.get("type") or mimetypes.guess_type(nom)[0] or "application/octet-stream",
    }


def mettre_en_file(*, cle: str | None = None, echec: str = "", **champs) -> Message:
    """Write one outbox row in the caller's transaction; it is handed to a worker once
    that transaction commits. The same `cle` twice gives back the first row (an event
    replayed by its caller is not sent twice). `echec`: the row is written already failed
    with that reason (a template that cannot render) and never handed to a worker.
    `champs`: `_message`'s (canal, destinataire, corps, sujet…)."""
    message = _message(cle=cle, echec=echec, **champs)
    if cle:
        # get_or_create's read, savepoints and insert as one INSERT … ON CONFLICT (the
        # key is unique); an existing row is then read.
        if lignes.inserer(message, conflit="cle") is None:
            return Message.objects.get(cle=cle)
    else:
        lignes.inserer(message)
    if not echec:
        planifier(message)
    return message


def _message(
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
    echec: str = "",
) -> Message:
    champs = {
        "canal": canal,
        "destinataire": destinataire,
        "sujet": sujet[:300],
        "corps": corps,
        "corps_html": corps_html or "",
        "expediteur": expediteur or "",
        "pieces_jointes": [piece_jointe(p) for p in pieces_jointes or []],
        "evenement": evenement,
        "modele": modele,
        "usager": usager,
        **_reference(concerne),
    }
    if echec:
        champs |= {"statut": Statut.ECHEC, "derniere_erreur": echec}
    return Message(cle=cle, **champs) if cle else Message(**champs)


def mettre_en_file_lot(envois: list[dict]) -> list[Message]:
    """`mettre_en_file(**envoi)` of each envoi, the rows written in one INSERT per kind
    (with a key, without): the same rows, the same keys (an existing key gives back its
    row, not handed over again), each new row handed to a worker on commit, in order."""
    messages = [_message(**envoi) for envoi in envois]
    avec_cle = [m for m in messages if m.cle]
    nouveaux = {id(m) for m in lignes.inserer_lot(avec_cle, conflit="cle")}
    nouveaux |= {id(m) for m in lignes.inserer_lot([m for m in messages if not m.cle])}
    existants = {m.cle for m in avec_cle if id(m) not in nouveaux}
    lus = {m.cle: m for m in Message.objects.filter(cle__in=existants)} if existants else {}
    sortie = []
    for message in messages:
        if id(message) not in nouveaux:
            sortie.append(lus[message.cle])
            continue
        if message.statut != Statut.ECHEC:
            planifier(message)
        sortie.append(message)
    return sortie


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
    *,
    destinataire,
    titre: str,
    texte: str = "",
    lien: str = "",
    evenement="",
    concerne=None,
    cle: str = "",
) -> Notification:
    """An in-app notice (the bell of the portal or the CRM): a plain row, no delivery."""
    champs = {
        "destinataire": destinataire,
        "titre": titre[:300],
        "texte": texte,
        "lien": lien,
        "evenement": evenement,
        **_reference(concerne),
    }
    if cle:
        return Notification.objects.get_or_create(cle=cle, defaults=champs)[0]
    return Notification.objects.create(**champs)


# --- Delivering -----------------------------------------------------------------------


def bail() -> timedelta:
    return timedelta(seconds=settings.GUICHET_NOTIFICATIONS_BAIL)


def delai_avant_nouvel_essai(tentatives: int) -> timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min, … capped at GUICHET_NOTIFICATIONS_DELAI_MAX."""
    secondes = min(30 * 2 ** max(tentatives - 1, 0), settings.GUICHET_NOTIFICATIONS_DELAI_MAX)
    return timedelta(seconds=secondes)


_UNITES = {"s": 1, "m": 60, "h": 3600}


def intervalle_cadence(canal: str) -> timedelta | None:
    """Time between two send slots of the channel ("600/m" → 100 ms); None: no pace."""
    cadence = {Canal.EMAIL: settings.GUICHET_EMAIL_CADENCE, Canal.SMS: settings.GUICHET_SMS_CADENCE}
    nombre, _barre, unite = (cadence.get(canal) or "").strip().partition("/")
    if not nombre or float(nombre) <= 0:
        return None
    return timedelta(seconds=_UNITES[unite.strip()[:1] or "s"] / float(nombre))


def reserver_creneau(canal: str, maintenant) -> datetime:
    """Takes the channel's next free send slot (now, or later when the pace is reached)
    and pushes the next one by the interval: one upsert, so the row lock serialises
    every worker and two of them never get the same slot. Commits with the caller's
    (short) transaction."""
    intervalle = intervalle_cadence(canal)
    if intervalle is None:
        return maintenant
    table = Cadence._meta.db_table
    with connection.cursor() as curseur:
        curseur.execute(
            f"""
            INSERT INTO {table} (canal, prochain_creneau) VALUES (%s, %s::timestamptz + %s)
            ON CONFLICT (canal) DO UPDATE SET prochain_creneau =
                GREATEST({table}.prochain_creneau, %s::timestamptz) + %s
            RETURNING prochain_creneau - %s
            """,  # noqa: S608 - the table name is the model's, not input
            [canal, maintenant, intervalle, maintenant, intervalle, intervalle],
        )
        return curseur.fetchone()[0]


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
        # The channel's global pace: each attempt takes a send slot; a slot still to
        # come puts the message back until then (the task or the sweeper comes back).
        creneau = message.creneau or reserver_creneau(message.canal, maintenant)
        if creneau > maintenant:
            message.statut = Statut.EN_ATTENTE
            message.creneau = message.prochaine_tentative = creneau
            message.bail_jusqua = None
            message.save(
                update_fields=[
                    "statut",
                    "creneau",
                    "prochaine_tentative",
                    "bail_jusqua",
                    "updated_at",
                ]
            )
            return None, None, "pas encore"
        message.statut = Statut.ENVOI_EN_COURS
        message.tentatives += 1
        message.bail_jusqua = maintenant + bail()
        message.creneau = None
        message.save(update_fields=["statut", "tentatives", "bail_jusqua", "creneau", "updated_at"])
        tentative = Tentative.objects.create(
            message=message, numero=message.tentatives, creneau=creneau
        )
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


# --- Templates and the event → template mapping ----------------------------------------


@dataclass(frozen=True)
class ProblemeModele:
    """A problem of a template, with where it is: « Objet » or « Texte », then the line."""

    champ: str  # "sujet" | "corps"
    probleme: gabarits.Probleme

    @property
    def texte(self) -> str:
        ou = _("Objet") if self.champ == "sujet" else _("Texte")
        return f"{ou} — {self.probleme}"


def schema(code: str) -> tuple[gabarits.Variable, ...]:
    evenement = registry.evenement(code)
    return (*registry.VARIABLES_COMMUNES, *(evenement.variables if evenement else ()))


def contexte_exemple(code: str) -> dict[str, Any]:
    evenement = registry.evenement(code)
    contexte = gabarits.exemple(schema(code))
    contexte.update(_contexte_commun())
    if evenement:
        contexte.update(evenement.exemple)
    return contexte


def _contexte_commun() -> dict[str, Any]:
    return {"autorite": settings.GUICHET_AUTHORITY_NAME, "site_url": settings.GUICHET_SITE_URL}


def modele_problemes(*, canal: str, evenement: str, sujet: str, corps: str) -> list[ProblemeModele]:
    """What would refuse publication: unknown event, syntax, unknown variables (with
    the variable and its line), a mail without subject."""
    if registry.evenement(evenement) is None:
        return [
            ProblemeModele(
                "corps", gabarits.Probleme("", None, f"Événement inconnu « {evenement} ».")
            )
        ]
    variables = schema(evenement)
    problemes = [ProblemeModele("sujet", p) for p in gabarits.valider(sujet, variables, html=False)]
    problemes += [
        ProblemeModele("corps", p) for p in gabarits.valider(corps, variables, html=False)
    ]
    if canal != Canal.SMS and not sujet.strip():
        problemes.insert(
            0, ProblemeModele("sujet", gabarits.Probleme("", None, "L’objet est obligatoire."))
        )
    if not corps.strip():
        problemes.append(
            ProblemeModele("corps", gabarits.Probleme("", None, "Le texte est obligatoire."))
        )
    return problemes


@dataclass
class Apercu:
    sujet: str = ""
    corps: str = ""
    corps_html: str = ""
    problemes: list[ProblemeModele] = field(default_factory=list)
    erreur: str = ""


def corps_html(texte: str) -> str:
    """The HTML part of a mail: the text, escaped, in paragraphs (links stay text)."""
    return render_to_string(
        "notifications/courriel.html",
        {"corps": texte, "autorite": settings.GUICHET_AUTHORITY_NAME},
    )


def rendre(*, sujet: str, corps: str, contexte: dict[str, Any]) -> tuple[str, str]:
    """Renders subject and text (text mode: a mail is not HTML; its HTML part is built
    from the rendered text). Raises gabarits.ErreurGabarit."""
    contexte = {**_contexte_commun(), **contexte}
    sujet_rendu = " ".join(gabarits.rendre(sujet, contexte, html=False).split())
    return sujet_rendu, gabarits.rendre(corps, contexte, html=False).strip()


def apercu(
    *, canal: str, evenement: str, sujet: str, corps: str, contexte: dict | None = None
) -> Apercu:
    """The live preview: the draft rendered on the event's sample context, or what
    stops it, with the variable and where."""
    problemes = modele_problemes(canal=canal, evenement=evenement, sujet=sujet, corps=corps)
    # Unknown variables and syntax errors (they carry a line) stop the rendering; a
    # missing subject does not hide the preview of the text.
    if registry.evenement(evenement) is None or any(p.probleme.ligne for p in problemes):
        return Apercu(problemes=problemes)
    try:
        sujet_rendu, corps_rendu = rendre(
            sujet=sujet, corps=corps, contexte=contexte or contexte_exemple(evenement)
        )
    except gabarits.ErreurGabarit as erreur:
        return Apercu(problemes=problemes, erreur=str(erreur))
    return Apercu(
        sujet=sujet_rendu,
        corps=corps_rendu,
        corps_html=corps_html(corps_rendu) if canal == Canal.EMAIL else "",
        problemes=problemes,
    )


def modele_publier(modele: ModeleMessage) -> list[ProblemeModele]:
    """Publish the draft if it has no problem; otherwise nothing changes."""
    problemes = modele_problemes(
        canal=modele.canal, evenement=modele.evenement, sujet=modele.sujet, corps=modele.corps
    )
    if problemes:
        return problemes
    modele.sujet_publie, modele.corps_publie = modele.sujet, modele.corps
    modele.publie_le = timezone.now()
    modele.save(update_fields=["sujet_publie", "corps_publie", "publie_le", "updated_at"])
    return []


class EnvoiRefuse(Exception):
    pass


def envoyer_test(modele: ModeleMessage, *, destinataire: str, par=None) -> Message:
    """A test of the draft on the sample context, to the admin's address (or number),
    through the outbox like any message."""
    resultat = apercu(
        canal=modele.canal, evenement=modele.evenement, sujet=modele.sujet, corps=modele.corps
    )
    if resultat.problemes or resultat.erreur:
        raise EnvoiRefuse(_("Corrigez d’abord le modèle : l’aperçu signale des problèmes."))
    canal = Canal.SMS if modele.canal == Canal.SMS else Canal.EMAIL
    return mettre_en_file(
        canal=canal,
        destinataire=destinataire,
        sujet=f"[{_('Test')}] {resultat.sujet}" if canal == Canal.EMAIL else "",
        corps=resultat.corps,
        corps_html=resultat.corps_html if canal == Canal.EMAIL else "",
        evenement=modele.evenement,
        modele=modele,
        usager=par,
    )


def correspondance_enregistrer(*, evenement: str, modele: ModeleMessage, actif: bool = True):
    """Map an event to a template; refused (EnvoiRefuse) when the template uses variables
    the event does not give."""
    if registry.evenement(evenement) is None:
        raise EnvoiRefuse(_("Événement inconnu « %(code)s ».") % {"code": evenement})
    problemes = [
        p
        for p in modele_problemes(
            canal=modele.canal, evenement=evenement, sujet=modele.sujet, corps=modele.corps
        )
        if p.probleme.variable
    ]
    if problemes:
        raise EnvoiRefuse(
            _("Ce modèle utilise des variables que cet événement ne fournit pas : %(liste)s")
            % {"liste": " ; ".join(p.texte for p in problemes)}
        )
    correspondance, _cree = Correspondance.objects.update_or_create(
        evenement=evenement, modele=modele, defaults={"actif": actif}
    )
    return correspondance


def modeles_de(evenement: str) -> list[ModeleMessage]:
    """The published templates of the event's active mappings, by channel and name: one
    hand-written query, its text built once (every status change asks it; the ORM's
    join cost more CPU to build than to run)."""
    db = router.db_for_read(Correspondance)
    with connections[db].cursor() as cursor:
        cursor.execute(_sql_modeles_de(), [evenement])
        return lignes.instances(ModeleMessage, cursor.fetchall(), db)


@functools.cache
def _sql_modeles_de() -> str:
    return f"""
        SELECT {lignes.colonnes(ModeleMessage, "m")}
          FROM {Correspondance._meta.db_table} c
          JOIN {ModeleMessage._meta.db_table} m ON m.id = c.modele_id
         WHERE c.evenement = %s AND c.actif AND m.publie_le IS NOT NULL
         ORDER BY m.canal, m.nom"""  # noqa: S608 - names from the models, value bound


def notifier(
    evenement: str,
    *,
    contexte: dict[str, Any],
    email: str = "",
    telephone: str = "",
    usager=None,
    concerne=None,
    lien: str = "",
    pieces_jointes: list[dict] | None = None,
    cle: str = "",
) -> list[Message | Notification]:
    """Raise an event inside the caller's transaction: each active mapping's published
    template is rendered with `contexte` and written to the outbox (mail, SMS) or as an
    in-app notice. A template that cannot be rendered with this context gives a failed
    outbox row with the reason, never an exception in the caller's business transaction.
    `cle` (e.g. "compte.cree:42") makes a replayed event harmless.

    Attachments: `pieces_jointes`, and the context's own `pieces_jointes` key, list what
    the mail carries when its template says `joindre_documents` — generated documents
    (DocumentGenere), stored files, or {"nom", "fichier", "type"} dicts (`piece_jointe`).
    They must be in the default storage and committed with the caller's transaction."""
    return [
        envoi if isinstance(envoi, Notification) else mettre_en_file(**envoi)
        for envoi in _envois(
            modeles_de(evenement),
            evenement,
            contexte=contexte,
            email=email,
            telephone=telephone,
            usager=usager,
            concerne=concerne,
            lien=lien,
            pieces_jointes=pieces_jointes,
            cle=cle,
        )
    ]


def notifier_lot(evenement: str, evenements: Iterable[dict[str, Any]]) -> None:
    """`notifier(evenement, **e)` for each of `evenements` (a chunk of dossiers whose
    statut changed together): the event's templates read once, the outbox rows written
    in one statement (`mettre_en_file_lot`), the in-app notices as `notifier` writes them.
    `evenements` is iterated only when the event has templates (a generator spares
    building the contexts otherwise)."""
    modeles = modeles_de(evenement)
    if not modeles:
        return
    file = []
    for e in evenements:
        file += [
            envoi
            for envoi in _envois(modeles, evenement, **e)
            if not isinstance(envoi, Notification)
        ]
    mettre_en_file_lot(file)


def _envois(
    modeles: list[ModeleMessage],
    evenement: str,
    *,
    contexte: dict[str, Any],
    email: str = "",
    telephone: str = "",
    usager=None,
    concerne=None,
    lien: str = "",
    pieces_jointes: list[dict] | None = None,
    cle: str = "",
):
    """Per template, in order: the in-app notice (written here), or the outbox row's
    fields (`mettre_en_file`'s arguments, written by the caller)."""
    contexte = dict(contexte)
    pieces_jointes = [*(pieces_jointes or []), *(contexte.pop("pieces_jointes", None) or [])]
    for modele in modeles:
        if modele.canal == Canal.APPLICATION and usager is None:
            continue
        destinataire = {Canal.EMAIL: email, Canal.SMS: telephone}.get(modele.canal, "")
        if modele.canal != Canal.APPLICATION and not destinataire:
            continue
        try:
            sujet, corps = rendre(
                sujet=modele.sujet_publie, corps=modele.corps_publie, contexte=contexte
            )
            erreur = ""
        except gabarits.ErreurGabarit as exc:
            sujet, corps, erreur = modele.sujet_publie, modele.corps_publie, str(exc)
        if modele.canal == Canal.APPLICATION:
            if not erreur:
                yield notifier_application(
                    destinataire=usager,
                    titre=sujet or corps[:120],
                    texte=corps if sujet else "",
                    lien=lien,
                    evenement=evenement,
                    concerne=concerne,
                    cle=f"{cle}:{modele.pk}" if cle else "",
                )
            else:
                logger.error("In-app template %s cannot render: %s", modele.pk, erreur)
            continue
        champs = {
            "canal": modele.canal,
            "destinataire": destinataire,
            "sujet": sujet,
            "corps": corps,
            "evenement": evenement,
            "modele": modele,
            "usager": usager,
            "cle": f"{cle}:{modele.pk}" if cle else None,
            "concerne": concerne,
        }
        if modele.canal == Canal.EMAIL:
            champs["corps_html"] = corps_html(corps) if not erreur else ""
            if modele.joindre_documents:
                champs["pieces_jointes"] = pieces_jointes or []
        champs["echec"] = f"Modèle « {modele.nom} » : {erreur}" if erreur else ""
        yield champs


# --- In-app notices and inbound replies ------------------------------------------------


def notifications_consulter(user, *, limite: int = 50) -> list[Notification]:
    """The user's latest notices as their bell's page shows them; those unread are marked
    read from now on (the list keeps showing them as they were)."""
    liste = list(Notification.objects.filter(destinataire=user).order_by("-created_at")[:limite])
    notifications_marquer_lues(user, [n.pk for n in liste if n.lue_le is None])
    return liste


def notifications_marquer_lues(user, pks: list[int] | None = None) -> int:
    """Marks the user's unread notices as read (those shown), returns how many."""
    qs = Notification.objects.filter(destinataire=user, lue_le__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(lue_le=timezone.now())


class ReponseRefusee(Exception):
    pass


CLE_DANS_EN_TETE = re.compile(r"<([0-9a-f]{32}|[\w.:-]{1,200})@[^>]+>")


def recevoir_reponse(brut: bytes) -> str:
    """A reply to a notification mail (raw RFC 5322 bytes): found through In-Reply-To /
    References (our Message-ID is the outbox key), handed to the handler registered for
    the concerned object's kind (e.g. the dossier's conversation). Returns the kind."""
    courriel = message_from_bytes(brut, policy=policy.default)
    cles = CLE_DANS_EN_TETE.findall(
        " ".join(str(courriel.get(h, "")) for h in ("In-Reply-To", "References"))
    )
    origine = (
        Message.objects.filter(cle__in=cles).select_related("objet_type").first() if cles else None
    )
    if origine is None:
        raise ReponseRefusee(_("Ce courriel ne répond à aucun message envoyé par Guichet."))
    if origine.objet_type is None:
        raise ReponseRefusee(_("Le message d’origine ne concerne aucun objet : rien à compléter."))
    type_objet = f"{origine.objet_type.app_label}.{origine.objet_type.model}"
    handler = registry.reponse_handler(type_objet)
    if handler is None:
        raise ReponseRefusee(
            _("Aucune conversation n’accueille les réponses pour « %(type)s ».")
            % {"type": type_objet}
        )
    corps = courriel.get_body(preferencelist=("plain", "html"))
    texte = corps.get_content() if corps is not None else ""
    pieces = [
        (part.get_filename() or "piece-jointe", part.get_content(), part.get_content_type())
        for part in courriel.iter_attachments()
    ]
    expediteur = parseaddr(str(courriel.get("From", "")))[1]
    handler(
        origine.objet_id,
        expediteur=expediteur,
        sujet=str(courriel.get("Subject", "")),
        texte=texte,
        pieces_jointes=pieces,
        message=origine,
    )
    return type_objet
