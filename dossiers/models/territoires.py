"""Territories (C8): the authority's own division of its area (quartiers, secteurs…),
a tree of territoires and sous-territoires, each made of secteurs — communes by INSEE
code, postal codes (narrowed to one commune when the code is shared), or polygons drawn
on a map (GeoJSON, tested in Python: no PostGIS).

A dossier is sectorised from its address (`dossiers.services_territoires`): the most
specific secteur wins. Agents assigned to territoires see only the dossiers of those
territoires and of their sous-territoires (`dossiers.selectors_droits`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class TypeTerritoire(models.Model):
    libelle = models.CharField(_("libellé"), max_length=100)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("type de territoire")
        verbose_name_plural = _("types de territoire")
        ordering = ["ordre", "libelle"]

    def __str__(self) -> str:
        return self.libelle


class Territoire(TimeStampedModel):
    type = models.ForeignKey(
        TypeTerritoire,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="territoires",
    )
    nom = models.CharField(_("nom"), max_length=150)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("territoire parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enfants",
        help_text=_("Vide pour un territoire de premier niveau."),
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agents affectés"),
        blank=True,
        related_name="territoires",
        limit_choices_to={"is_agent": True},
        help_text=_(
            "Ils ne voient que les dossiers de ce territoire et de ses sous-territoires. "
            "Un agent affecté à aucun territoire voit toute la collectivité."
        ),
    )

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom

    def clean(self) -> None:
        node, vus = self.parent, set()
        while node is not None and node.pk not in vus:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError(
                    {"parent": _("Un territoire ne peut pas être son propre parent.")},
                    code="cycle",
                )
            vus.add(node.pk)
            node = node.parent


class Secteur(models.Model):
    """One piece of a territoire. Priority when several match an address: polygon, then
    commune, then postal code; among equals, the deepest territoire."""

    class Nature(models.TextChoices):
        POLYGONE = "polygone", _("Polygone")
        COMMUNE = "commune", _("Commune (code INSEE)")
        CODE_POSTAL = "code_postal", _("Code postal")

    territoire = models.ForeignKey(
        Territoire, verbose_name=_("territoire"), on_delete=models.CASCADE, related_name="secteurs"
    )
    nature = models.CharField(_("nature"), max_length=12, choices=Nature.choices)
    libelle = models.CharField(_("libellé"), max_length=150, blank=True)
    code_insee = models.CharField(
        _("code INSEE de la commune"),
        max_length=5,
        blank=True,
        help_text=_("Pour un code postal partagé par plusieurs communes : la commune retenue."),
    )
    code_postal = models.CharField(_("code postal"), max_length=5, blank=True)
    polygone = models.JSONField(
        _("polygone (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Une géométrie GeoJSON Polygon ou MultiPolygon, en longitude/latitude."),
    )

    class Meta:
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")
        ordering = ["territoire", "nature", "code_insee", "code_postal", "pk"]
        indexes = [
            models.Index(fields=["code_insee"], name="secteur_code_insee"),
            models.Index(fields=["code_postal"], name="secteur_code_postal"),
        ]

    def __str__(self) -> str:
        if self.libelle:
            return self.libelle
        if self.nature == self.Nature.COMMUNE:
            return _("Commune %(code)s") % {"code": self.code_insee}
        if self.nature == self.Nature.CODE_POSTAL:
            suffixe = f" ({self.code_insee})" if self.code_insee else ""
            return _("Code postal %(code)s") % {"code": self.code_postal} + suffixe
        return str(_("Polygone"))

    def clean(self) -> None:
        from dossiers.geometrie import GeometrieInvalide, valider_polygone

        erreurs: dict[str, str] = {}
        communes = _communes()
        if self.nature == self.Nature.COMMUNE:
            self.code_insee = (self.code_insee or "").strip().upper()
            if self.code_insee not in communes.communes:
                erreurs["code_insee"] = _("Ce code INSEE ne correspond à aucune commune.")
            self.code_postal, self.polygone = "", None
        elif self.nature == self.Nature.CODE_POSTAL:
            self.code_postal = (self.code_postal or "").strip()
            self.code_insee = (self.code_insee or "").strip().upper()
            partage = communes.communes_du_code_postal(self.code_postal)
            if not self.code_postal.isdigit() or len(self.code_postal) != 5 or not partage:
                erreurs["code_postal"] = _("Ce code postal ne correspond à aucune commune.")
            elif self.code_insee and self.code_insee not in {c.code for c in partage}:
                erreurs["code_insee"] = _("Cette commune n’a pas le code postal %(cp)s.") % {
                    "cp": self.code_postal
                }
            self.polygone = None
        elif self.nature == self.Nature.POLYGONE:
            try:
                self.polygone = valider_polygone(self.polygone)
            except GeometrieInvalide as erreur:
                erreurs["polygone"] = str(erreur)
            self.code_insee, self.code_postal = "", ""
        if erreurs:
            raise ValidationError(erreurs)


def _communes():
    from dossiers.champs.donnees import territoires

    return territoires()
