"""The conversation of a dossier (P11): one thread between the citizen (with the members
of the demandeur profil) and the agents, with attachments.

A `Conversation` row exists once an agent opened the thread: it holds whether the citizen
may write now, and who opened / closed it last. A separate row rather than columns on
Dossier: the dossier table stays as it is, and a dossier never opened has no row (its
portal tab stays hidden). Agents may always write; a closed conversation only stops the
citizen (on the portal and by replying to a notice mail) until an agent reopens it.

Read tracking is one row per (user, dossier) holding the last message id read: « unread »
is `pk > dernier_lu` on the (dossier, pk) index, a cheap query whatever the thread's length.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models.dossiers import Dossier

# Under the default storage, never served by the web server: every download goes
# through a view that checks access to the dossier.
DOSSIER_PIECES_MESSAGES = "conversations"
TEXTE_MAX = 5000


class Conversation(models.Model):
    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="conversation", verbose_name=_("dossier")
    )
    ouverte = models.BooleanField(_("ouverte à l’usager"), default=True)
    ouverte_le = models.DateTimeField(_("ouverte le"))
    ouverte_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ouverte par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fermee_le = models.DateTimeField(_("fermée le"), null=True, blank=True)
    fermee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fermée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"{self.dossier} ({_('ouverte') if self.ouverte else _('fermée')})"


class MessageDossier(models.Model):
    class Cote(models.TextChoices):
        USAGER = "usager", _("Usager")
        AGENT = "agent", _("Agent")

    class Via(models.TextChoices):
        PORTAIL = "portail", _("Portail")
        CRM = "crm", _("CRM")
        COURRIEL = "courriel", _("Réponse par courriel")

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="messages", verbose_name=_("dossier")
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name shown, kept as written (an account deleted later, a follower without one).
    auteur_nom = models.CharField(_("nom de l’auteur"), max_length=200, blank=True)
    cote = models.CharField(_("côté"), max_length=10, choices=Cote.choices)
    texte = models.TextField(_("texte"), max_length=TEXTE_MAX)
    via = models.CharField(_("reçu par"), max_length=10, choices=Via.choices)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["dossier", "cote", "id"], name="message_dossier_cote_id")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.created_at:%Y-%m-%d %H:%M} {self.auteur_nom}"


def _chemin_piece(instance: "PieceJointeMessage", nom: str) -> str:
    # Each file in a folder of its own, so it keeps its (sanitised) name.
    return f"{DOSSIER_PIECES_MESSAGES}/{uuid.uuid4().hex}/{PurePosixPath(nom).name}"


class PieceJointeMessage(models.Model):
    message = models.ForeignKey(
        MessageDossier,
        on_delete=models.CASCADE,
        related_name="pieces_jointes",
        verbose_name=_("message"),
    )
    fichier = models.FileField(_("fichier"), upload_to=_chemin_piece, max_length=255)
    nom = models.CharField(_("nom du fichier"), max_length=150)
    type_mime = models.CharField(_("type (lu dans le contenu)"), max_length=100)
    taille = models.PositiveIntegerField(_("taille (octets)"))

    class Meta:
        verbose_name = _("pièce jointe d’un message")
        verbose_name_plural = _("pièces jointes des messages")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.nom


class LectureConversation(models.Model):
    """Up to which message a user has read a dossier's conversation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    # The pk of the last message read (not a foreign key: ids only grow).
    dernier_lu = models.PositiveBigIntegerField(_("dernier message lu"), default=0)
    lu_le = models.DateTimeField(_("lu le"))

    class Meta:
        verbose_name = _("lecture d’une conversation")
        verbose_name_plural = _("lectures des conversations")
        constraints = [
            models.UniqueConstraint(fields=["user", "dossier"], name="lecture_user_dossier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.dossier_id} → {self.dernier_lu}"
