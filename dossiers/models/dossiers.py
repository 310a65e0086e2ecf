"""Dossiers (F8): what a citizen files with a published form model.

A dossier keeps the form model version it was filed with; its data is a dict keyed by
the fields' technical names, as the field types store it (JSON). The reference is issued
at submission from a row-locked counter per dispositif and year, so it is never reused.

`statut` is the dossier's life cycle (draft, filed, closed); the instruction guide's
statuses (the instruction issue) come on top of it. Every change that matters to the
citizen or the agents is a line of `Historique`.
"""

from datetime import UTC, datetime

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Collate, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.expressions import CoordonneeDesDonnees
from common.models import TimeStampedModel
from dossiers.models.catalogue import Dispositif
from dossiers.models.formulaires import ModeleDossier

# « No échéance » for the list's sort key: after every real one.
SANS_ECHEANCE = datetime(9999, 12, 31, tzinfo=UTC)


class Classement(models.Model):
    """A node of the dossiers' classification (F8): up to four levels, e.g. « Culture »
    › « Spectacle vivant » › « Théâtre »; a dossier points to a node of any level."""

    NIVEAUX_MAX = 4

    libelle = models.CharField(_("libellé"), max_length=150)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("classement parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enfants",
    )
    niveau = models.PositiveSmallIntegerField(_("niveau"), default=1, editable=False)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    actif = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("classement")
        verbose_name_plural = _("classements")
        ordering = ["niveau", "ordre", "libelle"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "libelle"],
                nulls_distinct=False,
                name="classement_libelle_unique",
            ),
            models.CheckConstraint(
                condition=Q(niveau__gte=1, niveau__lte=4), name="classement_niveau_1_a_4"
            ),
        ]

    def __str__(self) -> str:
        return " › ".join(node.libelle for node in self.chemin())

    def save(self, *args, **kwargs):
        self.niveau = 1 if self.parent is None else self.parent.niveau + 1
        super().save(*args, **kwargs)

    def chemin(self) -> list["Classement"]:
        nodes, node = [], self
        while node is not None:
            nodes.append(node)
            node = node.parent
        return nodes[::-1]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        niveau = 1 if self.parent is None else self.parent.niveau + 1
        if niveau > self.NIVEAUX_MAX:
            raise ValidationError(
                {"parent": _("Un classement a quatre niveaux au plus.")}, code="niveau"
            )
        node = self.parent
        while node is not None:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError(
                    {"parent": _("Un classement ne peut pas être son propre parent.")},
                    code="cycle",
                )
            node = node.parent


