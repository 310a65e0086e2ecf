"""The guide d'instruction (I1): per dispositif, versioned like form models, its étapes
(the lifeline) and their statuts with properties and actions; and each dossier's state
in it (`SuiviInstruction`) with the history of its changes (`ChangementStatut`).

A dossier keeps the guide version it entered with; publishing a version makes it the
one new deposits enter (one published version per guide, older ones archived). The
dossier's own life cycle (`Dossier.statut`: draft, filed, closed) stays in dossiers: the
guide's statuts come on top of it, and a closing statut closes the dossier.
"""

from datetime import timedelta

import pghistory
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


# Statut orders fit under it (PositiveSmallIntegerField), the product in an integer.
RANG_ETAPE = 40_000


# The dossier's journal (C11) shows its moves along the guide as well.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    model_name="SuiviInstructionEvent",
    fields=["dossier", "version", "statut"],
)
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
    # The last failure of a timer of this statut (I8: « visible on the dossier »):
    # {"minuteur": pk, "statut": pk, "libelle", "message", "le": ISO date}. Shown on the
    # Instruction tab while the dossier is in that statut; a success clears it.
    echec_minuteur = models.JSONField(
        _("échec du minuteur"), default=dict, blank=True, editable=False
    )
    # When the dossier becomes late on its étape (I5), None without a target duration or
    # once closed: denormalised by the services that move the dossier (calculer_echeance)
    # so that the CRM list filters and sorts on « en retard » with an indexed predicate.
    echeance = models.DateTimeField(_("en retard à partir du"), null=True, blank=True)

    class Meta:
        verbose_name = _("suivi d’instruction")
        verbose_name_plural = _("suivis d’instruction")
        indexes = [
            models.Index(fields=["statut"], name="suivi_instruction_statut"),
            # The list's « en retard » filter and its « échéance » sort (keyset on the pk).
            models.Index(fields=["echeance", "dossier"], name="suivi_instruction_echeance"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.statut}"

    def en_retard(self, maintenant=None) -> bool:
        cible = self.statut.etape.duree_cible
        if cible is None or self.statut.cloture:
            return False
        return ((maintenant or timezone.now()) - self.etape_entree_le).days > cible

    def rang(self) -> int:
        """Progress along the guide as one number (étape order, then statut order; 0 is
        « no guide »): the CRM list's « Étape / statut » sort key."""
        return self.statut.etape.ordre * RANG_ETAPE + self.statut.ordre + 1

    def calculer_echeance(self):
        """The first moment `en_retard()` holds: more than `duree_cible` whole days in
        the étape, i.e. `duree_cible + 1` days after entering it."""
        cible = self.statut.etape.duree_cible
        if cible is None or self.statut.cloture:
            return None
        return self.etape_entree_le + timedelta(days=cible + 1)


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
    # A return to the previous statut (services_retour): undoes the change before it.
    retour = models.BooleanField(_("retour au statut précédent"), default=False)
    le = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["-le", "-pk"]
        indexes = [models.Index(fields=["dossier", "-le"], name="changement_dossier_le")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.de} → {self.vers}"


# --- Timers and triggers (I8) -----------------------------------------------------------


class Minuteur(models.Model):
    """A statut changes by itself (I8): `delai` days or hours after the dossier entered the
    statut, or after a date of its data (`champ`, a negative delay counting before it);
    then the dossier goes to `cible` (or back to its previous statut) with `motif` —
    silent acceptance or refusal, reminder (a statut whose actions mail), expiry.
    Several per statut: the first due wins. Run by Celery beat
    (instruction.services_minuteurs.minuteurs_executer)."""

    class Depart(models.TextChoices):
        ENTREE = "entree", _("l’entrée dans le statut")
        CHAMP = "champ", _("une date du dossier")

    class Unite(models.TextChoices):
        JOURS = "jours", _("jours")
        HEURES = "heures", _("heures")

    statut = models.ForeignKey(
        Statut, verbose_name=_("statut"), on_delete=models.CASCADE, related_name="minuteurs"
    )
    libelle = models.CharField(
        _("libellé"), max_length=150, help_text=_("Ex. « Acceptation tacite », « Relance ».")
    )
    delai = models.IntegerField(
        _("délai"), help_text=_("Négatif seulement à partir d’une date : avant cette date.")
    )
    unite = models.CharField(_("unité"), max_length=10, choices=Unite.choices, default=Unite.JOURS)
    depart = models.CharField(
        _("compté à partir de"), max_length=10, choices=Depart.choices, default=Depart.ENTREE
    )
    champ = models.CharField(
        _("champ date"),
        max_length=100,
        blank=True,
        help_text=_("Nom technique d’un champ date du dossier (départ « une date du dossier »)."),
    )
    cible = models.ForeignKey(
        Statut,
        verbose_name=_("statut cible"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    vers_precedent = models.BooleanField(
        _("retour au statut précédent"),
        default=False,
        help_text=_("Au lieu d’un statut cible : revenir au statut d’avant."),
    )
    motif = models.CharField(_("motif"), max_length=300, blank=True)
    actif = models.BooleanField(_("actif"), default=True)
    # delai × unite, kept so that the due query adds it to a timestamp in SQL.
    duree = models.DurationField(editable=False)

    class Meta:
        verbose_name = _("minuteur")
        verbose_name_plural = _("minuteurs")
        ordering = ["statut", "delai", "pk"]
        indexes = [
            models.Index(fields=["statut"], condition=Q(actif=True), name="minuteur_statut_actif")
        ]

    def __str__(self) -> str:
        return self.libelle

    def save(self, *args, **kwargs):
        self.duree = self.calculer_duree()
        super().save(*args, **kwargs)

    def calculer_duree(self):
        from datetime import timedelta

        if self.unite == self.Unite.HEURES:
            return timedelta(hours=self.delai or 0)
        return timedelta(days=self.delai or 0)

    def clean(self) -> None:
        erreurs = {}
        if self.depart == self.Depart.CHAMP and not self.champ:
            erreurs["champ"] = _("Indiquez le nom technique du champ date.")
        if self.depart == self.Depart.ENTREE:
            self.champ = ""
            if self.delai is not None and self.delai < 0:
                erreurs["delai"] = _("Depuis l’entrée dans le statut, le délai est positif.")
        if self.vers_precedent and self.cible_id:
            erreurs["cible"] = _(
                "Choisissez un statut cible ou le retour au précédent, pas les deux."
            )
        elif not self.vers_precedent and not self.cible_id:
            erreurs["cible"] = _("Choisissez le statut cible (ou le retour au statut précédent).")
        elif self.cible_id and self.statut_id:
            if self.cible.version_id != self.statut.version_id:
                erreurs["cible"] = _("Le statut cible doit appartenir à la même version du guide.")
            elif self.cible_id == self.statut_id:
                erreurs["cible"] = _("Le statut cible doit être un autre statut.")
        if erreurs:
            raise ValidationError(erreurs)

    def echeance(self, suivi: SuiviInstruction, donnees: dict):
        """When the timer is due for this stay of the dossier in the statut (None: the
        date field is empty or not a date). Mirrors the SQL of the due query."""
        import datetime

        if self.depart == self.Depart.ENTREE:
            return suivi.entre_le + self.duree
        valeur = (donnees or {}).get(self.champ)
        try:
            jour = datetime.date.fromisoformat(str(valeur)[:10])
        except ValueError:
            return None
        minuit = datetime.datetime.combine(jour, datetime.time())
        return timezone.make_aware(minuit) + self.duree


class Declencheur(TimeStampedModel):
    """A global action (I8) of a guide: sets fields from received data and/or moves the
    dossier to `cible` (or back to its previous statut). Triggered by hand on a selection
    of the CRM list (`manuel`), or by a signed webhook
    (POST /api/instruction/webhooks/<code>/, docs/webhooks.md) with `secret`. Applies to
    the dossiers of any version of its guide: the target is found by its code there."""

    version = models.ForeignKey(
        VersionGuide,
        verbose_name=_("version du guide"),
        on_delete=models.CASCADE,
        related_name="declencheurs",
    )
    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Dans l’adresse du webhook.")
    )
    libelle = models.CharField(_("libellé"), max_length=150)
    cible = models.ForeignKey(
        Statut,
        verbose_name=_("statut cible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Vide : seulement renseigner des champs."),
    )
    vers_precedent = models.BooleanField(_("retour au statut précédent"), default=False)
    champs = models.JSONField(
        _("champs modifiables"),
        default=list,
        blank=True,
        help_text=_(
            'Noms techniques que les données reçues peuvent renseigner, ex. ["date_commission"].'
        ),
    )
    motif = models.CharField(_("motif"), max_length=300, blank=True)
    manuel = models.BooleanField(
        _("proposé sur la liste des dossiers"),
        default=True,
        help_text=_("Les agents l’appliquent à une sélection de dossiers."),
    )
    webhook = models.BooleanField(_("webhook actif"), default=False)
    secret = models.CharField(_("secret du webhook"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("déclencheur")
        verbose_name_plural = _("déclencheurs")
        ordering = ["version", "libelle"]

    def __str__(self) -> str:
        return self.libelle

    def save(self, *args, **kwargs):
        if not self.secret:
            self.regenerer_secret()
        super().save(*args, **kwargs)

    def regenerer_secret(self) -> str:
        import secrets

        self.secret = secrets.token_hex(32)
        return self.secret

    def clean(self) -> None:
        erreurs = {}
        if self.vers_precedent and self.cible_id:
            erreurs["cible"] = _(
                "Choisissez un statut cible ou le retour au précédent, pas les deux."
            )
        elif self.cible_id and self.version_id and self.cible.version_id != self.version_id:
            erreurs["cible"] = _("Le statut cible doit appartenir à la même version du guide.")
        if not isinstance(self.champs, list) or not all(
            isinstance(c, str) and c for c in self.champs
        ):
            erreurs["champs"] = _("Indiquez une liste JSON de noms techniques.")
        elif not (self.cible_id or self.vers_precedent or self.champs):
            erreurs["cible"] = _("Un déclencheur change le statut, des champs, ou les deux.")
        if erreurs:
            raise ValidationError(erreurs)


class NonceWebhook(models.Model):
    """The nonces of the webhook calls received in the last minutes: a replayed call
    (same nonce) is refused; purged by the timers' task once past the window."""

    declencheur = models.ForeignKey(Declencheur, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=100)
    recu_le = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["declencheur", "nonce"], name="nonce_webhook_unique")
        ]

    def __str__(self) -> str:
        return self.nonce


class CasTest(TimeStampedModel):
    """A test case of a guide version (I9), written by an admin and run before
    publishing (`instruction.essais.cas_executer`): a throwaway dossier with `donnees`
    goes through the statuts of its passages, each compared with what was expected;
    everything it did is rolled back, only the report is kept here."""

    class Demandeur(models.TextChoices):
        ANONYME = "anonyme", _("Anonyme (dossier sans demandeur)")
        INDIVIDU = "individu", _("Un particulier")
        PROFIL = "profil", _("Une structure (profil)")

    version = models.ForeignKey(
        VersionGuide,
        verbose_name=_("version du guide"),
        on_delete=models.CASCADE,
        related_name="cas_tests",
    )
    nom = models.CharField(_("nom"), max_length=150)
    donnees = models.JSONField(
        _("données du dossier"),
        default=dict,
        blank=True,
        help_text=_('Objet JSON {nom technique du champ : valeur}, ex. {"montant": 1500}'),
    )
    demandeur = models.CharField(
        _("demandeur"), max_length=10, choices=Demandeur.choices, default=Demandeur.INDIVIDU
    )
    lance_le = models.DateTimeField(_("dernier lancement"), null=True, blank=True, editable=False)
    reussi = models.BooleanField(_("réussi"), null=True, editable=False)
    rapport = models.JSONField(_("rapport"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("cas de test du guide")
        verbose_name_plural = _("cas de test du guide")
        ordering = ["version", "nom", "pk"]

    def __str__(self) -> str:
        return self.nom

    def clean(self) -> None:
        from instruction.essais import donnees_valider

        if self.version_id is not None:
            self.donnees = donnees_valider(self.version, self.donnees)


class PassageCasTest(models.Model):
    """One step of a test case: the statut the dossier goes to, and what must happen.
    Each expectation left empty is not checked."""

    cas = models.ForeignKey(
        CasTest, verbose_name=_("cas de test"), on_delete=models.CASCADE, related_name="passages"
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    statut = models.SlugField(_("code du statut"), max_length=50)
    motif = models.CharField(_("motif"), max_length=300, blank=True)
    refus_attendu = models.BooleanField(
        _("refus attendu"),
        default=False,
        help_text=_("Le guide doit refuser ce changement (le dossier garde son statut)."),
    )
    actions = models.JSONField(
        _("actions attendues"),
        default=list,
        blank=True,
        help_text=_('Codes des types d’action qui doivent s’exécuter, ex. ["courriel"].'),
    )
    messages = models.JSONField(
        _("messages attendus"),
        default=list,
        blank=True,
        help_text=_(
            'Liste de {"modele": nom du modèle ou code d’événement, "destinataire": adresse '
            "(facultative)}."
        ),
    )
    suivi = models.JSONField(
        _("lignes de suivi attendues"),
        default=list,
        blank=True,
        help_text=_("Textes que l’historique visible de l’usager doit contenir."),
    )
    champs = models.JSONField(
        _("valeurs attendues des champs"),
        default=dict,
        blank=True,
        help_text=_("Objet JSON {nom technique : valeur} après ce passage."),
    )

    class Meta:
        verbose_name = _("passage du cas de test")
        verbose_name_plural = _("passages du cas de test")
        ordering = ["cas", "ordre", "pk"]

    def __str__(self) -> str:
        return self.statut


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


# Commissions and meetings (I6) live in their own module; imported here so that Django
# registers them with the app.
from instruction.models_commissions import (  # noqa: E402, F401
    Commission,
    Decision,
    DocumentSeance,
    PointOrdreDuJour,
    Reunion,
    Seance,
)

# The bannettes' counter (C1, issue 9's benchmark), in its own module likewise.
from instruction.models_compteurs import CompteurBannette  # noqa: E402, F401


class Lot(TimeStampedModel):
    """A batch (issue 9, I6): one operation an agent applies to many dossiers — a statut
    change (through change_status), a field update (through the agents' data editing
    service) or a mail / SMS campaign (through the outbox). One `LigneLot` per dossier,
    unique per lot: a Celery task (`tasks.lot_traiter`) works through the lines still
    `a_faire`, each in its own transaction that marks it done with the change, so a lot
    is resumable and never applies twice to a dossier (services_lots)."""

    class Sorte(models.TextChoices):
        STATUT = "statut", _("Changement de statut")
        CHAMPS = "champs", _("Modification d’un champ")
        CAMPAGNE = "campagne", _("Campagne de messages")

    class Etat(models.TextChoices):
        EN_ATTENTE = "en_attente", _("En attente")
        EN_COURS = "en_cours", _("En cours")
        TERMINE = "termine", _("Terminé")
        INTERROMPU = "interrompu", _("Interrompu")
        ECHOUE = "echoue", _("Échoué")

    sorte = models.CharField(_("sorte"), max_length=10, choices=Sorte.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="lots",
    )
    libelle = models.CharField(_("libellé"), max_length=300)
    # statut: {"statut": code, "motif"}; champs: {"dispositif", "champ", "saisie",
    # "affichage"}; campagne: {"modele", "canal", "rythme"} (messages per minute).
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    etat = models.CharField(
        _("état"), max_length=10, choices=Etat.choices, default=Etat.EN_ATTENTE, db_index=True
    )
    total = models.PositiveIntegerField(_("dossiers"), default=0)
    # Selected pks that were not (or no longer) among the agent's dossiers: counted only,
    # never named (their references are not the agent's to see).
    introuvables = models.PositiveIntegerField(_("introuvables ou hors droits"), default=0)
    erreur = models.TextField(_("erreur"), blank=True)
    actif_le = models.DateTimeField(_("dernière activité"), null=True, blank=True)
    termine_le = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.libelle

    @property
    def actif(self) -> bool:
        return self.etat in (self.Etat.EN_ATTENTE, self.Etat.EN_COURS)


class LigneLot(models.Model):
    """One dossier of a lot and what became of it."""

    class Etat(models.TextChoices):
        A_FAIRE = "a_faire", _("À faire")
        FAIT = "fait", _("Fait")
        IGNORE = "ignore", _("Ignoré")
        ECHEC = "echec", _("Échec")

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="lignes"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="+"
    )
    etat = models.CharField(_("état"), max_length=10, choices=Etat.choices, default=Etat.A_FAIRE)
    message = models.TextField(_("message"), blank=True)
    traitee_le = models.DateTimeField(_("traitée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("ligne de lot")
        verbose_name_plural = _("lignes de lot")
        ordering = ["lot", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "dossier"], name="lot_une_ligne_par_dossier")
        ]
        indexes = [models.Index(fields=["lot", "etat"], name="lignelot_lot_etat")]

    def __str__(self) -> str:
        return f"{self.lot_id} · {self.dossier_id} · {self.etat}"
