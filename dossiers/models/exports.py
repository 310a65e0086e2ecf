"""Export jobs (C12, C15): a large export of dossiers runs as a Celery task that writes
its file to the storage; the agent who asked follows its progress and downloads it.
Small exports are streamed at once and leave no row."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel


def export_upload_to(instance, filename: str) -> str:
    # A random folder: the name the agent sees stays readable, the path is not guessable.
    return f"prive/exports/{secrets.token_hex(16)}/{filename}"


class FormatExport(models.TextChoices):
    CSV = "csv", _("CSV (tableur, séparateur point-virgule)")
    XLSX = "xlsx", _("Excel (XLSX)")
    ODS = "ods", _("OpenDocument (ODS)")
    JSON = "json", _("JSON")
    GEOJSON = "geojson", _("GeoJSON (carte)")
    ICS = "ics", _("Calendrier (ICS)")


class Export(TimeStampedModel):
    class Etat(models.TextChoices):
        EN_ATTENTE = "en_attente", _("En attente")
        EN_COURS = "en_cours", _("En cours")
        TERMINE = "termine", _("Terminé")
        ECHEC = "echec", _("Échec")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="exports",
    )
    format = models.CharField(_("format"), max_length=10, choices=FormatExport.choices)
    # Where the dossiers come from (a source registered by a front-end, e.g. the CRM
    # list and its query string), and the column spec: re-read by the task, which
    # selects again through the agent's scope when it runs.
    source = models.CharField(_("source"), max_length=40)
    parametres = models.JSONField(_("paramètres"), default=dict, blank=True)
    etat = models.CharField(_("état"), max_length=12, choices=Etat.choices, default=Etat.EN_ATTENTE)
    total = models.PositiveIntegerField(_("dossiers à exporter"), default=0)
    faits = models.PositiveIntegerField(_("dossiers exportés"), default=0)
    fichier = models.FileField(_("fichier"), upload_to=export_upload_to, blank=True, max_length=200)
    nom_fichier = models.CharField(_("nom du fichier"), max_length=120, blank=True)
    erreur = models.TextField(_("erreur"), blank=True)
    commence_le = models.DateTimeField(_("commencé le"), null=True, blank=True)
    termine_le = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("export de dossiers")
        verbose_name_plural = _("exports de dossiers")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agent", "-created_at"], name="export_agent_recent")]

    def __str__(self) -> str:
        return f"{self.get_format_display()} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def pourcentage(self) -> int:
        if self.etat == self.Etat.TERMINE:
            return 100
        return min(100, self.faits * 100 // self.total) if self.total else 0

    @property
    def fini(self) -> bool:
        return self.etat in (self.Etat.TERMINE, self.Etat.ECHEC)


class JetonFlux(TimeStampedModel):
    """An agent's token for the JSON flow (C12), for an outside system reading without a
    browser session: `Authorization: Bearer <secret>`. Only the secret's SHA-256 is kept;
    the secret is shown once, at creation. It acts as its agent, with the agent's rights
    at the time of each call."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="jetons_flux",
    )
    libelle = models.CharField(_("libellé"), max_length=100)
    empreinte = models.CharField(_("empreinte"), max_length=64, unique=True, editable=False)
    debut = models.CharField(_("début du jeton"), max_length=12, editable=False)
    dernier_usage = models.DateTimeField(_("dernier usage"), null=True, blank=True)
    revoque_le = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton de flux")
        verbose_name_plural = _("jetons de flux")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.libelle} ({self.debut}…)"
