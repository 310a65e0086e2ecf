import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from dossiers import services
from dossiers.couverture import ChampsCouvertureField, choix_couverture
from dossiers.models import (
    Champ,
    ChampReferentiel,
    Classement,
    CoEditeur,
    Dispositif,
    Dossier,
    Equipe,
    Etiquette,
    Export,
    Historique,
    InvitationDossier,
    JetonFlux,
    Justificatif,
    LienDispositif,
    Ligne,
    ListeReferentiel,
    MigrationDossier,
    MigrationVersion,
    ModeleDossier,
    Onglet,
    PieceAFournir,
    PreferenceResume,
    ProprietesVue,
    RegleRoutage,
    RegleTypeJustificatif,
    ResumeSuivi,
    SuiviAgent,
    Thematique,
    TransfertDossier,
    TypeJustificatif,
    ValeurListe,
    VersionJustificatif,
    VueListe,
)


class ImportModeleForm(forms.Form):
    fichier = forms.FileField(label=_("Fichier JSON exporté par Guichet"))

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError(_("Le fichier dépasse 2 Mo."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ValidationError(_("Ce fichier n’est pas un JSON valide.")) from None


@admin.register(Thematique)
class ThematiqueAdmin(admin.ModelAdmin):
    list_display = ["libelle", "slug", "icone", "ordre"]
    list_editable = ["ordre"]
    search_fields = ["libelle", "slug"]
    prepopulated_fields = {"slug": ["libelle"]}


class PieceAFournirInline(admin.TabularInline):
    model = PieceAFournir
    extra = 1
    autocomplete_fields = ["type_justificatif"]


class LienDispositifInline(admin.TabularInline):
    model = LienDispositif
    extra = 1
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class DispositifAdminForm(forms.ModelForm):
    champs_couverture = ChampsCouvertureField()

    class Meta:
        model = Dispositif
        fields = "__all__"  # noqa: DJ007 (the admin's own form: every field, as before)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["champs_couverture"].choices = choix_couverture(self.instance)


@admin.register(Dispositif)
class DispositifAdmin(admin.ModelAdmin):
    form = DispositifAdminForm
    list_display = ["titre", "code", "actif", "publie_du", "publie_au", "ordre"]
    list_filter = ["actif", "thematiques", "types_profil", "depot_sans_compte"]
    search_fields = ["titre", "code", "resume", "mots_cles"]
    prepopulated_fields = {"slug": ["titre"]}
    filter_horizontal = ["thematiques", "types_profil"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PieceAFournirInline, LienDispositifInline]
    change_form_template = "admin/dossiers/dispositif/change_form.html"

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/importer-modele/",
                self.admin_site.admin_view(self.importer_modele),
                name="dossiers_dispositif_importer_modele",
            )
        ]
        return urls + super().get_urls()

    def importer_modele(self, request, object_id):
        """F7: upload a form model exported from another instance into this dispositif's draft."""
        dispositif = get_object_or_404(Dispositif, pk=object_id)
        if not self.has_change_permission(request, dispositif):
            raise PermissionDenied
        form = ImportModeleForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                modele = services.modele_importer(
                    form.cleaned_data["fichier"], dispositif=dispositif, by=request.user
                )
            except ValidationError as error:
                form.add_error("fichier", error.messages)
            else:
                self.message_user(
                    request,
                    _("Modèle importé dans le brouillon (version %(v)s).") % {"v": modele.version},
                )
                return redirect("admin:dossiers_modeledossier_change", modele.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importer un modèle de dossier"),
            "dispositif": dispositif,
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/dossiers/dispositif/importer_modele.html", context)

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "titre",
                    "slug",
                    "code",
                    "actif",
                    "ordre",
                    "illustration",
                    "illustration_alt",
                ]
            },
        ),
        ("Catalogue", {"fields": ["resume", "mots_cles", "thematiques", "types_profil"]}),
        ("Fiche", {"fields": ["mode_operatoire", "eligibilite", "aide"]}),
        (
            "Contacts",
            {
                "fields": [
                    "contact_service",
                    "contact_email",
                    "contact_telephone",
                    "contact_horaires",
                ]
            },
        ),
        (
            "Dépôt",
            {
                "fields": [
                    "depot_avec_compte",
                    "depot_sans_compte",
                    "depot_pour_autrui",
                    "page_confirmation",
                ]
            },
        ),
        (
            "Brouillons, suivi et modifications",
            {
                "fields": [
                    "brouillon_duree",
                    "brouillons_max",
                    "suivi_verification",
                    "modifications_seuil",
                    "modifications_statut",
                ]
            },
        ),
        ("Publication", {"fields": ["publie_du", "publie_au", "created_at", "updated_at"]}),
    ]


