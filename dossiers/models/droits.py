"""Rights per dispositif (C7): profils métier held by agents, and what each profil may do
on each dispositif (voir, instruire, configurer, exporter, supprimer).

A profil métier either lists its dispositifs one by one (`DroitDispositif` rows, the
matrix of the CRM's « Droits » screen) or covers every dispositif, including those
created later (`tous_dispositifs`, with its own five rights). An agent's rights are the
union over their profils. The scope of every agent query is computed from these small
tables once per request (`dossiers.selectors_droits`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from dossiers.models.catalogue import Dispositif

DROITS = ("voir", "instruire", "configurer", "exporter", "supprimer")
# Instructing, exporting or deleting a dossier needs seeing it first.
DROITS_IMPLIQUANT_VOIR = ("instruire", "exporter", "supprimer")
LIBELLES_DROITS = {
    "voir": _("Voir"),
    "instruire": _("Instruire"),
    "configurer": _("Configurer"),
    "exporter": _("Exporter"),
    "supprimer": _("Supprimer"),
}


class DroitsMixin(models.Model):
    """The five rights as booleans, with « voir » implied by the others that need it."""

    voir = models.BooleanField(_("voir"), default=False)
    instruire = models.BooleanField(_("instruire"), default=False)
    configurer = models.BooleanField(_("configurer"), default=False)
    exporter = models.BooleanField(_("exporter"), default=False)
    supprimer = models.BooleanField(_("supprimer"), default=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.completer_droits()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "voir" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "voir"]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Before the constraints are validated (forms): the box ticked, not an error.
        self.completer_droits()

    def completer_droits(self) -> None:
        if any(getattr(self, droit) for droit in DROITS_IMPLIQUANT_VOIR):
            self.voir = True

    def droits(self) -> list[str]:
        return [droit for droit in DROITS if getattr(self, droit)]


class ProfilMetier(DroitsMixin, TimeStampedModel):
    libelle = models.CharField(_("libellé"), max_length=150)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agents"),
        blank=True,
        related_name="profils_metier",
        limit_choices_to={"is_agent": True},
    )
    tous_dispositifs = models.BooleanField(
        _("tous les dispositifs"),
        default=False,
        help_text=_(
            "Les droits cochés ci-dessous valent pour tous les dispositifs, y compris ceux "
            "créés plus tard."
        ),
    )
    # C1: the dashboard an agent holding this profil sees until they compose their own
    # (dashlet codes, in order; empty: this profil proposes none).
    tableau_de_bord = models.JSONField(
        _("tableau de bord par défaut"),
        default=list,
        blank=True,
        help_text=_(
            "Les blocs du tableau de bord proposés aux agents de ce profil, dans l’ordre, "
            "tant qu’ils n’ont pas composé le leur."
        ),
    )

    class Meta:
        verbose_name = _("profil métier")
        verbose_name_plural = _("profils métier")
        ordering = ["libelle"]
        permissions = [("gerer_droits", "Gérer les droits et les territoires des agents")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voir=True)
                | models.Q(instruire=False, exporter=False, supprimer=False),
                name="profil_metier_voir_implique",
            ),
        ]

    def __str__(self) -> str:
        return self.libelle

    def clean(self) -> None:
        super().clean()
        from common.extensions import codes_des_dashlets

        codes = self.tableau_de_bord
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ValidationError(
                {"tableau_de_bord": _('Une liste de codes de blocs, par exemple ["bannettes"].')}
            )
        inconnus = [c for c in codes if c not in codes_des_dashlets()]
        if inconnus:
            raise ValidationError(
                {
                    "tableau_de_bord": _("Blocs inconnus : %(codes)s. Blocs possibles : %(tous)s.")
                    % {"codes": ", ".join(inconnus), "tous": ", ".join(codes_des_dashlets())}
                }
            )
        self.tableau_de_bord = list(dict.fromkeys(codes))


class DroitDispositif(DroitsMixin):
    profil_metier = models.ForeignKey(
        ProfilMetier,
        verbose_name=_("profil métier"),
        on_delete=models.CASCADE,
        related_name="droits_dispositifs",
    )
    dispositif = models.ForeignKey(
        Dispositif,
        verbose_name=_("dispositif"),
        on_delete=models.CASCADE,
        related_name="droits_profils",
    )

    class Meta:
        verbose_name = _("droit sur un dispositif")
        verbose_name_plural = _("droits sur les dispositifs")
        constraints = [
            models.UniqueConstraint(
                fields=["profil_metier", "dispositif"], name="droit_dispositif_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(voir=True)
                | models.Q(instruire=False, exporter=False, supprimer=False),
                name="droit_dispositif_voir_implique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profil_metier_id} × {self.dispositif_id}: {', '.join(self.droits())}"

    def clean(self) -> None:
        super().clean()
        if not self.pk and not any(getattr(self, d) for d in DROITS):
            raise ValidationError(_("Cochez au moins un droit."), code="vide")
