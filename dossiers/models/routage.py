"""Routing and labels (C14): teams of agents, the rules that route a filed dossier to a
team and/or an agent, coloured labels, agents following dossiers (with the last daily
digest each received). The trash is two columns of `Dossier` (`supprime_le`,
`supprime_par`); the verbs are in dossiers/services_routage.py and services_corbeille.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from dossiers.models.catalogue import Dispositif


class Equipe(TimeStampedModel):
    """A team of agents (« groupe instructeur »): a dossier routed to it is the team's
    to share out. `dispositifs` only documents what it usually handles (empty: any)."""

    nom = models.CharField(_("nom"), max_length=150, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agents"),
        blank=True,
        related_name="equipes",
        limit_choices_to={"is_agent": True},
    )
    dispositifs = models.ManyToManyField(
        Dispositif, verbose_name=_("dispositifs"), blank=True, related_name="equipes"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("équipe")
        verbose_name_plural = _("équipes")
        ordering = ["nom"]
        permissions = [
            (
                "gerer_equipes",
                "Gérer les équipes, les règles de routage et les étiquettes",
            )
        ]

    def __str__(self) -> str:
        return self.nom


class RegleRoutage(TimeStampedModel):
    """One routing rule: the first active rule (by `ordre`) whose criteria all hold gives
    the filed dossier its team and/or agent. Criteria: the dispositif (empty: any), a
    condition on one field of the form (the F5 condition language, built from
    champ / opérateur / valeur) and the commune (INSEE codes read from the dossier's
    `commune` and `adresse` fields) and the territoire (C8: the dossier's, sectorised at
    filing before routing runs, is this one or below it). An empty criterion always holds."""

    class Operateur(models.TextChoices):
        EGAL = "=", _("est égal à")
        DIFFERENT = "≠", _("est différent de")
        CONTIENT = "contient", _("contient")
        PARMI = "parmi", _("est parmi (valeurs séparées par des virgules)")
        REMPLI = "rempli", _("est rempli")

    nom = models.CharField(_("nom"), max_length=150)
    ordre = models.PositiveIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("active"), default=True)
    dispositif = models.ForeignKey(
        Dispositif,
        verbose_name=_("dispositif"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="regles_routage",
        help_text=_("Vide : tous les dispositifs."),
    )
    champ = models.CharField(
        _("champ du formulaire"),
        max_length=100,
        blank=True,
        help_text=_("Nom technique du champ, par exemple « type_structure ». Vide : aucun."),
    )
    operateur = models.CharField(
        _("opérateur"), max_length=10, choices=Operateur.choices, default=Operateur.EGAL
    )
    valeur = models.CharField(_("valeur"), max_length=500, blank=True)
    communes = models.CharField(
        _("communes (codes INSEE)"),
        max_length=1000,
        blank=True,
        help_text=_("Codes INSEE séparés par des virgules, par exemple « 18033, 18197 »."),
    )
    # PROTECT: deleting the territoire would silently widen (SET_NULL) or drop (CASCADE)
    # the rule; the territoire is kept until the rule no longer names it.
    territoire = models.ForeignKey(
        "dossiers.Territoire",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regles_routage",
        help_text=_(
            "Le dossier doit être sectorisé dans ce territoire ou l’un de ses "
            "sous-territoires. Vide : tous les territoires."
        ),
    )
    equipe = models.ForeignKey(
        Equipe,
        verbose_name=_("équipe"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="regles",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="regles_routage",
        limit_choices_to={"is_agent": True},
    )

    class Meta:
        verbose_name = _("règle de routage")
        verbose_name_plural = _("règles de routage")
        ordering = ["ordre", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(equipe__isnull=False) | Q(agent__isnull=False),
                name="regle_routage_a_une_cible",
            )
        ]

    def __str__(self) -> str:
        return self.nom

    def clean(self) -> None:
        erreurs = {}
        if self.equipe_id is None and self.agent_id is None:
            erreurs["equipe"] = _("Choisissez une équipe, un agent, ou les deux.")
        if self.champ and self.operateur != self.Operateur.REMPLI and not self.valeur.strip():
            erreurs["valeur"] = _("Indiquez la valeur à comparer.")
        if self.valeur and not self.champ:
            erreurs["champ"] = _("Indiquez le champ dont la valeur est comparée.")
        for code in self.codes_communes():
            if not (len(code) == 5 and code[:2].isalnum() and code[2:].isdigit()):
                erreurs["communes"] = _("« %(code)s » n’est pas un code INSEE de commune.") % {
                    "code": code
                }
                break
        if self.agent_id is not None and "agent" not in erreurs:
            # C7, C8: the agent must be able to instruct the dossiers the rule routes.
            from dossiers.selectors_droits import motif_agent_de_regle

            motif = motif_agent_de_regle(
                self.agent, dispositif=self.dispositif, territoire=self.territoire
            )
            if motif:
                erreurs["agent"] = motif
        if erreurs:
            raise ValidationError(erreurs)

    def codes_communes(self) -> list[str]:
        return [c.strip().upper() for c in self.communes.replace(";", ",").split(",") if c.strip()]

    def condition(self) -> dict | None:
        """The field criterion as an F5 condition (None: no field criterion)."""
        if not self.champ:
            return None
        if self.operateur == self.Operateur.REMPLI:
            return {"champ": self.champ, "op": "rempli"}
        if self.operateur == self.Operateur.PARMI:
            valeurs = [v.strip() for v in self.valeur.split(",") if v.strip()]
            return {"champ": self.champ, "op": "parmi", "valeur": valeurs}
        return {"champ": self.champ, "op": self.operateur, "valeur": self.valeur.strip()}


class Etiquette(TimeStampedModel):
    """A coloured label agents put on dossiers (« Pièce manquante », « À rappeler »)."""

    class Couleur(models.TextChoices):
        # The DSFR's illustrative colours (fr-tag--<couleur>): contrasts already checked.
        BLEU_CUMULUS = "blue-cumulus", _("Bleu cumulus")
        BLEU_ECUME = "blue-ecume", _("Bleu écume")
        VERT_MENTHE = "green-menthe", _("Vert menthe")
        VERT_EMERAUDE = "green-emeraude", _("Vert émeraude")
        VERT_BOURGEON = "green-bourgeon", _("Vert bourgeon")
        VERT_ARCHIPEL = "green-archipel", _("Vert archipel")
        JAUNE_TOURNESOL = "yellow-tournesol", _("Jaune tournesol")
        JAUNE_MOUTARDE = "yellow-moutarde", _("Jaune moutarde")
        ORANGE_TERRE_BATTUE = "orange-terre-battue", _("Orange terre battue")
        ROSE_MACARON = "pink-macaron", _("Rose macaron")
        ROSE_TUILE = "pink-tuile", _("Rose tuile")
        VIOLET_GLYCINE = "purple-glycine", _("Violet glycine")
        MARRON_CAFE_CREME = "brown-cafe-creme", _("Marron café crème")
        MARRON_CARAMEL = "brown-caramel", _("Marron caramel")
        BEIGE_GRIS_GALET = "beige-gris-galet", _("Beige gris galet")

    libelle = models.CharField(_("libellé"), max_length=60, unique=True)
    couleur = models.CharField(
        _("couleur"), max_length=30, choices=Couleur.choices, default=Couleur.BLEU_CUMULUS
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive : plus proposée, gardée sur les dossiers.")
    )

    class Meta:
        verbose_name = _("étiquette")
        verbose_name_plural = _("étiquettes")
        ordering = ["libelle"]

    def __str__(self) -> str:
        return self.libelle


class SuiviAgent(models.Model):
    """An agent follows a dossier: its changes go into their daily digest."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="dossiers_suivis",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="suivis_agents",
    )
    depuis = models.DateTimeField(_("suivi depuis"), default=timezone.now)

    class Meta:
        verbose_name = _("dossier suivi")
        verbose_name_plural = _("dossiers suivis")
        ordering = ["-depuis"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "dossier"], name="suivi_agent_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agent} → {self.dossier}"


