"""Notifications: mail and SMS templates, the event → template mapping, the outbox
(one row per message to deliver, written in the caller's transaction), the receipts of
each delivery attempt, and in-app notices.

notifications knows nothing of dossiers: what a message concerns is an opaque reference
(a content type and a primary key as text), set by the caller.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class Canal(models.TextChoices):
    EMAIL = "email", _("Courriel")
    SMS = "sms", _("SMS")
    APPLICATION = "application", _("Notification dans l’application")


class ModeleMessage(TimeStampedModel):
    """A mail, SMS or in-app template. Admins edit the draft (`sujet`, `corps`); what is
    sent is the published copy, checked against the event's variables when published."""

    nom = models.CharField(_("nom"), max_length=200, unique=True)
    canal = models.CharField(_("canal"), max_length=20, choices=Canal.choices)
    evenement = models.CharField(
        _("événement"),
        max_length=100,
        help_text=_("Ses variables sont celles que le gabarit peut utiliser."),
    )
    sujet = models.CharField(_("objet"), max_length=300, blank=True)
    corps = models.TextField(_("texte"))
    joindre_documents = models.BooleanField(
        _("joindre les documents de l’événement"),
        default=False,
        help_text=_("Justificatifs et documents générés que l’événement fournit (courriel)."),
    )
    sujet_publie = models.CharField(_("objet publié"), max_length=300, blank=True)
    corps_publie = models.TextField(_("texte publié"), blank=True)
    publie_le = models.DateTimeField(_("publié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("modèle de message")
        verbose_name_plural = _("modèles de message")
        ordering = ["nom"]
        permissions = [
            (
                "gerer_modeles",
                _("Peut gérer les modèles de message, leur correspondance et la file d’envoi"),
            )
        ]

    def __str__(self):
        return self.nom

    @property
    def est_publie(self) -> bool:
        return self.publie_le is not None

    @property
    def brouillon_modifie(self) -> bool:
        return self.est_publie and (
            self.sujet != self.sujet_publie or self.corps != self.corps_publie
        )


class Correspondance(TimeStampedModel):
    """Event → template: when the event happens, this template is sent (if active)."""

    evenement = models.CharField(_("événement"), max_length=100, db_index=True)
    modele = models.ForeignKey(
        ModeleMessage,
        verbose_name=_("modèle"),
        on_delete=models.CASCADE,
        related_name="correspondances",
    )
    actif = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("correspondance événement → modèle")
        verbose_name_plural = _("correspondances événement → modèle")
        ordering = ["evenement", "modele__canal"]
        constraints = [
            models.UniqueConstraint(
                fields=["evenement", "modele"], name="correspondance_evenement_modele_unique"
            )
        ]

    def __str__(self):
        return f"{self.evenement} → {self.modele}"


class Statut(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    ENVOI_EN_COURS = "envoi_en_cours", _("Envoi en cours")
    ENVOYE = "envoye", _("Envoyé")
    ECHEC = "echec", _("Échec")


def nouvelle_cle() -> str:
    return uuid.uuid4().hex


class Message(TimeStampedModel):
    """The outbox: one row per mail or SMS to deliver. Written in the same transaction
    as the event, so a rolled-back event sends nothing and a committed one is never lost;
    a worker moves it en_attente → envoi_en_cours (committed before talking to the
    provider, with a lease) → envoye | echec. `cle` is the idempotency key: unique, and
    the mail's Message-ID, so a message is never sent twice by us and a duplicate that
    the narrow crash window could produce is recognisable by the receiving side."""

    cle = models.CharField(
        _("clé d’idempotence"), max_length=200, unique=True, default=nouvelle_cle
    )
    canal = models.CharField(_("canal"), max_length=20, choices=Canal.choices)
    statut = models.CharField(
        _("statut"), max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE
    )
    destinataire = models.CharField(_("destinataire"), max_length=320)
    expediteur = models.CharField(_("expéditeur"), max_length=320, blank=True)
    sujet = models.CharField(_("objet"), max_length=300, blank=True)
    corps = models.TextField(_("texte"))
    corps_html = models.TextField(_("texte HTML"), blank=True)
    # [{"nom": "recu.pdf", "fichier": "<storage name>", "type": "application/pdf"}]
    pieces_jointes = models.JSONField(_("pièces jointes"), default=list, blank=True)
    evenement = models.CharField(_("événement"), max_length=100, blank=True)
    modele = models.ForeignKey(
        ModeleMessage,
        verbose_name=_("modèle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    usager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte destinataire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages_recus",
    )
    # What the message concerns (a dossier once dossiers exist): opaque to this app.
    objet_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objet_id = models.CharField(max_length=64, blank=True)
    objet = GenericForeignKey("objet_type", "objet_id")

    tentatives = models.PositiveIntegerField(_("tentatives"), default=0)
    # Temporary errors are retried until GUICHET_NOTIFICATIONS_ABANDON after this.
    en_file_depuis = models.DateTimeField(_("en file depuis"), default=timezone.now)
    prochaine_tentative = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    bail_jusqua = models.DateTimeField(_("envoi réservé jusqu’à"), null=True, blank=True)
    # The send slot reserved under the channel's pace (Cadence), not yet used.
    creneau = models.DateTimeField(_("créneau d’envoi réservé"), null=True, blank=True)
    derniere_erreur = models.TextField(_("dernière erreur"), blank=True)
    fournisseur_id = models.CharField(
        _("identifiant chez le fournisseur"), max_length=300, blank=True
    )
    envoye_le = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages (file d’envoi)")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["statut", "prochaine_tentative"], name="message_a_envoyer"),
            models.Index(fields=["objet_type", "objet_id"], name="message_objet"),
        ]

    def __str__(self):
        return f"{self.get_canal_display()} → {self.destinataire} ({self.get_statut_display()})"

    @property
    def peut_relancer(self) -> bool:
        return self.statut == Statut.ECHEC


class Resultat(models.TextChoices):
    EN_COURS = "en_cours", _("En cours")
    SUCCES = "succes", _("Accepté par le fournisseur")
    ERREUR_TEMPORAIRE = "erreur_temporaire", _("Erreur temporaire (nouvel essai)")
    ERREUR_DEFINITIVE = "erreur_definitive", _("Erreur définitive")
    INTERROMPU = "interrompu", _("Interrompu (reprise après expiration du bail)")


class Tentative(models.Model):
    """The receipt of one delivery attempt (E4): channel, result, provider id."""

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="recus"
    )
    numero = models.PositiveIntegerField(_("numéro"))
    debut = models.DateTimeField(_("début"), default=timezone.now)
    fin = models.DateTimeField(_("fin"), null=True, blank=True)
    resultat = models.CharField(
        _("résultat"), max_length=20, choices=Resultat.choices, default=Resultat.EN_COURS
    )
    detail = models.TextField(_("détail"), blank=True)
    fournisseur_id = models.CharField(
        _("identifiant chez le fournisseur"), max_length=300, blank=True
    )
    # The channel's send slot this attempt used (never before it, one attempt per slot).
    creneau = models.DateTimeField(_("créneau d’envoi"), null=True, blank=True)

    class Meta:
        verbose_name = _("accusé de tentative")
        verbose_name_plural = _("accusés de tentative")
        ordering = ["message", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["message", "numero"], name="tentative_numero_unique")
        ]

    def __str__(self):
        return f"{self.message_id} #{self.numero} {self.get_resultat_display()}"


class Cadence(models.Model):
    """The global pace of a channel, shared by every worker: the next free send slot.
    Each delivery attempt takes one slot, then pushes it by 1/pace (a virtual schedule,
    see services.reserver_creneau), so N workers together never exceed the pace."""

    canal = models.CharField(_("canal"), max_length=20, choices=Canal.choices, primary_key=True)
    prochain_creneau = models.DateTimeField(_("prochain créneau libre"))

    class Meta:
        verbose_name = _("cadence d’envoi")
        verbose_name_plural = _("cadences d’envoi")

    def __str__(self):
        return f"{self.get_canal_display()} : {self.prochain_creneau:%H:%M:%S.%f}"


class Notification(TimeStampedModel):
    """An in-app notice for a citizen (portal) or an agent (CRM): the bell."""

    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    titre = models.CharField(_("titre"), max_length=300)
    texte = models.TextField(_("texte"), blank=True)
    lien = models.CharField(_("lien"), max_length=500, blank=True)
    lue_le = models.DateTimeField(_("lue le"), null=True, blank=True)
    evenement = models.CharField(_("événement"), max_length=100, blank=True)
    # The event's idempotency key: a replayed event does not ring the bell twice.
    cle = models.CharField(_("clé d’idempotence"), max_length=200, blank=True)
    objet_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objet_id = models.CharField(max_length=64, blank=True)
    objet = GenericForeignKey("objet_type", "objet_id")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["destinataire", "lue_le"], name="notification_non_lue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cle"], condition=~models.Q(cle=""), name="notification_cle_unique"
            )
        ]

    def __str__(self):
        return self.titre
