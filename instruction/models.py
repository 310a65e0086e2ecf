"""The guide d'instruction (I1): per dispositif, versioned like form models, its étapes
(the lifeline) and their statuts with properties and actions; and each dossier's state
in it (`SuiviInstruction`) with the history of its changes (`ChangementStatut`).

A dossier keeps the guide version it entered with; publishing a version makes it the
one new deposits enter (one published version per guide, older ones archived). The
dossier's own life cycle (`Dossier.statut`: draft, filed, closed) stays in dossiers: the
guide's statuts come on top of it, and a closing statut closes the dossier.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class Couleur(models.TextChoices):
    """DSFR badge kinds (the colours `dossiers.suivi.EtatAffiche` speaks)."""

    GRIS = "", _("Gris")
    INFO = "info", _("Bleu (information)")
    NOUVEAU = "new", _("Violet (nouveau)")
    SUCCES = "success", _("Vert (succès)")
    AVERTISSEMENT = "warning", _("Orange (avertissement)")
    ERREUR = "error", _("Rouge (erreur)")


class Guide(TimeStampedModel):
    dispositif = models.OneToOneField(
        "dossiers.Dispositif",
        verbose_name=_("dispositif"),
        on_delete=models.CASCADE,
        related_name="guide_instruction",
    )

    class Meta:
        verbose_name = _("guide d’instruction")
        verbose_name_plural = _("guides d’instruction")
        ordering = ["dispositif__titre"]

    def __str__(self) -> str:
        return str(self.dispositif)


class VersionGuide(TimeStampedModel):
    class Etat(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        PUBLIEE = "publiee", _("Publiée")
        ARCHIVEE = "archivee", _("Archivée")

    guide = models.ForeignKey(
        Guide, verbose_name=_("guide"), on_delete=models.CASCADE, related_name="versions"
    )
    numero = models.PositiveIntegerField(_("numéro"), default=1)
    etat = models.CharField(_("état"), max_length=10, choices=Etat.choices, default=Etat.BROUILLON)
    publiee_le = models.DateTimeField(_("publiée le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("version de guide")
        verbose_name_plural = _("versions de guide")
        ordering = ["guide", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "numero"], name="versionguide_numero_unique"),
            models.UniqueConstraint(
                fields=["guide"], condition=Q(etat="publiee"), name="versionguide_une_publiee"
            ),
        ]

    def __str__(self) -> str:
        return _("%(guide)s — version %(numero)s (%(etat)s)") % {
            "guide": self.guide,
            "numero": self.numero,
            "etat": self.get_etat_display(),
        }


class Etape(models.Model):
    version = models.ForeignKey(
        VersionGuide, verbose_name=_("version"), on_delete=models.CASCADE, related_name="etapes"
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    libelle = models.CharField(_("libellé"), max_length=150)
    couleur = models.CharField(
        _("couleur"), max_length=10, choices=Couleur.choices, default=Couleur.INFO, blank=True
    )
    aide = models.TextField(_("aide pour les agents"), blank=True)
    duree_cible = models.PositiveSmallIntegerField(
        _("durée cible (jours)"),
        null=True,
        blank=True,
        help_text=_("Au-delà, le dossier est signalé en retard sur cette étape."),
    )

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["version", "ordre", "pk"]

    def __str__(self) -> str:
        return self.libelle


class Statut(models.Model):
    # Denormalised from the étape so that codes are unique per version (a constraint).
    version = models.ForeignKey(
        VersionGuide, on_delete=models.CASCADE, related_name="statuts", editable=False
    )
    etape = models.ForeignKey(
        Etape, verbose_name=_("étape"), on_delete=models.CASCADE, related_name="statuts"
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    code = models.SlugField(_("code"), max_length=50)
    libelle = models.CharField(_("libellé agent"), max_length=150)
    libelle_usager = models.CharField(
        _("libellé usager"),
        max_length=200,
        blank=True,
        help_text=_("Vide : le statut n’est pas montré à l’usager (il voit l’étape)."),
    )
    couleur = models.CharField(
        _("couleur"), max_length=10, choices=Couleur.choices, default=Couleur.INFO, blank=True
    )
    icone = models.CharField(
        _("icône"), max_length=60, blank=True, help_text=_("Classe DSFR, ex. fr-icon-check-line")
    )
    initial = models.BooleanField(
        _("statut initial"),
        default=False,
        help_text=_("Le statut d’un dossier qui vient d’être déposé."),
    )
    avance = models.BooleanField(_("fait avancer la ligne de vie"), default=True)
    cloture = models.BooleanField(_("clôture le dossier"), default=False)
    masque = models.BooleanField(_("masqué du choix manuel"), default=False)
    visible_partenaires = models.BooleanField(_("visible des partenaires"), default=False)
    modifiable_usager = models.BooleanField(_("modifiable par l’usager"), default=False)
    motif_obligatoire = models.BooleanField(_("motif obligatoire"), default=False)
    libelle_bouton = models.CharField(
        _("libellé du bouton d’action"),
        max_length=80,
        blank=True,
        help_text=_("Par défaut « Passer au statut … »."),
    )
    suivants = models.ManyToManyField(
        "self",
        verbose_name=_("statuts suivants permis"),
        symmetrical=False,
        blank=True,
        related_name="precedents",
        help_text=_("Vide : tout statut de la même version."),
    )

    class Meta:
        verbose_name = _("statut")
        verbose_name_plural = _("statuts")
        ordering = ["version", "etape__ordre", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="statut_code_unique"),
            models.UniqueConstraint(
                fields=["version"], condition=Q(initial=True), name="statut_un_initial"
            ),
        ]

    def __str__(self) -> str:
        return self.libelle

    def save(self, *args, **kwargs):
        self.version_id = self.etape.version_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Before the constraints are validated (the code's uniqueness in the version).
        if self.etape_id is not None:
            self.version_id = self.etape.version_id

    @property
    def bouton(self) -> str:
        return self.libelle_bouton or _("Passer au statut « %(statut)s »") % {
            "statut": self.libelle
        }


class ActionStatut(models.Model):
    """Something done when a dossier enters the statut (I2); `type` names a registered
    action (instruction.actions), `config` is what its form saved."""

    statut = models.ForeignKey(
        Statut, verbose_name=_("statut"), on_delete=models.CASCADE, related_name="actions"
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    type = models.CharField(_("type"), max_length=40)
    config = models.JSONField(_("paramètres"), default=dict, blank=True)

    class Meta:
        verbose_name = _("action de statut")
        verbose_name_plural = _("actions de statut")
        ordering = ["statut", "ordre", "pk"]

    def __str__(self) -> str:
        from instruction.actions import type_action

        action = type_action(self.type)
        return str(action.libelle if action else self.type)

    def clean(self) -> None:
        from instruction.actions import type_action

        action = type_action(self.type)
        if action is None:
            raise ValidationError({"type": _("Type d’action inconnu.")})
        form = action.form_class(data=self.config or {})
        if not form.is_valid():
            raise ValidationError(
                {"config": [f"{champ} : {' '.join(e)}" for champ, e in form.errors.items()]}
            )
        self.config = action.config_depuis(form.cleaned_data)


class SuiviInstruction(models.Model):
    """A filed dossier's place in its guide (one row per dossier; locked by
    change_status so that two agents never both move it)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="suivi_instruction",
    )
    version = models.ForeignKey(
        VersionGuide, verbose_name=_("version du guide"), on_delete=models.PROTECT, related_name="+"
    )
    statut = models.ForeignKey(
        Statut, verbose_name=_("statut"), on_delete=models.PROTECT, related_name="+"
    )
    entre_le = models.DateTimeField(_("dans ce statut depuis"), default=timezone.now)
    etape_entree_le = models.DateTimeField(_("dans cette étape depuis"), default=timezone.now)
    # The « Onglet par vue » actions' overrides for this dossier (I2):
    # {vue: {onglet title: {"visible": bool, "modifiable": bool}}}, read through
    # dossiers.suivi.onglets_vue by the pages that render the form.
    onglets = models.JSONField(_("onglets par vue"), default=dict, blank=True)

    class Meta:
        verbose_name = _("suivi d’instruction")
        verbose_name_plural = _("suivis d’instruction")
        indexes = [models.Index(fields=["statut"], name="suivi_instruction_statut")]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.statut}"

    def en_retard(self, maintenant=None) -> bool:
        cible = self.statut.etape.duree_cible
        if cible is None or self.statut.cloture:
            return False
        return ((maintenant or timezone.now()) - self.etape_entree_le).days > cible


