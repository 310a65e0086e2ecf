"""Moving in-flight dossiers onto a newer version of their form model (F11).

A published version is frozen and a dossier keeps the one it was filed with; an admin may
still move every dossier of a version onto a newer one, with a mapping from the old
fields to the new ones. Nothing is lost: the move is recorded (`MigrationVersion`), and
each dossier moved keeps its previous version, its previous data and the values the new
version could not take (`MigrationDossier.archive`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models.dossiers import Dossier
from dossiers.models.formulaires import ModeleDossier


class MigrationVersion(models.Model):
    """One move of the dossiers of a version (source) onto a newer one (cible)."""

    source = models.ForeignKey(
        ModeleDossier,
        verbose_name=_("version source"),
        on_delete=models.PROTECT,
        related_name="migrations_sortantes",
    )
    cible = models.ForeignKey(
        ModeleDossier,
        verbose_name=_("version cible"),
        on_delete=models.PROTECT,
        related_name="migrations_entrantes",
    )
    correspondance = models.JSONField(
        _("correspondance des champs"),
        default=dict,
        help_text=_("{ancien nom technique: nouveau nom technique, ou null : non repris}"),
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    le = models.DateTimeField(_("le"), default=timezone.now)
    nombre = models.PositiveIntegerField(_("dossiers déplacés"), default=0)
    valeurs_archivees = models.PositiveIntegerField(_("valeurs archivées"), default=0)

    class Meta:
        verbose_name = _("migration de version")
        verbose_name_plural = _("migrations de version")
        ordering = ["-le", "-pk"]

    def __str__(self) -> str:
        return _("v%(source)s → v%(cible)s : %(nombre)s dossier(s)") % {
            "source": self.source.version,
            "cible": self.cible.version,
            "nombre": self.nombre,
        }


class MigrationDossier(models.Model):
    """What one dossier was before a move: its version, its data, and the values the new
    version did not take (not mapped, or refused by the new field's type), with why."""

    migration = models.ForeignKey(
        MigrationVersion,
        verbose_name=_("migration"),
        on_delete=models.CASCADE,
        related_name="lignes",
    )
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="migrations"
    )
    modele_precedent = models.ForeignKey(
        ModeleDossier,
        verbose_name=_("version précédente"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    statut = models.CharField(_("statut du dossier"), max_length=12, choices=Dossier.Statut.choices)
    donnees_precedentes = models.JSONField(_("données précédentes"), default=dict)
    archive = models.JSONField(
        _("valeurs archivées"),
        default=dict,
        blank=True,
        help_text=_("{ancien nom technique: {valeur, raison}}"),
    )

    class Meta:
        verbose_name = _("dossier déplacé")
        verbose_name_plural = _("dossiers déplacés")
        ordering = ["migration", "dossier"]
        constraints = [
            models.UniqueConstraint(
                fields=["migration", "dossier"], name="migration_dossier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.migration}"
