"""Contacts GRC (C5): every exchange with an usager, whatever its canal, even those that
never become a dossier; the models that prefill them; action plans (timelines of tasks)
on a contact or a dossier."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from contacts.enums import Canal, Sens, StatutContact


class ModeleContact(TimeStampedModel):
    """A kind of contact agents log often: choosing it in the form prefills canal, sens,
    objet, the compte rendu's skeleton and the agents in charge."""

    nom = models.CharField(_("nom"), max_length=120, unique=True)
    canal = models.CharField(_("canal"), max_length=12, choices=Canal.choices)
    sens = models.CharField(_("sens"), max_length=8, choices=Sens.choices, default=Sens.ENTRANT)
    objet = models.CharField(_("objet"), max_length=200, blank=True)
    compte_rendu = models.TextField(
        _("trame du compte rendu"),
        blank=True,
        help_text=_("Texte proposé dans le compte rendu, que l’agent complète."),
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agents responsables"),
        blank=True,
        related_name="+",
        help_text=_("Ajoutés aux agents du contact, en plus de l’agent qui le saisit."),
    )
    actif = models.BooleanField(_("actif"), default=True)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("modèle de contact")
        verbose_name_plural = _("modèles de contact")
        ordering = ["ordre", "nom"]

    def __str__(self) -> str:
        return self.nom


class Contact(TimeStampedModel):
    canal = models.CharField(_("canal"), max_length=12, choices=Canal.choices)
    sens = models.CharField(_("sens"), max_length=8, choices=Sens.choices, default=Sens.ENTRANT)
    quand = models.DateTimeField(_("date et heure"))
    objet = models.CharField(_("objet"), max_length=200)
    compte_rendu = models.TextField(_("compte rendu"), blank=True)
    individus = models.ManyToManyField(
        "usagers.Individu", verbose_name=_("individus"), blank=True, related_name="contacts"
    )
    profils = models.ManyToManyField(
        "usagers.Profil", verbose_name=_("profils"), blank=True, related_name="contacts"
    )
    # When the caller is not (yet) in the référentiel: « un voisin, M. X ».
    interlocuteur_libre = models.CharField(
        _("interlocuteur non référencé"), max_length=200, blank=True
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("agents"), blank=True, related_name="contacts"
    )
    dossiers = models.ManyToManyField(
        "dossiers.Dossier", verbose_name=_("dossiers"), blank=True, related_name="contacts"
    )
    statut = models.CharField(
        _("statut"), max_length=8, choices=StatutContact.choices, default=StatutContact.OUVERT
    )
    modele = models.ForeignKey(
        ModeleContact,
        verbose_name=_("modèle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts_saisis",
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-quand", "-pk"]
        indexes = [
            # The list, newest first, keyset-paginated on (quand, pk).
            models.Index(fields=["-quand", "-id"], name="contact_quand"),
            models.Index(fields=["statut", "-quand"], name="contact_statut_quand"),
        ]

    def __str__(self) -> str:
        return f"{self.get_canal_display()} — {self.objet}"


class PlanAction(TimeStampedModel):
    """The timeline of tasks that follows a contact or a dossier (one plan each)."""

    contact = models.OneToOneField(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plan_action",
    )
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plan_action",
    )

    class Meta:
        verbose_name = _("plan d’action")
        verbose_name_plural = _("plans d’action")
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False, dossier__isnull=True)
                | Q(contact__isnull=True, dossier__isnull=False),
                name="plan_action_contact_ou_dossier",
            )
        ]

    def __str__(self) -> str:
        if self.contact_id:
            return _("Plan d’action du contact n°%(pk)s") % {"pk": self.contact_id}
        return _("Plan d’action du dossier n°%(pk)s") % {"pk": self.dossier_id}


class Tache(TimeStampedModel):
    plan = models.ForeignKey(
        PlanAction, verbose_name=_("plan d’action"), on_delete=models.CASCADE, related_name="taches"
    )
    libelle = models.CharField(_("libellé"), max_length=200)
    echeance = models.DateField(_("échéance"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent chargé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="taches",
    )
    notes = models.TextField(_("notes"), blank=True)
    faite = models.BooleanField(_("faite"), default=False)
    faite_le = models.DateTimeField(_("faite le"), null=True, blank=True)
    faite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("faite par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        # The timeline: by due date (undated last), then in order of creation.
        ordering = [models.F("echeance").asc(nulls_last=True), "pk"]
        indexes = [
            # « Mes tâches »: an agent's open tasks by due date.
            models.Index(
                fields=["assignee", "echeance"],
                condition=Q(faite=False),
                name="tache_ouverte_assignee",
            )
        ]

    def __str__(self) -> str:
        return self.libelle