# Form models -------------------------------------------------------------------------------


class FrozenWhenPublished:
    """Published versions are frozen: dossiers filed with them depend on them (F11)."""

    def _modele(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self._modele(obj).modifiable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self._modele(obj).modifiable:
            return False
        return super().has_delete_permission(request, obj)


class ValeurListeInline(admin.TabularInline):
    model = ValeurListe
    extra = 3


@admin.register(ListeReferentiel)
class ListeReferentielAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code"]
    search_fields = ["libelle", "code", "valeurs__libelle"]
    prepopulated_fields = {"code": ["libelle"]}
    inlines = [ValeurListeInline]


@admin.register(ChampReferentiel)
class ChampReferentielAdmin(admin.ModelAdmin):
    list_display = ["libelle", "nom", "type", "categorie", "liste"]
    list_filter = ["type", "categorie"]
    search_fields = ["nom", "libelle", "aide"]
    autocomplete_fields = ["liste"]


class OngletInline(admin.TabularInline):
    model = Onglet
    extra = 0
    fields = ["titre", "ordre"]
    show_change_link = True


class MigrationForm(forms.Form):
    """F11: one select per field of the source version: the target version's field that
    takes its values, or « Ne pas reprendre » (its values are archived)."""

    PREFIX = "champ_"

    def __init__(self, *args, source, cible, **kwargs):
        super().__init__(*args, **kwargs)
        self.cible = cible
        self.anciens = services.migration_champs(source)
        nouveaux = services.migration_champs(cible)
        choices = [("", _("Ne pas reprendre"))] + [
            (nom, f"{champ.libelle} ({nom}, {champ.type})") for nom, champ in nouveaux.items()
        ]
        defaut = services.migration_correspondance_defaut(source=source, cible=cible)
        for nom, champ in self.anciens.items():
            self.fields[f"{self.PREFIX}{nom}"] = forms.ChoiceField(
                label=f"{champ.libelle} ({nom}, {champ.type})",
                choices=choices,
                required=False,
                initial=defaut.get(nom) or "",
            )

    def correspondance(self) -> dict[str, str | None]:
        data = self.cleaned_data if self.is_bound else self.initial_mapping()
        return {nom: data.get(f"{self.PREFIX}{nom}") or None for nom in self.anciens}

    def initial_mapping(self) -> dict[str, str]:
        return {name: field.initial for name, field in self.fields.items()}

    def lignes(self, apercu: dict | None):
        archives = (apercu or {}).get("archives", {})
        for nom in self.anciens:
            yield self[f"{self.PREFIX}{nom}"], archives.get(nom)


@admin.register(ModeleDossier)
class ModeleDossierAdmin(admin.ModelAdmin):
    list_display = ["dispositif", "version", "statut", "publie_le", "publie_par"]
    list_filter = ["statut", "dispositif"]
    search_fields = ["dispositif__titre", "dispositif__code", "note_version"]
    readonly_fields = ["version", "statut", "publie_le", "publie_par", "created_at", "updated_at"]
    inlines = [OngletInline]
    actions = ["publier", "exporter", "deplacer_dossiers"]
    list_select_related = ["dispositif", "publie_par"]

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/deplacer-dossiers/",
                self.admin_site.admin_view(self.deplacer_dossiers_vue),
                name="dossiers_modeledossier_migrer",
            )
        ]
        return urls + super().get_urls()

    @admin.action(description=_("Déplacer les dossiers en cours vers une autre version"))
    def deplacer_dossiers(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choisissez une seule version."), messages.ERROR)
            return None
        return redirect("admin:dossiers_modeledossier_migrer", queryset.get().pk)

    def deplacer_dossiers_vue(self, request, object_id):
        """F11: map the fields of this version onto a newer one, see what would be
        archived, then move every dossier of this version."""
        source = get_object_or_404(ModeleDossier.objects.select_related("dispositif"), pk=object_id)
        if not (
            self.has_view_permission(request, source)
            and request.user.has_perm("dossiers.change_dossier")
        ):
            raise PermissionDenied
        cibles = list(services.migration_versions_cibles(source))
        wanted = request.POST.get("cible") or request.GET.get("cible")
        cible = next((c for c in cibles if str(c.pk) == wanted), cibles[0] if cibles else None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Déplacer les dossiers de la version %(v)s") % {"v": source.version},
            "opts": self.model._meta,
            "source": source,
            "cibles": cibles,
            "cible": cible,
        }
        if cible is not None:
            form = MigrationForm(
                request.POST if request.method == "POST" else None, source=source, cible=cible
            )
            apercu = None
            if not form.is_bound or form.is_valid():
                try:
                    if "confirmer" in request.POST:
                        migration = services.dossiers_migrer(
                            source=source,
                            cible=cible,
                            correspondance=form.correspondance(),
                            by=request.user,
                        )
                        return self._migration_faite(request, source, cible, migration)
                    apercu = services.migration_apercu(
                        source=source, cible=cible, correspondance=form.correspondance()
                    )
                except services.MigrationRefusee as refus:
                    form.add_error(None, refus.messages)
            context |= {"form": form, "apercu": apercu, "lignes": form.lignes(apercu)}
        return render(request, "admin/dossiers/migration_dossiers.html", context)

    def _migration_faite(self, request, source, cible, migration):
        if migration is None:
            self.message_user(
                request,
                _("Aucun dossier n’est sur la version %(v)s : rien à déplacer.")
                % {"v": source.version},
                messages.WARNING,
            )
            return redirect("admin:dossiers_modeledossier_changelist")
        self.message_user(
            request,
            _(
                "%(n)s dossier(s) déplacé(s) de la version %(source)s vers la version %(cible)s ; "
                "%(archives)s valeur(s) archivée(s)."
            )
            % {
                "n": migration.nombre,
                "source": source.version,
                "cible": cible.version,
                "archives": migration.valeurs_archivees,
            },
        )
        return redirect("admin:dossiers_migrationversion_change", migration.pk)

    @admin.action(description=_("Publier le brouillon sélectionné"))
    def publier(self, request, queryset):
        for modele in queryset:
            try:
                services.modele_publier(modele=modele, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("Version %(v)s publiée.") % {"v": modele.version})

    @admin.action(description=_("Exporter en JSON"))
    def exporter(self, request, queryset):
        modele = queryset.first()
        response = JsonResponse(
            services.modele_exporter(modele), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        filename = f"modele-{modele.dispositif.code.lower()}-v{modele.version}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class LigneInline(admin.TabularInline):
    model = Ligne
    extra = 0
    fields = ["ordre", "colonnes", "titre_section"]
    show_change_link = True


@admin.register(Onglet)
class OngletAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = ["titre", "modele", "ordre"]
    list_filter = ["modele__dispositif"]
    search_fields = ["titre", "modele__dispositif__titre"]
    inlines = [LigneInline]

    def _modele(self, obj):
        return obj.modele


class ChampInline(admin.StackedInline):
    model = Champ
    fk_name = "ligne"
    extra = 0
    fields = [
        "parent",  # set: a sub-field of that repeatable block (F12)
        "colonne",
        "ordre",
        "nom",
        "libelle",
        "type",
        "aide",
        "liste",
        "choix",
        "options",
        "condition",
        "prefill",
        "referentiel",
    ]
    autocomplete_fields = ["liste", "referentiel", "parent"]
    show_change_link = True


class SousChampForm(forms.ModelForm):
    def clean(self):
        donnees = super().clean()
        if self.instance.parent_id:  # a sub-field lives in its block's row
            self.instance.ligne_id = Champ.objects.get(pk=self.instance.parent_id).ligne_id
        return donnees


class SousChampInline(admin.StackedInline):
    """The sub-fields of a repeatable block (F12), on the block's change page."""

    model = Champ
    fk_name = "parent"
    form = SousChampForm
    extra = 0
    fields = ["ordre", "nom", "libelle", "type", "aide", "liste", "choix", "options", "condition"]
    autocomplete_fields = ["liste"]
    show_change_link = True
    verbose_name = _("sous-champ")
    verbose_name_plural = _("sous-champs du bloc répétable")


@admin.register(Ligne)
class LigneAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = ["__str__", "onglet", "ordre", "colonnes"]
    list_filter = ["onglet__modele__dispositif"]
    search_fields = ["titre_section", "onglet__titre"]
    inlines = [ChampInline]

    def _modele(self, obj):
        return obj.onglet.modele


class ProprietesVueInline(admin.TabularInline):
    model = ProprietesVue
    extra = 0
    max_num = 3


@admin.register(Champ)
class ChampAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = ["libelle", "nom", "type", "parent", "modele"]
    list_filter = ["type", "modele__dispositif"]
    search_fields = ["nom", "libelle"]
    autocomplete_fields = ["liste", "referentiel", "parent"]
    inlines = [ProprietesVueInline]
    list_select_related = ["modele__dispositif", "parent"]

    def get_inlines(self, request, obj):
        if obj is not None and obj.type == "bloc_repetable":
            return [*self.inlines, SousChampInline]
        return self.inlines

    def _modele(self, obj):
        return obj.modele


class ReadOnlyAdmin:
    """Records written by services only (F11 moves): read, never changed by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MigrationDossierInline(ReadOnlyAdmin, admin.TabularInline):
    """A dossier's moves between versions (F11): previous version, data and archive."""

    model = MigrationDossier
    fk_name = "dossier"
    extra = 0
    fields = ["migration", "modele_precedent", "statut", "donnees_precedentes", "archive"]
    readonly_fields = fields
    verbose_name_plural = _("changements de version")


class MigrationDossierLigneInline(ReadOnlyAdmin, admin.TabularInline):
    model = MigrationDossier
    fk_name = "migration"
    extra = 0
    fields = ["dossier", "statut", "donnees_precedentes", "archive"]
    readonly_fields = fields


@admin.register(MigrationVersion)
class MigrationVersionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["__str__", "source", "cible", "nombre", "valeurs_archivees", "par", "le"]
    list_filter = ["source__dispositif", "le"]
    search_fields = ["source__dispositif__titre", "source__dispositif__code"]
    list_select_related = ["source__dispositif", "cible__dispositif", "par"]
    fields = ["source", "cible", "correspondance", "par", "le", "nombre", "valeurs_archivees"]
    readonly_fields = fields
    inlines = [MigrationDossierLigneInline]


@admin.register(MigrationDossier)
class MigrationDossierAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["dossier", "migration", "modele_precedent", "statut"]
    list_filter = ["statut", "migration__source__dispositif"]
    search_fields = ["dossier__reference", "migration__source__dispositif__titre"]
    list_select_related = [
        "dossier",
        "migration__source",
        "migration__cible",
        "modele_precedent__dispositif",
    ]
    fields = [
        "migration",
        "dossier",
        "modele_precedent",
        "statut",
        "donnees_precedentes",
        "archive",
    ]
    readonly_fields = fields


class HistoriqueInline(ReadOnlyAdmin, admin.TabularInline):
    """A dossier's history (F8), written by the services only."""

    model = Historique
    extra = 0
    fields = ["quand", "nature", "libelle", "par", "visible_usager", "details"]
    readonly_fields = fields
    ordering = ["-quand", "-pk"]


@admin.register(Classement)
class ClassementAdmin(admin.ModelAdmin):
    """The dossiers' classification (F8): up to four levels."""

    list_display = ["__str__", "niveau", "ordre", "actif"]
    list_filter = ["niveau", "actif"]
    search_fields = ["libelle", "parent__libelle"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent__parent__parent"]
    fields = ["libelle", "parent", "ordre", "actif", "niveau"]
    readonly_fields = ["niveau"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers are filed on the portal and handled in the CRM."""

    inlines = [HistoriqueInline, MigrationDossierInline]  # F11: its moves between versions
    list_display = [
        "__str__",
        "dispositif",
        "statut",
        "demandeur_profil",
        "agent",
        "prioritaire",
        "urgent",
        "signale",
        "depose_le",
    ]
    list_filter = [
        "statut",
        "prioritaire",
        "urgent",
        "signale",
        "doublon",
        "pour_autrui",
        "dispositif",
        "classement",
        "equipe",
        "etiquettes",
        "territoire",
    ]
    search_fields = ["reference", "demandeur_individu__nom", "demandeur_profil__nom", "email_suivi"]
    list_select_related = ["dispositif", "demandeur_profil", "cree_par", "agent"]
    raw_id_fields = [
        "demandeur_individu",
        "demandeur_profil",
        "beneficiaire",
        "cree_par",
        "agent",
        "parent",
        "doublon_de",
    ]
    autocomplete_fields = ["classement"]
    readonly_fields = [
        "reference",
        "dispositif",
        "modele",
        "demandeur_individu",
        "demandeur_profil",
        "beneficiaire",
        "pour_autrui",
        "cree_par",
        "agent",
        "classement",
        "prioritaire",
        "urgent",
        "signale",
        "parent",
        "doublon",
        "doublon_de",
        "statut",
        "donnees",
        "etape_courante",
        "depose_le",
        "clos_le",
        "email_suivi",
        "rattache_le",
        "equipe",
        "etiquettes",
        "supprime_le",
        "supprime_par",
        "territoire",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Justificatifs (issue 7, P12) ------------------------------------------------------


class RegleTypeJustificatifInline(admin.TabularInline):
    model = RegleTypeJustificatif
    extra = 0


@admin.register(TypeJustificatif)
class TypeJustificatifAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "taille_max", "duree_validite", "visible_usager", "actif"]
    list_filter = ["actif", "visible_usager", "visible_partenaire"]
    search_fields = ["libelle", "code", "description"]
    prepopulated_fields = {"code": ["libelle"]}
    inlines = [RegleTypeJustificatifInline]


class VersionJustificatifInline(admin.TabularInline):
    model = VersionJustificatif
    fk_name = "justificatif"
    extra = 0
    can_delete = False
    fields = [
        "nom",
        "type_mime",
        "taille",
        "empreinte",
        "commentaire_usager",
        "depose_par",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Justificatif)
class JustificatifAdmin(admin.ModelAdmin):
    list_display = ["__str__", "type", "dossier", "profil", "statut", "obligatoire", "updated_at"]
    list_filter = ["statut", "type", "obligatoire", "visible_usager", "visible_partenaire"]
    search_fields = ["libelle", "type__libelle", "dossier__reference", "profil__nom"]
    list_select_related = ["type", "dossier", "profil"]
    raw_id_fields = ["dossier", "profil", "decide_par"]
    readonly_fields = ["recu_le", "decide_le", "created_at", "updated_at"]
    inlines = [VersionJustificatifInline]


# Who edits a dossier (F14): support looks up an invitation, a co-editor or a transfer.


@admin.register(InvitationDossier)
class InvitationDossierAdmin(admin.ModelAdmin):
    list_display = ["email", "dossier", "statut", "expire_le", "accepte_par"]
    list_filter = ["statut"]
    search_fields = ["email", "dossier__reference"]
    raw_id_fields = ["dossier", "invite_par", "accepte_par"]
    readonly_fields = ["token", "created_at", "updated_at"]
    date_hierarchy = "created_at"


@admin.register(CoEditeur)
class CoEditeurAdmin(admin.ModelAdmin):
    list_display = ["user", "dossier", "ajoute_le"]
    search_fields = ["user__email", "dossier__reference"]
    list_filter = ["dossier__dispositif"]
    raw_id_fields = ["dossier", "user", "invitation"]


@admin.register(TransfertDossier)
class TransfertDossierAdmin(admin.ModelAdmin):
    list_display = ["dossier", "email", "statut", "expire_le", "accepte_par"]
    list_filter = ["statut"]
    search_fields = ["email", "dossier__reference"]
    raw_id_fields = ["dossier", "par", "accepte_par"]
    readonly_fields = ["token", "created_at", "updated_at"]
    date_hierarchy = "created_at"


@admin.register(Export)
class ExportAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Export jobs (C12/C15): written by their task, read here to follow a failure;
    the daily purge deletes them with their files."""

    list_display = ["__str__", "agent", "format", "etat", "total", "faits", "termine_le"]
    list_filter = ["etat", "format", "created_at"]
    search_fields = ["agent__email", "agent__last_name", "nom_fichier"]
    list_select_related = ["agent"]
    fields = [
        "agent",
        "format",
        "source",
        "parametres",
        "etat",
        "total",
        "faits",
        "nom_fichier",
        "erreur",
        "created_at",
        "commence_le",
        "termine_le",
    ]
    readonly_fields = fields


@admin.register(JetonFlux)
class JetonFluxAdmin(admin.ModelAdmin):
    """Flow tokens (C12): created by their agent in the CRM (the secret is shown there
    once); here an administrator sees them and may revoke one (« révoqué le »)."""

    list_display = ["libelle", "agent", "debut", "created_at", "dernier_usage", "revoque_le"]
    list_filter = ["revoque_le", "created_at"]
    search_fields = ["libelle", "agent__email", "debut"]
    list_select_related = ["agent"]
    fields = ["agent", "libelle", "debut", "created_at", "dernier_usage", "revoque_le"]
    readonly_fields = ["agent", "libelle", "debut", "created_at", "dernier_usage"]

    def has_add_permission(self, request, obj=None):
        return False


# --- Routing and labels (C14) -------------------------------------------------------------


class RegleRoutageInline(admin.TabularInline):
    model = RegleRoutage
    fk_name = "equipe"
    extra = 0
    fields = [
        "ordre",
        "nom",
        "dispositif",
        "champ",
        "operateur",
        "valeur",
        "communes",
        "territoire",
        "agent",
    ]
    raw_id_fields = ["agent"]
    autocomplete_fields = ["territoire"]


@admin.register(Equipe)
class EquipeAdmin(admin.ModelAdmin):
    list_display = ["nom", "code", "active"]
    list_filter = ["active", "dispositifs"]
    search_fields = ["nom", "code", "description", "agents__email"]
    prepopulated_fields = {"code": ["nom"]}
    filter_horizontal = ["agents", "dispositifs"]
    inlines = [RegleRoutageInline]


@admin.register(RegleRoutage)
class RegleRoutageAdmin(admin.ModelAdmin):
    list_display = ["ordre", "nom", "dispositif", "champ", "operateur", "valeur", "equipe", "agent"]
    list_display_links = ["nom"]
    list_filter = ["active", "dispositif", "equipe", "territoire"]
    search_fields = ["nom", "champ", "valeur", "communes", "territoire__nom"]
    list_select_related = ["dispositif", "equipe", "agent", "territoire"]
    raw_id_fields = ["agent"]
    autocomplete_fields = ["territoire"]


@admin.register(Etiquette)
class EtiquetteAdmin(admin.ModelAdmin):
    list_display = ["libelle", "couleur", "active"]
    list_filter = ["active", "couleur"]
    search_fields = ["libelle", "description"]


@admin.register(SuiviAgent)
class SuiviAgentAdmin(admin.ModelAdmin):
    list_display = ["agent", "dossier", "depuis"]
    list_filter = ["depuis"]
    search_fields = ["agent__email", "dossier__reference"]
    list_select_related = ["agent", "dossier"]
    raw_id_fields = ["agent", "dossier"]


@admin.register(ResumeSuivi)
class ResumeSuiviAdmin(admin.ModelAdmin):
    """Read-only record of the digests sent (the daily task writes it)."""

    list_display = ["agent", "jour", "jusqu_au", "lignes"]
    list_filter = ["jour"]
    search_fields = ["agent__email"]
    readonly_fields = ["agent", "jour", "jusqu_au", "lignes"]

    def has_add_permission(self, request):
        return False


@admin.register(PreferenceResume)
class PreferenceResumeAdmin(admin.ModelAdmin):
    """Each agent chooses on « Mes dossiers suivis »; an admin can set it here too."""

    list_display = ["agent", "frequence", "modifiee_le"]
    list_filter = ["frequence"]
    search_fields = ["agent__email", "agent__last_name"]
    list_select_related = ["agent"]
    raw_id_fields = ["agent"]


@admin.register(VueListe)
class VueListeAdmin(admin.ModelAdmin):
    """Saved views of the CRM dossier list (C15): agents make them on the list; here an
    administrator renames, shares or removes them (e.g. an agent who left)."""

    list_display = ["nom", "agent", "partagee", "tri", "updated_at"]
    list_filter = ["partagee"]
    search_fields = ["nom", "agent__email", "agent__last_name"]
    raw_id_fields = ["agent"]
    readonly_fields = ["created_at", "updated_at"]


# Rights per dispositif and territories (issue 9, C7 and C8)
import dossiers.admin_droits  # noqa: E402, F401