class ResumeSuivi(models.Model):
    """The last daily digest an agent was sent: the period it covered ends at `jusqu_au`.
    The next digest starts there, and a digest already sent for a day is never sent
    again (one row per agent, updated under lock)."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="resume_suivi",
    )
    jusqu_au = models.DateTimeField(_("période couverte jusqu’au"))
    jour = models.DateField(_("jour du dernier résumé"))
    lignes = models.PositiveIntegerField(_("changements signalés"), default=0)

    class Meta:
        verbose_name = _("résumé des dossiers suivis")
        verbose_name_plural = _("résumés des dossiers suivis")

    def __str__(self) -> str:
        return f"{self.agent} {self.jour:%Y-%m-%d}"


class PreferenceResume(models.Model):
    """How an agent wants to hear of the changes on the dossiers they follow: a digest
    each morning (the default, also without a row), one within minutes of a change, or
    none. Chosen on the CRM page « Mes dossiers suivis »."""

    class Frequence(models.TextChoices):
        QUOTIDIEN = "quotidien", _("Chaque matin, un résumé de ce qui a changé la veille")
        CHAQUE_CHANGEMENT = (
            "chaque_changement",
            _("À chaque changement, dans les cinq minutes qui suivent"),
        )
        JAMAIS = "jamais", _("Jamais : je consulte mes dossiers suivis dans le CRM")

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="preference_resume",
    )
    frequence = models.CharField(
        _("résumé des dossiers suivis"),
        max_length=20,
        choices=Frequence.choices,
        default=Frequence.QUOTIDIEN,
    )
    modifiee_le = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("préférence de résumé")
        verbose_name_plural = _("préférences de résumé")

    def __str__(self) -> str:
        return f"{self.agent} : {self.get_frequence_display()}"
