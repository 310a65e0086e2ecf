"""Dossiers (first version, P5): what a citizen files with a published form model.

A dossier keeps the form model version it was filed with; its data is a dict keyed by
the fields' technical names, as the field types store it (JSON). The reference is issued
at submission from a row-locked counter per dispositif and year, so it is never reused.
The dossiers issue extends this model (statuses, instruction, history…).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from dossiers.models.catalogue import Dispositif
from dossiers.models.formulaires import ModeleDossier


class Dossier(TimeStampedModel):
    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        DEPOSE = "depose", _("Déposé")

    reference = models.CharField(
        _("référence"),
        max_length=40,
        blank=True,
        default="",
        editable=False,
        help_text=_("Attribuée au dépôt, par exemple « 2026-SUB-000123 »."),
    )
    dispositif = models.ForeignKey(
        Dispositif, verbose_name=_("dispositif"), on_delete=models.PROTECT, related_name="dossiers"
    )
    modele = models.ForeignKey(
        ModeleDossier,
        verbose_name=_("version du formulaire"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    demandeur_individu = models.ForeignKey(
        "usagers.Individu",
        verbose_name=_("demandeur (individu)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    demandeur_profil = models.ForeignKey(
        "usagers.Profil",
        verbose_name=_("demandeur (profil)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers_crees",
    )
    statut = models.CharField(
        _("statut"), max_length=12, choices=Statut.choices, default=Statut.BROUILLON
    )
    donnees = models.JSONField(_("données"), default=dict, blank=True)
    etape_courante = models.PositiveSmallIntegerField(_("étape courante"), default=0)
    depose_le = models.DateTimeField(_("déposé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="dossier_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(statut="brouillon") | ~Q(reference=""),
                name="dossier_depose_a_une_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or _("Brouillon n°%(pk)s") % {"pk": self.pk}


class CompteurReference(models.Model):
    """The last number issued for a dispositif in a year; locked while a reference is
    issued (select_for_update), so two submissions never get the same number."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="+")
    annee = models.PositiveSmallIntegerField()
    dernier = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de références")
        verbose_name_plural = _("compteurs de références")
        constraints = [
            models.UniqueConstraint(
                fields=["dispositif", "annee"], name="compteur_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.annee}-{self.dispositif_id}: {self.dernier}"
