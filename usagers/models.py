"""The référentiel des usagers: individus, profils, their links, shared by every dispositif."""

import re
import secrets
from datetime import timedelta

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from common.text import digits, fold, phone_search_digits, search_words
from common.validators import (
    validate_bic,
    validate_iban,
    validate_past_date,
    validate_phone,
    validate_rna,
    validate_siren,
    validate_siret,
)
from usagers.enums import (
    LIEN_INVERSE,
    Civilite,
    IdentifiantRequis,
    ModeGarde,
    ReglePaiement,
    SituationFamiliale,
    StatutInvitation,
    TypeIndividu,
    TypeLien,
)

_HAS_DIGIT = re.compile(r"[0-9]")

ADRESSE_FIELDS = ["adresse", "complement_adresse", "code_postal", "commune", "code_insee", "pays"]


class Adresse(models.Model):
    """A postal address, as the BAN returns it (numéro et voie, code postal, commune)."""

    adresse = models.CharField(_("numéro et voie"), max_length=255, blank=True)
    complement_adresse = models.CharField(_("complément d’adresse"), max_length=255, blank=True)
    code_postal = models.CharField(_("code postal"), max_length=10, blank=True)
    commune = models.CharField(_("commune"), max_length=150, blank=True)
    code_insee = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    pays = models.CharField(_("pays"), max_length=100, blank=True, default="France")

    class Meta:
        abstract = True

    def adresse_lignes(self) -> list[str]:
        ville = " ".join(part for part in [self.code_postal, self.commune] if part)
        lignes = [self.adresse, self.complement_adresse, ville]
        if self.pays and self.pays != "France":
            lignes.append(self.pays)
        return [ligne for ligne in lignes if ligne]

    def adresse_values(self) -> dict:
        return {name: getattr(self, name) for name in ADRESSE_FIELDS}