class ChangementStatut(models.Model):
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="changements_statut",
    )
    de = models.ForeignKey(
        Statut,
        verbose_name=_("de"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    vers = models.ForeignKey(
        Statut, verbose_name=_("vers"), on_delete=models.PROTECT, related_name="+"
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    motif = models.TextField(_("motif"), blank=True)
    le = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["-le", "-pk"]
        indexes = [models.Index(fields=["dossier", "-le"], name="changement_dossier_le")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.de} → {self.vers}"


class DemandeCorrection(TimeStampedModel):
    """A correction request (I10): the agent (or a statut's action) asks the citizen to
    correct the named fields of a filed dossier, with a reason shown to them. While it
    is open the citizen may change those fields only; answering closes it and sends the
    dossier back to instruction. One open request per dossier at a time."""

    class Etat(models.TextChoices):
        OUVERTE = "ouverte", _("En attente de l’usager")
        REPONDUE = "repondue", _("Corrigée par l’usager")
        ANNULEE = "annulee", _("Annulée")

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="demandes_correction",
    )
    etat = models.CharField(_("état"), max_length=10, choices=Etat.choices, default=Etat.OUVERTE)
    champs = models.JSONField(
        _("champs à corriger"), default=list, help_text=_("Noms techniques des champs.")
    )
    motif = models.TextField(_("motif (montré à l’usager)"))
    echeance = models.DateField(_("à corriger avant le"), null=True, blank=True)
    demandee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where the dossier was before the request, and where the answer sends it (None:
    # back to `statut_avant`, or nowhere when the request did not move it).
    statut_avant = models.ForeignKey(
        Statut,
        verbose_name=_("statut avant la demande"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    statut_demande = models.ForeignKey(
        Statut,
        verbose_name=_("statut pendant la demande"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    statut_retour = models.ForeignKey(
        Statut,
        verbose_name=_("statut au retour"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Vide : le statut d’avant la demande."),
    )
    repondue_le = models.DateTimeField(_("corrigée le"), null=True, blank=True)
    repondue_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrigée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {technical name: {"avant": value, "apres": value}} of what the answer changed.
    changements = models.JSONField(_("changements"), default=dict, blank=True)

    class Meta:
        verbose_name = _("demande de correction")
        verbose_name_plural = _("demandes de correction")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(etat="ouverte"), name="une_correction_ouverte"
            )
        ]

    def __str__(self) -> str:
        return _("Correction de %(dossier)s (%(etat)s)") % {
            "dossier": self.dossier,
            "etat": self.get_etat_display(),
        }

    @property
    def ouverte(self) -> bool:
        return self.etat == self.Etat.OUVERTE
