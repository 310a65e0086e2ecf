"""Who edits a dossier besides its author (F14): co-editors invited by email, and the
transfer of a dossier to another account. Both travel by a single-use token sent by
mail (outbox), valid until `expire_le`."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from dossiers.models.dossiers import Dossier

INVITATION_JOURS = 14
TRANSFERT_JOURS = 14


def _jeton() -> str:
    return secrets.token_urlsafe(32)


def _expiration_invitation():
    return timezone.now() + timedelta(days=INVITATION_JOURS)


def _expiration_transfert():
    return timezone.now() + timedelta(days=TRANSFERT_JOURS)


class StatutJeton(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    ACCEPTE = "accepte", _("Acceptée")
    REVOQUE = "revoque", _("Annulée")
    EXPIRE = "expire", _("Expirée")


class _AJeton(TimeStampedModel):
    email = models.EmailField(_("adresse électronique"))
    token = models.CharField(max_length=64, unique=True, default=_jeton, editable=False)
    statut = models.CharField(
        _("statut"), max_length=12, choices=StatutJeton.choices, default=StatutJeton.EN_ATTENTE
    )
    decide_le = models.DateTimeField(_("décidé le"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def expiree(self) -> bool:
        return self.expire_le <= timezone.now()

    @property
    def ouverte(self) -> bool:
        return self.statut == StatutJeton.EN_ATTENTE and not self.expiree


class InvitationDossier(_AJeton):
    """An invitation to co-edit a dossier, sent by its author."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="invitations"
    )
    invite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accepte_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acceptée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expire_le = models.DateTimeField(_("expire le"), default=_expiration_invitation)

    class Meta:
        verbose_name = _("invitation à co-éditer")
        verbose_name_plural = _("invitations à co-éditer")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "email"],
                condition=Q(statut="en_attente"),
                name="invitation_dossier_une_en_attente",
            )
        ]
        indexes = [
            # « Mon compte »: the pending ones sent to the citizen's address (email__iexact).
            models.Index(
                Upper("email"), condition=Q(statut="en_attente"), name="invitation_dossier_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.dossier}"


class CoEditeur(models.Model):
    """An account that may continue a draft and see a dossier beside its author."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="coediteurs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="dossiers_coedites",
    )
    invitation = models.ForeignKey(
        InvitationDossier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ajoute_le = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        verbose_name = _("co-éditeur")
        verbose_name_plural = _("co-éditeurs")
        ordering = ["ajoute_le", "pk"]
        constraints = [models.UniqueConstraint(fields=["dossier", "user"], name="coediteur_unique")]
        indexes = [models.Index(fields=["user", "dossier"], name="coediteur_user_dossier")]

    def __str__(self) -> str:
        return f"{self.user} ↔ {self.dossier}"


class TransfertDossier(_AJeton):
    """The author hands the dossier to another account (F14); it expires if not accepted."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="transferts"
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accepte_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepté par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expire_le = models.DateTimeField(_("expire le"), default=_expiration_transfert)

    class Meta:
        verbose_name = _("transfert de dossier")
        verbose_name_plural = _("transferts de dossiers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(statut="en_attente"),
                name="transfert_un_en_attente",
            )
        ]
        indexes = [
            # « Mon compte »: the pending ones sent to the citizen's address (email__iexact).
            models.Index(
                Upper("email"), condition=Q(statut="en_attente"), name="transfert_dossier_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} → {self.email}"
