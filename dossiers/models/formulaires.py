"""Form models (F2, F3, F6, F11): ModeleDossier → Onglet → Ligne (1 or 2 columns) → Champ.

A dispositif has versions of its form model: one draft (brouillon) that admins edit, and
published versions that are frozen; a dossier keeps the version it was filed with.
Per-view properties (internet = citizen, crm = agent, partenaire) are stored per view,
so a view is configured, saved and copied on its own.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from dossiers.models.catalogue import Dispositif

nom_technique_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,62}$",
    _(
        "Le nom technique commence par une lettre minuscule, puis lettres minuscules, chiffres ou « _ » (exemple : nb_enfants)."
    ),
)


class Vue(models.TextChoices):
    INTERNET = "internet", _("Usager (portail)")
    CRM = "crm", _("Agent (CRM)")
    PARTENAIRE = "partenaire", _("Partenaire")


class ListeReferentiel(models.Model):
    """A central list of values (F4 "dropdown from a référentiel list"): every field using
    it reads its current values, so an update reaches every form at once."""

    code = models.SlugField(_("code"), unique=True)
    libelle = models.CharField(_("libellé"), max_length=150)

    class Meta:
        verbose_name = _("liste du référentiel")
        verbose_name_plural = _("listes du référentiel")
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle

    def choix(self) -> tuple[tuple[str, str], ...]:
        return tuple((v.cle, v.libelle) for v in self.valeurs.all() if v.active)


class ValeurListe(models.Model):
    liste = models.ForeignKey(ListeReferentiel, on_delete=models.CASCADE, related_name="valeurs")
    cle = models.SlugField(_("clé"), max_length=64, allow_unicode=False)
    libelle = models.CharField(_("libellé"), max_length=200)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("valeur")
        verbose_name_plural = _("valeurs")
        ordering = ["liste", "ordre", "libelle"]
        constraints = [models.UniqueConstraint(fields=["liste", "cle"], name="valeur_liste_unique")]

    def __str__(self) -> str:
        return self.libelle


class ChampReferentiel(TimeStampedModel):
    """A reusable field definition (F3), found by its technical name across form models."""

    nom = models.CharField(
        _("nom technique"), max_length=63, unique=True, validators=[nom_technique_validator]
    )
    libelle = models.CharField(_("libellé"), max_length=255)
    type = models.CharField(_("type"), max_length=40)
    aide = models.TextField(_("aide"), blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    liste = models.ForeignKey(
        ListeReferentiel,
        verbose_name=_("liste de valeurs"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    categorie = models.CharField(
        _("catégorie"), max_length=100, blank=True, help_text=_("Pour filtrer le référentiel.")
    )

    class Meta:
        verbose_name = _("champ du référentiel")
        verbose_name_plural = _("référentiel des champs")
        ordering = ["categorie", "libelle"]

    def __str__(self) -> str:
        return f"{self.libelle} ({self.nom})"


class ModeleDossier(TimeStampedModel):
    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        PUBLIE = "publie", _("Publié")

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="modeles")
    version = models.PositiveIntegerField(_("version"))
    statut = models.CharField(
        _("statut"), max_length=10, choices=Statut.choices, default=Statut.BROUILLON
    )
    publie_le = models.DateTimeField(_("publié le"), null=True, blank=True)
    publie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note_version = models.CharField(_("note de version"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("modèle de dossier")
        verbose_name_plural = _("modèles de dossier")
        ordering = ["dispositif", "-version"]
        permissions = [
            ("concevoir_formulaires", _("Peut concevoir les formulaires (constructeur du CRM)"))
        ]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "version"], name="modele_version_unique"),
            models.UniqueConstraint(
                fields=["dispositif"],
                condition=Q(statut="brouillon"),
                name="un_brouillon_par_dispositif",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispositif} — v{self.version} ({self.get_statut_display().lower()})"

    @property
    def modifiable(self) -> bool:
        """Published versions are frozen: dossiers filed with them depend on them."""
        return self.statut == self.Statut.BROUILLON


class Onglet(models.Model):
    """A tab of the form model: a step of the portal wizard."""

    modele = models.ForeignKey(ModeleDossier, on_delete=models.CASCADE, related_name="onglets")
    titre = models.CharField(_("titre"), max_length=200)
    aide = models.TextField(_("aide contextuelle"), blank=True)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    condition = models.JSONField(_("condition d’affichage"), null=True, blank=True)

    class Meta:
        verbose_name = _("onglet")
        verbose_name_plural = _("onglets")
        ordering = ["modele", "ordre", "pk"]

    def __str__(self) -> str:
        return self.titre


class Ligne(models.Model):
    """A row of a tab, in one or two columns, optionally opening a titled section."""

    onglet = models.ForeignKey(Onglet, on_delete=models.CASCADE, related_name="lignes")
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    colonnes = models.PositiveSmallIntegerField(
        _("colonnes"), choices=[(1, _("Une colonne")), (2, _("Deux colonnes"))], default=1
    )
    titre_section = models.CharField(_("titre de section"), max_length=200, blank=True)
    condition = models.JSONField(_("condition d’affichage"), null=True, blank=True)

    class Meta:
        verbose_name = _("ligne")
        verbose_name_plural = _("lignes")
        ordering = ["onglet", "ordre", "pk"]

    def __str__(self) -> str:
        return self.titre_section or f"{self.onglet} — ligne {self.ordre}"


class Champ(models.Model):
    """A field placed in a row; its definition may come from the référentiel des champs."""

    ligne = models.ForeignKey(Ligne, on_delete=models.CASCADE, related_name="champs")
    # Set for the sub-fields of a repeatable block (F12): the block is a champ of type
    # "bloc_repetable" in the same row; its sub-fields are repeated with it.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("bloc répétable"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sous_champs",
    )
    # The model, copied from the row's tab, so a technical name is unique per model.
    modele = models.ForeignKey(
        ModeleDossier, on_delete=models.CASCADE, related_name="champs", editable=False
    )
    colonne = models.PositiveSmallIntegerField(
        _("colonne"), choices=[(1, "1"), (2, "2")], default=1
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    referentiel = models.ForeignKey(
        ChampReferentiel,
        verbose_name=_("champ du référentiel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="utilisations",
    )
    nom = models.CharField(_("nom technique"), max_length=63, validators=[nom_technique_validator])
    libelle = models.CharField(_("libellé"), max_length=255)
    type = models.CharField(_("type"), max_length=40)
    aide = models.TextField(_("aide"), blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    liste = models.ForeignKey(
        ListeReferentiel,
        verbose_name=_("liste de valeurs"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    choix = models.JSONField(
        _("choix"),
        default=list,
        blank=True,
        help_text=_("[[clé, libellé], …] quand il n’y a pas de liste."),
    )
    condition = models.JSONField(_("condition d’affichage"), null=True, blank=True)
    prefill = models.CharField(
        _("pré-remplissage"),
        max_length=100,
        blank=True,
        help_text=_(
            "Donnée de l’individu ou du profil, par exemple « individu.email » ou « profil.siret »."
        ),
    )

    class Meta:
        verbose_name = _("champ")
        verbose_name_plural = _("champs")
        ordering = ["ligne", "colonne", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["modele", "nom"], name="champ_nom_unique_par_modele")
        ]

    def __str__(self) -> str:
        return f"{self.libelle} ({self.nom})"

    def save(self, *args, **kwargs):
        self.modele_id = self.ligne.onglet.modele_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from dossiers import champs

        if self.type and self.type not in champs.types():
            raise ValidationError({"type": _("Ce type de champ n’existe pas.")})
        if self.colonne == 2 and self.ligne_id and self.ligne.colonnes == 1:
            raise ValidationError({"colonne": _("Cette ligne n’a qu’une colonne.")})
        if self.parent_id is not None:  # a repeatable block's sub-field (F12)
            parent = self.parent
            if parent.type != "bloc_repetable":
                raise ValidationError({"parent": _("Ce champ n’est pas un bloc répétable.")})
            if self.type == "bloc_repetable":
                raise ValidationError(
                    {"type": _("Un bloc répétable ne peut pas contenir un autre bloc.")}
                )
            if parent.pk == self.pk or (self.ligne_id and parent.ligne_id != self.ligne_id):
                raise ValidationError(
                    {"parent": _("Le bloc doit être dans la même ligne que ses sous-champs.")}
                )

    def valeurs_choix(self) -> tuple[tuple[str, str], ...]:
        if self.liste_id:
            return self.liste.choix()
        return tuple((str(k), str(v)) for k, v in self.choix)


class ProprietesVue(models.Model):
    """Visible / editable / required for one field in one view (F6)."""

    champ = models.ForeignKey(Champ, on_delete=models.CASCADE, related_name="proprietes")
    vue = models.CharField(_("vue"), max_length=12, choices=Vue.choices)
    visible = models.BooleanField(_("visible"), default=True)
    modifiable = models.BooleanField(_("modifiable"), default=True)
    obligatoire = models.BooleanField(_("obligatoire"), default=False)

    class Meta:
        verbose_name = _("propriétés par vue")
        verbose_name_plural = _("propriétés par vue")
        ordering = ["champ", "vue"]
        constraints = [
            models.UniqueConstraint(fields=["champ", "vue"], name="proprietes_vue_unique"),
            models.CheckConstraint(
                condition=Q(obligatoire=False) | Q(visible=True, modifiable=True),
                name="obligatoire_donc_visible_et_modifiable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.champ} — {self.get_vue_display()}"
