"""The catalogue: themes and dispositifs with their service sheet (the seed's six blocks:
summary, procedure, documents to provide, start buttons, contacts, FAQ/terms links)."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.html import clean_html
from common.models import TimeStampedModel
from common.text import search_words
from common.uploads import validate_document, validate_image
from usagers.models import TypeProfil


def illustration_upload_to(instance, filename: str) -> str:
    """Each upload in a folder of its own, so it keeps the name it was uploaded with."""
    return f"catalogue/illustrations/{uuid.uuid4().hex}/{filename}"


def modele_upload_to(instance, filename: str) -> str:
    return f"catalogue/modeles/{uuid.uuid4().hex}/{filename}"


class Thematique(models.Model):
    libelle = models.CharField(_("libellé"), max_length=100)
    slug = models.SlugField(_("code"), unique=True)
    icone = models.CharField(
        _("icône DSFR"),
        max_length=60,
        blank=True,
        help_text=_("Classe d’icône du DSFR, par exemple « fr-icon-trophy-line »."),
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
        ordering = ["ordre", "libelle"]

    def __str__(self) -> str:
        return self.libelle


class DispositifQuerySet(models.QuerySet):
    def publies(self, *, now=None):
        """Active and inside their publication window: what the catalogue shows. Mirrored
        in SQL by dossiers.selectors.demande_en_cours (the wizard's fast path): change
        both (tests/dossiers/test_demande_en_cours.py checks they agree)."""
        now = now or timezone.now()
        return self.filter(
            Q(publie_du__isnull=True) | Q(publie_du__lte=now),
            Q(publie_au__isnull=True) | Q(publie_au__gt=now),
            actif=True,
        )


class VerificationSuivi(models.TextChoices):
    DATE_NAISSANCE = "date_naissance", _("Date de naissance")
    CODE_POSTAL = "code_postal", _("Code postal")


class Dispositif(TimeStampedModel):
    """A service the authority offers; its sheet in the catalogue (F1)."""

    titre = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse courte"), max_length=120, unique=True)
    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_(
            "Court et en majuscules : il entre dans la référence des dossiers (2026-SUB-000123)."
        ),
    )
    # Block 1: summary
    resume = models.TextField(_("résumé"), max_length=600)
    # Block 2: procedure, eligibility (rich text, cleaned on save)
    mode_operatoire = models.TextField(_("mode opératoire"), blank=True)
    eligibilite = models.TextField(_("critères d’éligibilité"), blank=True)
    # Block 4: start buttons
    depot_avec_compte = models.BooleanField(_("dépôt avec un compte"), default=True)
    depot_sans_compte = models.BooleanField(_("dépôt sans compte"), default=False)
    depot_pour_autrui = models.BooleanField(_("dépôt pour le compte d’un tiers"), default=False)
    # Block 5: contacts and help
    contact_service = models.CharField(_("service à contacter"), max_length=200, blank=True)
    contact_email = models.EmailField(_("adresse électronique du service"), blank=True)
    contact_telephone = models.CharField(_("téléphone du service"), max_length=30, blank=True)
    contact_horaires = models.CharField(_("horaires d’accueil"), max_length=200, blank=True)
    aide = models.TextField(_("aide complémentaire"), blank=True)
    illustration = models.ImageField(
        _("illustration"),
        upload_to=illustration_upload_to,
        blank=True,
        validators=[validate_image],
        help_text=_("JPEG, PNG ou WebP, 2 Mo au plus."),
    )
    illustration_alt = models.CharField(
        _("texte alternatif de l’illustration"),
        max_length=250,
        blank=True,
        help_text=_(
            "Ce que l’image apporte, pour qui ne la voit pas. Laissé vide : l’image est "
            "décorative et les lecteurs d’écran l’ignorent."
        ),
    )
    thematiques = models.ManyToManyField(
        Thematique, verbose_name=_("thématiques"), related_name="dispositifs", blank=True
    )
    types_profil = models.ManyToManyField(
        TypeProfil,
        verbose_name=_("profils concernés"),
        related_name="dispositifs",
        blank=True,
        help_text=_("Vide : tous les profils."),
    )
    page_confirmation = models.TextField(
        _("page après dépôt"),
        blank=True,
        help_text=_("Affichée à l’usager après le dépôt de sa demande (texte enrichi)."),
    )
    # Drafts and tracking (F14)
    brouillon_duree = models.PositiveSmallIntegerField(
        _("durée de vie d’un brouillon (jours)"),
        default=90,
        help_text=_("Un brouillon non modifié depuis ce nombre de jours est supprimé."),
    )
    brouillons_max = models.PositiveSmallIntegerField(
        _("brouillons au plus par usager"),
        default=3,
        help_text=_("0 : sans limite."),
    )
    suivi_verification = models.CharField(
        _("vérification du suivi sans compte"),
        max_length=20,
        choices=VerificationSuivi.choices,
        default=VerificationSuivi.DATE_NAISSANCE,
        help_text=_(
            "Ce que l’usager sans compte donne au dépôt, puis avec son code de suivi pour "
            "consulter sa demande."
        ),
    )
    # The agent's dossier page (F8): the fields its cover tab shows, by technical name.
    champs_couverture = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("champs de la couverture"),
        default=list,
        blank=True,
        help_text=_("Noms techniques des champs résumés en tête du dossier, dans l’ordre."),
    )
    # Change detection (F10): from this many modifications by the usager after filing,
    # the dossier takes the status of this code (a status of the guide, the instruction issue).
    modifications_seuil = models.PositiveSmallIntegerField(
        _("modifications avant alerte"),
        default=0,
        help_text=_("0 : pas de détection. Compte les modifications de l’usager après le dépôt."),
    )
    modifications_statut = models.CharField(
        _("statut après modifications répétées"),
        max_length=100,
        blank=True,
        help_text=_("Code du statut du guide donné au dossier quand le seuil est atteint."),
    )
    mots_cles = models.CharField(
        _("mots-clés"),
        max_length=300,
        blank=True,
        help_text=_("Termes que les usagers peuvent chercher : « benne, déchets verts »."),
    )
    publie_du = models.DateTimeField(_("publié à partir du"), null=True, blank=True)
    publie_au = models.DateTimeField(_("publié jusqu’au"), null=True, blank=True)
    actif = models.BooleanField(_("actif"), default=True)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    recherche = models.TextField(editable=False, default="")
    document = models.GeneratedField(
        expression=SearchVector("recherche", config="french"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = DispositifQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")
        ordering = ["ordre", "titre"]
        indexes = [GinIndex(fields=["document"], name="dispositif_document")]
        constraints = [
            models.CheckConstraint(
                condition=Q(publie_au__isnull=True)
                | Q(publie_du__isnull=True)
                | Q(publie_au__gt=models.F("publie_du")),
                name="dispositif_fenetre_publication",
            )
        ]

    def __str__(self) -> str:
        return self.titre

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        for field in ("mode_operatoire", "eligibilite", "aide", "page_confirmation"):
            setattr(self, field, clean_html(getattr(self, field)))
        self.recherche = search_words(" ".join([self.titre, self.resume, self.mots_cles]))
        if kwargs.get("update_fields") is not None:
            # The search words follow the title, summary and keywords, whichever changed.
            kwargs["update_fields"] = {*kwargs["update_fields"], "recherche"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:fiche", kwargs={"slug": self.slug})

    def est_publie(self, *, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.actif
            and (self.publie_du is None or self.publie_du <= now)
            and (self.publie_au is None or self.publie_au > now)
        )


class PieceAFournir(models.Model):
    """Block 3: a document the usager will provide, with an optional template to download."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="pieces")
    libelle = models.CharField(_("libellé"), max_length=200)
    precision = models.CharField(_("précision"), max_length=300, blank=True)
    obligatoire = models.BooleanField(_("obligatoire"), default=True)
    # The justificatif a filed dossier then expects (issue 7, P12): none, nothing expected.
    type_justificatif = models.ForeignKey(
        "dossiers.TypeJustificatif",
        verbose_name=_("type de justificatif"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pieces",
        help_text=_("Chaque demande déposée attend alors ce justificatif de l’usager."),
    )
    modele = models.FileField(
        _("modèle à télécharger"),
        upload_to=modele_upload_to,
        blank=True,
        validators=[validate_document],
        help_text=_("PDF ou document bureautique, 10 Mo au plus."),
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("pièce à fournir")
        verbose_name_plural = _("pièces à fournir")
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.libelle


class LienDispositif(models.Model):
    """Block 6: links to a FAQ, terms of use, a regulation, a video…"""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="liens")
    libelle = models.CharField(_("libellé"), max_length=200)
    url = models.URLField(_("adresse"))
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("lien")
        verbose_name_plural = _("liens")
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.libelle