# The journal (C11): every change of a dossier's row, who made it (pghistory's context,
# set by its middleware for requests) and the row after it, written by triggers so that
# no code path escapes it. The time stamps are left out (an update touching nothing else
# writes no event), and so are the hashed secrets of the filing without an account.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="DossierEvent",
    exclude=[
        "created_at",
        "updated_at",
        "verification_suivi",
        "cle_rattachement",
        "latitude",
        "longitude",
        "tri_echeance",
        "tri_avancement",
        "tri_statut",
    ],
)
class Dossier(TimeStampedModel):
    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        DEPOSE = "depose", _("Déposé")
        CLOS = "clos", _("Clôturé")

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
    clos_le = models.DateTimeField(_("clôturé le"), null=True, blank=True)
    # Who benefits (an adult, a child or a contact of the référentiel), when not the
    # demandeur; and whether it was filed for somebody else (P7).
    beneficiaire = models.ForeignKey(
        "usagers.Individu",
        verbose_name=_("bénéficiaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers_beneficiaire",
    )
    pour_autrui = models.BooleanField(_("déposé pour le compte d’un tiers"), default=False)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent chargé du dossier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers_attribues",
    )
    classement = models.ForeignKey(
        Classement,
        verbose_name=_("classement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    prioritaire = models.BooleanField(_("prioritaire"), default=False)
    urgent = models.BooleanField(_("urgent"), default=False)
    signale = models.BooleanField(_("signalé"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("dossier parent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enfants",
    )
    doublon = models.BooleanField(_("doublon"), default=False)
    doublon_de = models.ForeignKey(
        "self",
        verbose_name=_("doublon de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="doublons",
    )
    # Sectorised from its address at filing (C8, dossiers.services_territoires); agents
    # assigned to territoires see only theirs. Indexed with the list's order for the
    # scoped list (`territoire_id IN (…)`), hence no separate FK index.
    territoire = models.ForeignKey(
        "dossiers.Territoire",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
        db_index=False,
    )
    # Filed without an account (P6, F14): the address the follow link went to, the
    # tracking code with the verification value asked beside it, and the attach key
    # (only its hash is kept; the citizen has the key from the mail).
    email_suivi = models.EmailField(_("adresse de suivi (dépôt sans compte)"), blank=True)
    code_suivi = models.CharField(_("code de suivi"), max_length=20, blank=True, editable=False)
    verification_suivi = models.CharField(max_length=128, blank=True, editable=False)
    cle_rattachement = models.CharField(max_length=128, blank=True, editable=False)
    rattache_le = models.DateTimeField(_("rattaché à un compte le"), null=True, blank=True)
    # Change detection (F10): modifications by the usager after filing.
    modifications_usager = models.PositiveIntegerField(
        _("modifications par l’usager"), default=0, editable=False
    )
    modifie_par_usager_le = models.DateTimeField(
        _("dernière modification par l’usager"), null=True, blank=True, editable=False
    )
    # Where the dossier is (the map, C9): the first geolocated address of its data, kept
    # by PostgreSQL itself from `donnees`, so every write path (filing, agent edits,
    # imports) fills it and existing rows were filled by the migration.
    latitude = models.GeneratedField(
        expression=CoordonneeDesDonnees("donnees", axe="lat"),
        output_field=models.FloatField(),
        db_persist=True,
    )
    longitude = models.GeneratedField(
        expression=CoordonneeDesDonnees("donnees", axe="lon"),
        output_field=models.FloatField(),
        db_persist=True,
    )
    # Routing and labels (C14): the team the dossier is routed to, its labels.
    equipe = models.ForeignKey(
        "dossiers.Equipe",
        verbose_name=_("équipe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    etiquettes = models.ManyToManyField(
        "dossiers.Etiquette", verbose_name=_("étiquettes"), blank=True, related_name="dossiers"
    )
    # The trash (C14): a trashed dossier vanishes from every agent's and citizen's
    # query until restored, or deleted for good (by hand or after GUICHET_CORBEILLE_JOURS).
    supprime_le = models.DateTimeField(_("mis à la corbeille le"), null=True, blank=True)
    supprime_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mis à la corbeille par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The CRM list's « Échéance » and « Étape / statut » sorts (dossiers.liste): copies of
    # the guide's state (instruction.services keeps them) on the dossier's own row, never
    # NULL, so that keyset paging walks an index at any depth instead of sorting a join.
    # Not journalled: they only repeat SuiviInstruction.
    tri_echeance = models.DateTimeField(editable=False, default=SANS_ECHEANCE)
    tri_avancement = models.PositiveIntegerField(editable=False, default=0)
    # The guide's statut (instruction.Statut's id; NULL: no guide), the same copy for the
    # list's « Statut » and « Étape » filters: with the dispositif, one index
    # (dossier_liste_statut) gives the filtered list newest first, its keyset pages and
    # its count, without joining the suivi. A plain integer: dossiers sits below
    # instruction (docs/architecture.md), which keeps it (instruction.services).
    tri_statut = models.BigIntegerField(editable=False, null=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("instruire_dossiers", "Consulter et instruire les dossiers déposés"),
            ("supprimer_dossiers", "Supprimer des dossiers"),
            ("consulter_journal", "Consulter le journal des modifications des dossiers"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="dossier_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(statut="brouillon") | ~Q(reference=""),
                name="dossier_depose_a_une_reference",
            ),
            models.UniqueConstraint(
                fields=["code_suivi"], condition=~Q(code_suivi=""), name="dossier_code_suivi_unique"
            ),
        ]
        indexes = [
            # The citizen's lists (own dossiers, a profil's dossiers) newest first.
            models.Index(fields=["cree_par", "-updated_at"], name="dossier_cree_par_maj"),
            models.Index(fields=["demandeur_profil", "-updated_at"], name="dossier_profil_maj"),
            # « Mes dossiers » on the dashboard (C1): the agent's, newest first, read
            # straight from this index (the walk of depose_le's filtered by agent read
            # 7,778 pages at 1,000,000 dossiers for 8 rows: 115 with it)…
            models.Index(
                fields=["agent", "statut", "depose_le", "id"], name="dossier_agent_depose"
            ),
            # … and for an agent held to territoires (C8), their count and rows without
            # ANDing a bitmap of the territoire's 85,000 dossiers (422 pages → 94).
            models.Index(fields=["agent", "statut", "territoire"], name="dossier_agent_territoire"),
            # Search (C10): a reference typed whole or as its beginning, and any part of
            # it (« 000123 ») through trigrams; upper case as references are issued.
            models.Index(
                fields=["reference"],
                name="dossier_reference_prefixe",
                opclasses=["varchar_pattern_ops"],
            ),
            GinIndex(
                OpClass(Upper("reference"), name="gin_trgm_ops"), name="dossier_reference_trgm"
            ),
            # The map (C9): the dossiers in the visible box.
            models.Index(
                fields=["latitude", "longitude"],
                name="dossier_position",
                condition=Q(latitude__isnull=False),
            ),
            models.Index(fields=["equipe", "statut"], name="dossier_equipe_statut"),
            # The trash page and its purge read the few trashed rows only.
            models.Index(
                fields=["supprime_le"],
                condition=Q(supprime_le__isnull=False),
                name="dossier_corbeille",
            ),
            # The CRM list's sorts, each ending on the pk: keyset pagination seeks on
            # (sort key, pk) at any depth (dossiers.liste).
            models.Index(fields=["depose_le", "id"], name="dossier_liste_depose"),
            models.Index(fields=["reference", "id"], name="dossier_liste_reference"),
            models.Index(fields=["dispositif", "depose_le", "id"], name="dossier_liste_dispositif"),
            models.Index(fields=["tri_echeance", "id"], name="dossier_liste_echeance"),
            models.Index(fields=["tri_avancement", "id"], name="dossier_liste_avancement"),
            models.Index(
                fields=["dispositif", "tri_statut", "depose_le", "id"], name="dossier_liste_statut"
            ),
            # The same for an agent held to a territoire (C8): the page's ids and its
            # capped count read its rows only (6,275 pages each at 1,000,000 dossiers for
            # a quartier's 682 among a dispositif × statut's 6,684 → 34 and 689).
            models.Index(
                fields=["dispositif", "tri_statut", "territoire", "depose_le", "id"],
                name="dossier_liste_territoire",
            ),
            # The custom-field filter's « égal à » is a containment (@>) on the data.
            GinIndex(fields=["donnees"], opclasses=["jsonb_path_ops"], name="dossier_donnees_gin"),
            # The scoped CRM list (C7, C8): dispositif and territoire lists, newest first.
            models.Index(fields=["territoire", "-depose_le"], name="dossier_territoire_depose"),
            models.Index(fields=["dispositif", "-depose_le"], name="dossier_dispositif_depose"),
            # The quick search's reference prefix (C10), latest references first: byte
            # order serves both LIKE 'prefix%' and the ORDER BY whatever the database's
            # collation (dossiers.selectors_recherche).
            models.Index(Collate("reference", "C"), F("id"), name="dossier_reference_octets"),
            # The dashboard's « non attribués » counter of an agent held to territoires
            # (C1, C8): without it the capped count read the table until it had 1,001
            # matches (40,000 pages at 1,000,000 dossiers, 1,575 with it). Partial: only
            # unassigned dossiers (3 MB at 1,000,000), so assigning one leaves it.
            models.Index(
                fields=["territoire", "statut"],
                name="dossier_territoire_libre",
                condition=Q(agent__isnull=True, supprime_le__isnull=True),
            ),
            # Its « en retard » counter and list (I5) likewise: a territoire's late filed
            # dossiers by échéance, the dispositif in the index so that the capped count
            # reads the index alone (a scan of the table until 1,001 matches read 1,743
            # pages at 1,000,000 dossiers, 19 ms; 456 pages, 1 ms with it). Partial: filed
            # dossiers only, the only ones that can be late.
            models.Index(
                fields=["territoire", "tri_echeance", "dispositif"],
                name="dossier_territoire_retard",
                condition=Q(statut="depose", supprime_le__isnull=True),
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


class Historique(models.Model):
    """One line of a dossier's history (F8, P10, I4): who did what, when. `libelle` is
    the sentence shown; `visible_usager` lines also appear on the citizen's page;
    `details` keeps the facts (before/after values of a correction, the status codes…)."""

    class Nature(models.TextChoices):
        CREATION = "creation", _("Création")
        DEPOT = "depot", _("Dépôt")
        MODIFICATION = "modification", _("Modification par l’usager")
        CORRECTION = "correction", _("Correction")
        STATUT = "statut", _("Changement de statut")
        ATTRIBUTION = "attribution", _("Attribution")
        JUSTIFICATIF = "justificatif", _("Justificatif")
        MESSAGE = "message", _("Message")
        DOCUMENT = "document", _("Document")
        RATTACHEMENT = "rattachement", _("Rattachement à un compte")
        PARTAGE = "partage", _("Partage")
        TRANSFERT = "transfert", _("Transfert")
        LIEN = "lien", _("Dossiers liés")
        ETIQUETTE = "etiquette", _("Étiquettes")
        CORBEILLE = "corbeille", _("Corbeille")
        AUTRE = "autre", _("Autre")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="historique")
    quand = models.DateTimeField(_("date"), default=timezone.now, db_index=False)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices)
    libelle = models.CharField(_("libellé"), max_length=300)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    visible_usager = models.BooleanField(_("visible par l’usager"), default=False)

    class Meta:
        verbose_name = _("ligne d’historique")
        verbose_name_plural = _("historique")
        ordering = ["-quand", "-pk"]
        indexes = [models.Index(fields=["dossier", "-quand"], name="historique_dossier_quand")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.quand:%Y-%m-%d %H:%M} {self.libelle}"
