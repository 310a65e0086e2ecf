"""Saved views of the CRM dossier list (C15): an agent's named set of filters, columns
and sort, reopened in one click; shared views are offered to every agent (read-only for
them). The filters are kept as the list's query parameters ({name: [values]}), so a
filter added later (teams, territories, labels) is saved with no change here; what a
saved view names and no longer exists is ignored with a notice when it opens
(dossiers.liste.charger_vue)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


class VueListe(TimeStampedModel):
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="vues_liste",
    )
    nom = models.CharField(_("nom"), max_length=100)
    partagee = models.BooleanField(
        _("partagée"), default=False, help_text=_("Proposée à tous les agents, en lecture.")
    )
    filtres = models.JSONField(_("filtres"), default=dict, blank=True)
    colonnes = models.JSONField(_("colonnes"), default=list, blank=True)
    tri = models.CharField(_("tri"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("vue enregistrée de la liste des dossiers")
        verbose_name_plural = _("vues enregistrées de la liste des dossiers")
        ordering = ["nom", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "nom"], name="vue_liste_nom_unique")
        ]
        indexes = [
            models.Index(
                fields=["partagee"], condition=models.Q(partagee=True), name="vue_liste_partagee"
            )
        ]

    def __str__(self) -> str:
        return self.nom
