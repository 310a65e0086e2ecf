"""Decision commissions and meetings (I6).

A `Commission` (e.g. « Commission vie associative ») decides on the dossiers of its
dispositifs during `Seance`s: each séance has an agenda (`PointOrdreDuJour`: one line per
dossier, a proposed opinion, then the decision, the amount granted and its grounds), then
is held and closed — closed, nothing of it changes any more and its minutes (« procès-
verbal ») are produced. The commission may map decisions to statuts of the guides (by
code, so that it works across guide versions) and the amount to a field of the dossier.

A `Reunion` is a simpler meeting: subject, date, place, participants, minutes and the
dossiers it discussed. Both are changed only through `instruction.services_commissions`.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.models import TimeStampedModel


class Decision(models.TextChoices):
    FAVORABLE = "favorable", _("Favorable")
    DEFAVORABLE = "defavorable", _("Défavorable")
    AJOURNE = "ajourne", _("Ajourné")
    SANS_OBJET = "sans_objet", _("Sans objet")


class Commission(TimeStampedModel):
    nom = models.CharField(_("nom"), max_length=200, unique=True)
    dispositifs = models.ManyToManyField(
        "dossiers.Dispositif",
        verbose_name=_("dispositifs"),
        related_name="commissions",
        help_text=_(
            "Seuls les dossiers de ces dispositifs peuvent être inscrits à l’ordre du jour."
        ),
    )
    membres = models.TextField(
        _("membres"), blank=True, help_text=_("Un membre par ligne, avec sa qualité.")
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agents membres"),
        blank=True,
        related_name="commissions",
        help_text=_("Proposés comme rapporteurs des dossiers."),
    )
    statut_favorable = models.SlugField(
        _("statut après une décision favorable"),
        max_length=50,
        blank=True,
        help_text=_(
            "Code d’un statut du guide d’instruction (ex. « avis_favorable ») : le dossier y "
            "passe quand la décision est enregistrée. Vide : le statut ne change pas."
        ),
    )
    statut_defavorable = models.SlugField(
        _("statut après une décision défavorable"), max_length=50, blank=True
    )
    champ_montant = models.SlugField(
        _("champ du montant accordé"),
        max_length=100,
        blank=True,
        help_text=_(
            "Nom technique d’un champ du dossier où écrire le montant accordé. Vide : le "
            "montant reste sur la séance."
        ),
    )
    modele_pv = models.ForeignKey(
        "editique.ModeleDocument",
        verbose_name=_("modèle du procès-verbal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"contexte": "seance"},
        help_text=_(
            "Modèle de document (contexte « Séance de commission ») produit à la clôture. "
            "Vide : un procès-verbal standard."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["nom"]
        permissions = [
            ("gerer_commissions", _("Peut préparer, tenir et clore les séances de commission"))
        ]

    def __str__(self) -> str:
        return self.nom


class Seance(TimeStampedModel):
    class Etat(models.TextChoices):
        PREPAREE = "preparee", _("En préparation")
        TENUE = "tenue", _("Tenue")
        # With a context: Django's own catalogue translates a bare « Close » to « Fermer ».
        CLOSE = "close", pgettext_lazy("état d’une séance", "Close")

    commission = models.ForeignKey(
        Commission, verbose_name=_("commission"), on_delete=models.PROTECT, related_name="seances"
    )
    date = models.DateTimeField(_("date et heure"))
    lieu = models.CharField(_("lieu"), max_length=200, blank=True)
    etat = models.CharField(_("état"), max_length=10, choices=Etat.choices, default=Etat.PREPAREE)
    # Rich text, cleaned by nh3 (common.html) when the service saves it.
    proces_verbal = models.TextField(_("procès-verbal"), blank=True)
    pv_document = models.ForeignKey(
        "editique.DocumentGenere",
        verbose_name=_("procès-verbal produit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    close_le = models.DateTimeField(_("close le"), null=True, blank=True, editable=False)
    close_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("close par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("séance de commission")
        verbose_name_plural = _("séances de commission")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["commission", "-date"], name="seance_commission_date")]

    def __str__(self) -> str:
        from django.utils import timezone

        return _("%(commission)s — %(date)s") % {
            "commission": self.commission,
            "date": timezone.localtime(self.date).strftime("%d/%m/%Y %H:%M"),
        }

    @property
    def close(self) -> bool:
        return self.etat == self.Etat.CLOSE


class PointOrdreDuJour(models.Model):
    seance = models.ForeignKey(
        Seance, verbose_name=_("séance"), on_delete=models.CASCADE, related_name="points"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="points_commission",
    )
    ordre = models.PositiveIntegerField(_("ordre"), default=0)
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapporteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    avis_propose = models.CharField(
        _("avis proposé"), max_length=12, choices=Decision.choices, blank=True
    )
    decision = models.CharField(_("décision"), max_length=12, choices=Decision.choices, blank=True)
    montant = models.DecimalField(
        _("montant accordé"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    motivation = models.TextField(_("motivation"), blank=True)
    decide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décision saisie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decide_le = models.DateTimeField(_("décision saisie le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("point de l’ordre du jour")
        verbose_name_plural = _("points de l’ordre du jour")
        ordering = ["seance", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seance", "dossier"], name="point_seance_dossier"),
            models.CheckConstraint(
                condition=Q(montant__isnull=True) | Q(montant__gte=0), name="point_montant_positif"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordre}. {self.dossier}"


def _chemin_document_seance(instance: "DocumentSeance", nom: str) -> str:
    # A random name under the private storage; the sanitised original name is kept in `nom`.
    import uuid

    from django.utils import timezone

    extension = nom.rsplit(".", 1)[-1] if "." in nom else "bin"
    return f"commissions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class DocumentSeance(models.Model):
    """A document deposited on a séance (a report, a budget, the signed minutes…)."""

    FORMATS = ("pdf", "docx", "odt", "jpeg", "png")
    TAILLE_MAX = 10 * 1024 * 1024

    seance = models.ForeignKey(
        Seance, verbose_name=_("séance"), on_delete=models.CASCADE, related_name="documents"
    )
    titre = models.CharField(_("titre"), max_length=200)
    fichier = models.FileField(_("fichier"), upload_to=_chemin_document_seance, max_length=255)
    nom = models.CharField(_("nom du fichier"), max_length=150)
    type_mime = models.CharField(_("type"), max_length=100)
    taille = models.PositiveIntegerField(_("taille (octets)"))
    empreinte = models.CharField(_("empreinte SHA-256"), max_length=64)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document de séance")
        verbose_name_plural = _("documents de séance")
        ordering = ["seance", "created_at", "pk"]

    def __str__(self) -> str:
        return self.titre


class Reunion(TimeStampedModel):
    objet = models.CharField(_("objet"), max_length=200)
    date = models.DateTimeField(_("date et heure"))
    lieu = models.CharField(_("lieu"), max_length=200, blank=True)
    participants = models.TextField(_("participants"), blank=True, help_text=_("Un par ligne."))
    compte_rendu = models.TextField(_("compte rendu"), blank=True)
    dossiers = models.ManyToManyField(
        "dossiers.Dossier", verbose_name=_("dossiers évoqués"), blank=True, related_name="reunions"
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.objet
