"""Justificatifs (P12, F9): the documents a citizen provides, for a dossier or once for a
profil (reused in later dossiers).

A `TypeJustificatif` says which formats and what size are accepted (overridden per
profile type by its `RegleTypeJustificatif` rows) and how long a validated piece stays
valid. A `Justificatif` is one expected or provided piece, attached to a dossier OR to a
profil, with its status and the agent's comment; each upload is a `VersionJustificatif`
(every version kept). Files go through Django's storage under the private prefix
`prive/justificatifs/` (MEDIA_ROOT is never served by the web server): every download
goes through a view that checks access.
"""

import uuid
from datetime import timedelta

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from common.telechargement import TYPES_EN_LIGNE

DOSSIER_JUSTIFICATIFS = "prive/justificatifs"
TAILLE_MAX_DEFAUT = 10 * 1024 * 1024


class FormatJustificatif(models.TextChoices):
    """The keys of common.uploads.FORMATS_JUSTIFICATIFS (a test checks they agree)."""

    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    WEBP = "webp", "WebP"
    DOCX = "docx", "DOCX"
    ODT = "odt", "ODT"


def _formats_defaut() -> list[str]:
    return ["pdf", "jpeg", "png"]


class TypeJustificatif(models.Model):
    code = models.SlugField(_("code"), unique=True)
    libelle = models.CharField(_("libellé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    formats = ArrayField(
        models.CharField(max_length=10, choices=FormatJustificatif.choices),
        verbose_name=_("formats acceptés"),
        default=_formats_defaut,
    )
    taille_max = models.PositiveIntegerField(
        _("taille maximale (octets)"), default=TAILLE_MAX_DEFAUT
    )
    duree_validite = models.PositiveIntegerField(
        _("durée de validité (jours)"),
        null=True,
        blank=True,
        help_text=_("Une pièce validée devient périmée après ce délai. Vide : sans limite."),
    )
    visible_usager = models.BooleanField(_("visible par l’usager"), default=True)
    visible_partenaire = models.BooleanField(_("visible par les partenaires"), default=False)
    actif = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("type de justificatif")
        verbose_name_plural = _("types de justificatif")
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle

    def regle(self, type_profil_id: int | None) -> tuple[list[str], int]:
        """(formats, taille_max) for a profile type: its rule's values where set. Reads
        the prefetched `regles` when present."""
        for regle in self.regles.all():
            if regle.type_profil_id == type_profil_id:
                return (regle.formats or self.formats, regle.taille_max or self.taille_max)
        return (self.formats, self.taille_max)


class RegleTypeJustificatif(models.Model):
    """Formats and size of a type of justificatif for one profile type (an association's
    statuts may be a bigger PDF than a particulier's)."""

    type_justificatif = models.ForeignKey(
        TypeJustificatif, on_delete=models.CASCADE, related_name="regles"
    )
    type_profil = models.ForeignKey(
        "usagers.TypeProfil", verbose_name=_("type de profil"), on_delete=models.CASCADE
    )
    formats = ArrayField(
        models.CharField(max_length=10, choices=FormatJustificatif.choices),
        verbose_name=_("formats acceptés"),
        default=list,
        blank=True,
        help_text=_("Vide : ceux du type de justificatif."),
    )
    taille_max = models.PositiveIntegerField(
        _("taille maximale (octets)"),
        null=True,
        blank=True,
        help_text=_("Vide : celle du type de justificatif."),
    )

    class Meta:
        verbose_name = _("règle par type de profil")
        verbose_name_plural = _("règles par type de profil")
        constraints = [
            models.UniqueConstraint(
                fields=["type_justificatif", "type_profil"], name="regle_justificatif_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type_justificatif} — {self.type_profil}"


# Their decisions appear in the dossier's journal (C11); the files are VersionJustificatif.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="JustificatifEvent",
    fields=[
        "type",
        "libelle",
        "dossier",
        "obligatoire",
        "statut",
        "commentaire_agent",
        "visible_usager",
        "visible_partenaire",
        "expire_le",
    ],
)
class Justificatif(TimeStampedModel):
    class Statut(models.TextChoices):
        ATTENDU = "attendu", _("À fournir")
        RECU = "recu", _("Reçu")
        VALIDE = "valide", _("Validé")
        REFUSE = "refuse", _("Refusé")
        PERIME = "perime", _("Périmé")

    # What the citizen may (re)provide, and what « Mon compte » lists as missing.
    A_FOURNIR = (Statut.ATTENDU, Statut.REFUSE, Statut.PERIME)
    COULEURS = {
        Statut.ATTENDU: "info",
        Statut.RECU: "new",
        Statut.VALIDE: "success",
        Statut.REFUSE: "error",
        Statut.PERIME: "warning",
    }

    type = models.ForeignKey(
        TypeJustificatif,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="justificatifs",
    )
    libelle = models.CharField(
        _("libellé"), max_length=200, blank=True, help_text=_("Vide : celui du type.")
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="justificatifs",
    )
    profil = models.ForeignKey(
        "usagers.Profil",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="justificatifs",
    )
    obligatoire = models.BooleanField(_("obligatoire"), default=True)
    statut = models.CharField(
        _("statut"), max_length=10, choices=Statut.choices, default=Statut.ATTENDU
    )
    commentaire_agent = models.TextField(_("commentaire de l’agent"), blank=True)
    visible_usager = models.BooleanField(_("visible par l’usager"), default=True)
    visible_partenaire = models.BooleanField(_("visible par les partenaires"), default=False)
    recu_le = models.DateTimeField(_("reçu le"), null=True, blank=True)
    decide_le = models.DateTimeField(_("décidé le"), null=True, blank=True)
    expire_le = models.DateField(_("valide jusqu’au"), null=True, blank=True)
    decide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")
        ordering = ["-obligatoire", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dossier__isnull=False, profil__isnull=True)
                | Q(dossier__isnull=True, profil__isnull=False),
                name="justificatif_dossier_ou_profil",
            )
        ]
        indexes = [
            models.Index(fields=["dossier", "statut"], name="justificatif_dossier_statut"),
            models.Index(fields=["profil", "type"], name="justificatif_profil_type"),
            models.Index(
                fields=["expire_le"],
                condition=Q(statut="valide", expire_le__isnull=False),
                name="justificatif_a_perimer",
            ),
            # The dashboard's « justificatifs renvoyés » (C1): sent again after a
            # decision, the newest first — only those rows, whatever the table's size.
            models.Index(
                F("recu_le").desc(),
                F("id").desc(),
                condition=Q(statut="recu", decide_le__isnull=False, recu_le__gt=F("decide_le")),
                name="justificatif_renvoye",
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    @property
    def nom(self) -> str:
        return self.libelle or self.type.libelle

    @property
    def couleur(self) -> str:
        return self.COULEURS.get(self.statut, "")

    @property
    def a_fournir(self) -> bool:
        return self.statut in self.A_FOURNIR

    def peut_deposer(self) -> bool:
        """The citizen may upload (a first version, or a replacement while not decided);
        a profil's document may always be replaced by a newer one."""
        if self.profil_id is not None:
            return True
        if self.dossier_id is not None and self.dossier.statut != "depose":
            return False
        return self.statut in (*self.A_FOURNIR, self.Statut.RECU)

    def expiration(self, aujourd_hui=None):
        """The last valid day of a piece validated today, by its type's duration."""
        if not self.type.duree_validite:
            return None
        return (aujourd_hui or timezone.localdate()) + timedelta(days=self.type.duree_validite)


def version_upload_to(instance: "VersionJustificatif", nom: str) -> str:
    # Never the citizen's name in the storage path: a random name under the private
    # prefix; the sanitised original name is kept in `nom`.
    extension = nom.rsplit(".", 1)[-1] if "." in nom else "bin"
    return f"{DOSSIER_JUSTIFICATIFS}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class VersionJustificatif(models.Model):
    justificatif = models.ForeignKey(
        Justificatif, on_delete=models.CASCADE, related_name="versions"
    )
    fichier = models.FileField(_("fichier"), upload_to=version_upload_to, max_length=255)
    nom = models.CharField(_("nom du fichier"), max_length=255)
    type_mime = models.CharField(_("type MIME"), max_length=100)
    taille = models.PositiveIntegerField(_("taille (octets)"))
    empreinte = models.CharField(_("empreinte SHA-256"), max_length=64)
    commentaire_usager = models.TextField(_("commentaire de l’usager"), blank=True)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A profil's document reused for a dossier: the same stored file, never copied.
    reprise_de = models.ForeignKey(
        "self",
        verbose_name=_("reprise de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("déposé le"), default=timezone.now)

    class Meta:
        verbose_name = _("version de justificatif")
        verbose_name_plural = _("versions de justificatif")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["justificatif", "-created_at"], name="version_justificatif_date")
        ]

    def __str__(self) -> str:
        return self.nom

    @property
    def en_ligne(self) -> bool:
        """Shown in the browser (PDF, images) rather than downloaded."""
        return self.type_mime in TYPES_EN_LIGNE


class PieceDeposee(models.Model):
    """A file uploaded inside the form wizard before the dossier exists (P5, F9): checked
    and stored at once under the private prefix, its id kept in the wizard's session
    state. Saving a draft or filing the request attaches it: the dossier's Justificatif
    gets a VersionJustificatif pointing to this same stored file and this row goes. Rows
    never attached are deleted with their file after a day
    (services_pieces.pieces_deposees_purger)."""

    type = models.ForeignKey(
        TypeJustificatif, verbose_name=_("type"), on_delete=models.CASCADE, related_name="+"
    )
    fichier = models.FileField(_("fichier"), upload_to=version_upload_to, max_length=255)
    nom = models.CharField(_("nom du fichier"), max_length=255)
    type_mime = models.CharField(_("type MIME"), max_length=100)
    taille = models.PositiveIntegerField(_("taille (octets)"))
    empreinte = models.CharField(_("empreinte SHA-256"), max_length=64)
    # Who may attach it: the account, or without one the browser session.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    session = models.CharField(_("session"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("déposée le"), default=timezone.now)

    class Meta:
        verbose_name = _("pièce déposée en attente")
        verbose_name_plural = _("pièces déposées en attente")
        indexes = [models.Index(fields=["created_at"], name="piece_deposee_date")]

    def __str__(self) -> str:
        return self.nom