class MotRecherche(models.Model):
    """Every distinct word of the référentiel's names and communes. A typed word is
    corrected against this small table (trigram similarity) before the full-text search,
    so a misspelling costs the same whatever the number of individus."""

    mot = models.CharField(max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("mot du référentiel")
        verbose_name_plural = _("mots du référentiel")
        indexes = [GinIndex(name="mot_recherche_trgm", fields=["mot"], opclasses=["gin_trgm_ops"])]

    def __str__(self) -> str:
        return self.mot

    @classmethod
    def ajouter(cls, *texts: str) -> None:
        text = fold(" ".join(t for t in texts if t))
        words = {
            w for w in re.split(r"[^a-z0-9]+", text) if len(w) >= 2 and not _HAS_DIGIT.search(w)
        }
        if words:
            cls.objects.bulk_create([cls(mot=w[:100]) for w in words], ignore_conflicts=True)


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="IndividuEvent",
    exclude=["recherche", "document"],
)
class Individu(TimeStampedModel, Adresse):
    type_individu = models.CharField(
        _("type"), max_length=10, choices=TypeIndividu.choices, default=TypeIndividu.ADULTE
    )
    civilite = models.CharField(_("civilité"), max_length=3, choices=Civilite.choices, blank=True)
    nom = models.CharField(_("nom de naissance"), max_length=150)
    nom_usage = models.CharField(_("nom d’usage"), max_length=150, blank=True)
    prenom = models.CharField(_("prénom"), max_length=150)
    date_naissance = models.DateField(
        _("date de naissance"), null=True, blank=True, validators=[validate_past_date]
    )
    lieu_naissance = models.CharField(_("lieu de naissance"), max_length=150, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    telephone_mobile = models.CharField(
        _("téléphone mobile"), max_length=20, blank=True, validators=[validate_phone]
    )
    telephone_fixe = models.CharField(
        _("téléphone fixe"), max_length=20, blank=True, validators=[validate_phone]
    )
    # Adulte
    profession = models.CharField(_("profession"), max_length=150, blank=True)
    situation_familiale = models.CharField(
        _("situation familiale"), max_length=20, choices=SituationFamiliale.choices, blank=True
    )
    # Enfant
    etablissement_scolaire = models.CharField(
        _("établissement scolaire"), max_length=200, blank=True
    )
    classe = models.CharField(_("classe"), max_length=50, blank=True)
    # Contact
    organisme = models.CharField(_("organisme"), max_length=200, blank=True)
    fonction = models.CharField(_("fonction"), max_length=150, blank=True)
    # Restricted: shown only to agents holding usagers.voir_donnees_restreintes (G4).
    numero_allocataire = models.CharField(_("numéro d’allocataire CAF"), max_length=20, blank=True)
    observations_confidentielles = models.TextField(_("observations confidentielles"), blank=True)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte usager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="individu",
    )
    agent_referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent référent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="individus_suivis",
        limit_choices_to={"is_agent": True},
    )
    # The one « Anonyme » demandeur of the instance, for an agent's quick entry in the CRM
    # when the person gives no name (C4): usagers.services.individu_anonyme().
    anonyme = models.BooleanField(
        _("demandeur anonyme"),
        default=False,
        editable=False,
        help_text=_("L’individu « Anonyme » des saisies rapides au guichet (un seul)."),
    )
    # Folded words of names, email, phones: what the CRM search matches
    # (usagers/selectors.py), and their full-text vector, kept by PostgreSQL itself.
    recherche = models.TextField(editable=False, default="")
    document = models.GeneratedField(
        expression=SearchVector("recherche", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    RESTRICTED_FIELDS = ("numero_allocataire", "observations_confidentielles")
    FIELDS_BY_TYPE = {
        TypeIndividu.ADULTE: ("profession", "situation_familiale"),
        TypeIndividu.ENFANT: ("etablissement_scolaire", "classe"),
        TypeIndividu.CONTACT: ("organisme", "fonction"),
    }

    class Meta:
        verbose_name = _("individu")
        verbose_name_plural = _("individus")
        ordering = ["nom", "prenom", "pk"]
        permissions = [
            ("voir_donnees_restreintes", _("Voir les données restreintes des individus")),
            ("fusionner_individu", _("Fusionner des individus")),
        ]
        indexes = [
            # Full-text index on the folded words: exact words and prefixes, once the
            # typed words were corrected against MotRecherche (usagers/selectors.py).
            GinIndex(fields=["document"], name="individu_document"),
            models.Index(fields=["nom", "prenom", "date_naissance"], name="individu_identite"),
            models.Index(models.functions.Upper("email"), name="individu_email_upper"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["anonyme"], condition=Q(anonyme=True), name="individu_anonyme_unique"
            )
        ]

    def __str__(self) -> str:
        return self.nom_complet

    def save(self, *args, **kwargs):
        self.recherche = self.search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "recherche"}
        super().save(*args, **kwargs)
        MotRecherche.ajouter(self.prenom, self.nom, self.nom_usage, self.commune)

    @property
    def nom_complet(self) -> str:
        nom = self.nom_usage or self.nom
        return f"{self.prenom} {nom.upper()}".strip()

    def search_text(self) -> str:
        phones = " ".join(
            phone_search_digits(p) for p in [self.telephone_mobile, self.telephone_fixe]
        )
        return search_words(
            " ".join([self.prenom, self.nom, self.nom_usage, self.email, phones, self.commune])
        )

    def abilities(self, user) -> dict[str, bool]:
        """What `user` (an agent) may do with this individu; views and templates ask it."""
        is_agent = bool(user and user.is_authenticated and user.can_use_crm)
        return {
            "voir": is_agent,
            "modifier": is_agent,
            "voir_restreint": is_agent and user.has_perm("usagers.voir_donnees_restreintes"),
            "fusionner": is_agent and user.has_perm("usagers.fusionner_individu"),
        }

    def champs_du_type(self) -> tuple[str, ...]:
        return self.FIELDS_BY_TYPE.get(self.type_individu, ())


class AdressePrecedente(Adresse):
    """An address an individu or profil had before; kept when it changes (C6)."""

    individu = models.ForeignKey(
        Individu,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adresses_precedentes",
    )
    profil = models.ForeignKey(
        "Profil",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adresses_precedentes",
    )
    remplacee_le = models.DateTimeField(_("remplacée le"), default=timezone.now)

    class Meta:
        verbose_name = _("adresse précédente")
        verbose_name_plural = _("adresses précédentes")
        ordering = ["-remplacee_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(individu__isnull=False, profil__isnull=True)
                | Q(individu__isnull=True, profil__isnull=False),
                name="adresse_precedente_un_titulaire",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(self.adresse_lignes())


class TypeProfil(models.Model):
    """Kind of profile (particulier, association, entreprise…), managed in the admin."""

    code = models.SlugField(_("code"), unique=True)
    libelle = models.CharField(_("libellé"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    public = models.CharField(
        _("public (au pluriel)"),
        max_length=100,
        blank=True,
        help_text=_("Pour les titres du catalogue : « Démarches pour les associations »."),
    )
    identifiant_requis = models.CharField(
        _("identifiant requis"),
        max_length=10,
        choices=IdentifiantRequis.choices,
        blank=True,
        help_text=_("Numéro demandé à la création d’un profil de ce type."),
    )
    personnel = models.BooleanField(
        _("profil personnel"),
        default=False,
        help_text=_("Type du profil créé pour chaque compte à l’inscription (un seul type)."),
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    actif = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("type de profil")
        verbose_name_plural = _("types de profil")
        ordering = ["ordre", "libelle"]
        constraints = [
            models.UniqueConstraint(
                fields=["personnel"], condition=Q(personnel=True), name="un_seul_type_personnel"
            )
        ]

    def __str__(self) -> str:
        return self.libelle


class NatureProfil(models.Model):
    """Nature of a profile within its type (association loi 1901, SARL, SAS…)."""

    type_profil = models.ForeignKey(TypeProfil, on_delete=models.CASCADE, related_name="natures")
    libelle = models.CharField(_("libellé"), max_length=100)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    actif = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("nature de profil")
        verbose_name_plural = _("natures de profil")
        ordering = ["type_profil", "ordre", "libelle"]

    def __str__(self) -> str:
        return self.libelle


class RoleMembre(models.Model):
    code = models.SlugField(_("code"), unique=True)
    libelle = models.CharField(_("libellé"), max_length=100)
    responsable = models.BooleanField(
        _("responsable"),
        default=False,
        help_text=_("Peut inviter et retirer des membres, et modifier le profil."),
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("rôle de membre")
        verbose_name_plural = _("rôles de membre")
        ordering = ["ordre", "libelle"]

    def __str__(self) -> str:
        return self.libelle


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="ProfilEvent",
    exclude=["recherche", "document"],
)
class Profil(TimeStampedModel, Adresse):
    """A legal entity or a group (association, entreprise, collectivité, foyer…)."""

    type_profil = models.ForeignKey(
        TypeProfil, verbose_name=_("type"), on_delete=models.PROTECT, related_name="profils"
    )
    nature = models.ForeignKey(
        NatureProfil,
        verbose_name=_("nature"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profils",
    )
    nom = models.CharField(_("nom ou raison sociale"), max_length=255)
    sigle = models.CharField(_("sigle"), max_length=50, blank=True)
    # Room for the spaces people type; save() keeps the digits only.
    siret = models.CharField(_("SIRET"), max_length=20, blank=True, validators=[validate_siret])
    siren = models.CharField(_("SIREN"), max_length=14, blank=True, validators=[validate_siren])
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[validate_rna])
    email = models.EmailField(_("adresse électronique"), blank=True)
    telephone = models.CharField(
        _("téléphone"), max_length=20, blank=True, validators=[validate_phone]
    )
    site_web = models.URLField(_("site internet"), blank=True)
    # Bank details, for subsidies and refunds paid to the profil (foreign accounts too).
    iban = models.CharField(_("IBAN"), max_length=42, blank=True, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=14, blank=True, validators=[validate_bic])
    personnel = models.BooleanField(
        _("profil personnel"), default=False, help_text=_("Le profil propre d’un compte usager.")
    )
    membres = models.ManyToManyField(Individu, through="Membre", related_name="profils")
    recherche = models.TextField(editable=False, default="")
    document = models.GeneratedField(
        expression=SearchVector("recherche", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profils")
        ordering = ["nom", "pk"]
        permissions = [("fusionner_profil", _("Fusionner des profils"))]
        indexes = [
            # Full-text index on the folded words: exact words and prefixes, once the
            # typed words were corrected against MotRecherche (usagers/selectors.py).
            GinIndex(fields=["document"], name="profil_document"),
            models.Index(fields=["siret"], name="profil_siret"),
            models.Index(fields=["rna"], name="profil_rna"),
        ]

    def __str__(self) -> str:
        return self.nom

    def save(self, *args, **kwargs):
        self.siret = digits(self.siret)
        self.siren = digits(self.siren) or self.siret[:9]
        self.rna = (self.rna or "").strip().upper()
        self.iban = re.sub(r"\s+", "", self.iban or "").upper()
        self.bic = re.sub(r"\s+", "", self.bic or "").upper()
        self.recherche = self.search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "recherche",
                "siret",
                "siren",
                "rna",
                "iban",
                "bic",
            }
        super().save(*args, **kwargs)
        MotRecherche.ajouter(self.nom, self.sigle, self.commune)

    def search_text(self) -> str:
        return search_words(
            " ".join(
                [
                    self.nom,
                    self.sigle,
                    self.siret,
                    self.siren,
                    self.rna,
                    self.email,
                    phone_search_digits(self.telephone),
                    self.commune,
                ]
            )
        )

    def abilities(self, user) -> dict[str, bool]:
        is_agent = bool(user and user.is_authenticated and user.can_use_crm)
        return {
            "voir": is_agent,
            "modifier": is_agent,
            "fusionner": is_agent and user.has_perm("usagers.fusionner_profil"),
        }


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="MembreEvent",
)
class Membre(TimeStampedModel):
    """An individu's membership of a profil, with the properties of the link (C6)."""

    profil = models.ForeignKey(Profil, on_delete=models.CASCADE, related_name="adhesions")
    individu = models.ForeignKey(Individu, on_delete=models.CASCADE, related_name="adhesions")
    role = models.ForeignKey(RoleMembre, verbose_name=_("rôle"), on_delete=models.PROTECT)
    autorite_parentale = models.BooleanField(_("autorité parentale"), default=False)
    mode_garde = models.CharField(
        _("mode de garde"), max_length=10, choices=ModeGarde.choices, blank=True
    )
    regle_paiement = models.CharField(
        _("règle de paiement"), max_length=12, choices=ReglePaiement.choices, blank=True
    )

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["profil", "-role__responsable", "individu__nom"]
        constraints = [models.UniqueConstraint(fields=["profil", "individu"], name="membre_unique")]

    def __str__(self) -> str:
        return f"{self.individu} — {self.profil} ({self.role})"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="LienParenteEvent",
)
class LienParente(TimeStampedModel):
    """<individu> est <type_lien> de <apparente>."""

    individu = models.ForeignKey(Individu, on_delete=models.CASCADE, related_name="liens")
    apparente = models.ForeignKey(
        Individu, verbose_name=_("apparenté"), on_delete=models.CASCADE, related_name="liens_recus"
    )
    type_lien = models.CharField(_("lien"), max_length=15, choices=TypeLien.choices)

    class Meta:
        verbose_name = _("lien de parenté")
        verbose_name_plural = _("liens de parenté")
        constraints = [
            models.UniqueConstraint(
                fields=["individu", "apparente", "type_lien"], name="lien_parente_unique"
            ),
            models.CheckConstraint(
                condition=~Q(individu=models.F("apparente")), name="lien_parente_pas_soi_meme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.individu} — {self.get_type_lien_display()} — {self.apparente}"

    def libelle_inverse(self) -> str:
        return str(LIEN_INVERSE[TypeLien(self.type_lien)])


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.GUICHET_INVITATION_DAYS)


class Invitation(TimeStampedModel):
    """An email invitation to join a profil; the link carries an unguessable token."""

    profil = models.ForeignKey(Profil, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse électronique"))
    role = models.ForeignKey(RoleMembre, verbose_name=_("rôle"), on_delete=models.PROTECT)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    statut = models.CharField(
        _("statut"),
        max_length=12,
        choices=StatutInvitation.choices,
        default=StatutInvitation.EN_ATTENTE,
    )
    expire_le = models.DateTimeField(_("expire le"), default=_invitation_expiry)
    decidee_le = models.DateTimeField(_("décidée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profil", "email"],
                condition=Q(statut="en_attente"),
                name="une_invitation_en_attente_par_email",
            )
        ]
        indexes = [
            # « Mon compte »: the pending ones sent to the citizen's address (email__iexact).
            models.Index(
                models.functions.Upper("email"),
                condition=Q(statut="en_attente"),
                name="invitation_profil_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.profil}"

    @property
    def expiree(self) -> bool:
        return self.expire_le <= timezone.now()

    @property
    def ouverte(self) -> bool:
        return self.statut == StatutInvitation.EN_ATTENTE and not self.expiree


class Fusion(models.Model):
    """The trace of a merge: who merged what into what, and what the absorbed record held."""

    class Objet(models.TextChoices):
        INDIVIDU = "individu", _("Individu")
        PROFIL = "profil", _("Profil")

    objet = models.CharField(max_length=10, choices=Objet.choices)
    conserve_id = models.PositiveBigIntegerField(_("fiche conservée"))
    absorbe_id = models.PositiveBigIntegerField(_("fiche absorbée"))
    absorbe_donnees = models.JSONField(_("données de la fiche absorbée"))
    deplacements = models.JSONField(_("liens déplacés"), default=dict)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fusion")
        verbose_name_plural = _("fusions")
        ordering = ["-le"]

    def __str__(self) -> str:
        return f"{self.get_objet_display()} {self.absorbe_id} → {self.conserve_id}"
