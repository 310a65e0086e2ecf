"""Document templates (E1) and the documents generated from them.

A ModeleDocument is the draft an admin edits; publishing (when `valider` finds nothing)
freezes it as a new VersionModeleDocument, and documents are always generated from a
published version, so a stored document says exactly which text produced it. éditique
knows nothing of dossiers: a template names the *kind* of context it is written for
(`contexte`, a code of `editique.contextes`, e.g. "dossier") and optionally a `cible`
within it (e.g. a dispositif's slug, whose form fields it may then use); a generated
document points at what it was made for through a generic relation.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from editique import contextes


class Orientation(models.TextChoices):
    PORTRAIT = "portrait", _("Portrait")
    PAYSAGE = "paysage", _("Paysage")


class MiseEnPage(models.Model):
    """What a version freezes besides its text: the page options."""

    corps = models.TextField(
        _("corps du document"),
        help_text=_(
            "HTML avec des variables {{ … }}, des conditions {% if … %} et des "
            "répétitions {% for … %}."
        ),
    )
    entete = models.TextField(_("en-tête"), blank=True, help_text=_("Répété sur chaque page."))
    pied = models.TextField(_("pied de page"), blank=True, help_text=_("Répété sur chaque page."))
    orientation = models.CharField(
        _("orientation"), max_length=10, choices=Orientation.choices, default=Orientation.PORTRAIT
    )
    marge_mm = models.PositiveSmallIntegerField(
        _("marges (mm)"), default=20, validators=[MinValueValidator(5), MaxValueValidator(50)]
    )
    logo = models.BooleanField(_("logo de la collectivité dans l’en-tête"), default=True)
    archivage = models.BooleanField(
        _("PDF/A pour l’archivage"),
        default=False,
        help_text=_("Produit un PDF/A-3b, le format des documents archivés."),
    )

    CHAMPS = ("corps", "entete", "pied", "orientation", "marge_mm", "logo", "archivage")

    class Meta:
        abstract = True

    def mise_en_page(self) -> dict:
        return {nom: getattr(self, nom) for nom in self.CHAMPS}


class ModeleDocument(TimeStampedModel, MiseEnPage):
    nom = models.CharField(_("nom"), max_length=200)
    code = models.SlugField(
        _("code"), max_length=80, unique=True, help_text=_("Identifiant technique, unique.")
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    contexte = models.CharField(
        _("contexte"),
        max_length=40,
        default="dossier",
        help_text=_("Ce pour quoi le document est produit : il fixe les variables disponibles."),
    )
    cible = models.CharField(
        _("formulaire"),
        max_length=120,
        blank=True,
        help_text=_(
            "Facultatif : le dispositif dont les champs sont disponibles "
            "(dossier.champs.…). Vide : variables communes à tous les dossiers."
        ),
    )
    deposer_usager = models.BooleanField(
        _("déposer dans l’espace de l’usager"),
        default=False,
        help_text=_("Les documents produits sont visibles de l’usager ou du partenaire."),
    )
    actif = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("modèle de document")
        verbose_name_plural = _("modèles de document")
        ordering = ["nom"]
        permissions = [
            ("concevoir_modeles", _("Peut concevoir les modèles de document (éditique du CRM)"))
        ]

    def __str__(self) -> str:
        return self.nom

    @property
    def contexte_libelle(self) -> str:
        try:
            return contextes.get(self.contexte).libelle
        except KeyError:
            return self.contexte

    @property
    def version_publiee(self) -> "VersionModeleDocument | None":
        """The latest published version (prefetch `versions` to avoid a query)."""
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.numero) if versions else None

    @property
    def brouillon_modifie(self) -> bool:
        """True when the draft differs from the latest published version (or none)."""
        publiee = self.version_publiee
        return publiee is None or publiee.mise_en_page() != self.mise_en_page()


class VersionModeleDocument(MiseEnPage):
    """A published, frozen version of a template."""

    modele = models.ForeignKey(
        ModeleDocument, on_delete=models.CASCADE, related_name="versions", verbose_name=_("modèle")
    )
    numero = models.PositiveIntegerField(_("version"))
    publie_le = models.DateTimeField(_("publiée le"), auto_now_add=True)
    publie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("version de modèle de document")
        verbose_name_plural = _("versions de modèle de document")
        ordering = ["modele", "-numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["modele", "numero"], name="version_modele_document_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.modele} v{self.numero}"


DOSSIER_DOCUMENTS = "editique"


def _chemin_document(instance: "DocumentGenere", nom: str) -> str:
    # Under the private storage (MEDIA_ROOT is never served by the web server).
    return f"{DOSSIER_DOCUMENTS}/{instance.created_at:%Y/%m}/{nom}"


class DocumentGenere(models.Model):
    """A document produced from a published version, stored through Django's storage."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    modele = models.ForeignKey(
        ModeleDocument, on_delete=models.PROTECT, related_name="documents", verbose_name=_("modèle")
    )
    version = models.ForeignKey(
        VersionModeleDocument,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("version du modèle"),
    )
    titre = models.CharField(_("titre"), max_length=255)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    fichier = models.FileField(_("fichier"), upload_to=_chemin_document, max_length=255)
    empreinte = models.CharField(_("empreinte SHA-256"), max_length=64)
    taille = models.PositiveIntegerField(_("taille (octets)"))
    # What the document was produced for (a dossier…), without éditique knowing its model.
    objet_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    objet_id = models.PositiveBigIntegerField(null=True, blank=True)
    objet = GenericForeignKey("objet_type", "objet_id")
    depose_usager = models.BooleanField(_("déposé dans l’espace de l’usager"), default=False)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("produit par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("produit le"))

    class Meta:
        verbose_name = _("document produit")
        verbose_name_plural = _("documents produits")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["objet_type", "objet_id"], name="document_objet_idx")]

    def __str__(self) -> str:
        return self.titre

    TYPES_MIME = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }

    @property
    def nom_fichier(self) -> str:
        return f"{self.titre}.{self.format}"

    @property
    def type_mime(self) -> str:
        return self.TYPES_MIME[self.format]

    def piece_jointe(self) -> dict:
        """As a mail attachment (notifications.services.piece_jointe)."""
        return {"nom": self.nom_fichier, "fichier": self.fichier.name, "type": self.type_mime}
