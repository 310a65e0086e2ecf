"""Configuration of the guides d'instruction in the Django admin (the CRM builder is
crm/guides/): a guide's versions, a version's étapes and statuts, a statut's actions.
Only a draft's parts are editable: a published or archived version is read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from instruction import actions, services
from instruction.models import (
    ActionStatut,
    CasTest,
    ChangementStatut,
    Declencheur,
    DemandeCorrection,
    Etape,
    Guide,
    LigneLot,
    Lot,
    Minuteur,
    PassageCasTest,
    Statut,
    SuiviInstruction,
    VersionGuide,
)


class BrouillonSeulementMixin:
    """The parts of a published or archived version are read-only: dossiers follow it
    (as the builder's services, instruction.services_guide, refuse to change them)."""

    @staticmethod
    def _modifiable(obj) -> bool:
        if obj is None:
            return True
        if isinstance(obj, Minuteur):
            obj = obj.statut
        version = obj if isinstance(obj, VersionGuide) else obj.version
        return version.etat == VersionGuide.Etat.BROUILLON

    def has_change_permission(self, request, obj=None):
        return self._modifiable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._modifiable(obj) and super().has_delete_permission(request, obj)


class BrouillonSeulementInlineMixin(BrouillonSeulementMixin):
    def has_add_permission(self, request, obj=None):
        return self._modifiable(obj) and super().has_add_permission(request, obj)


class VersionGuideInline(admin.TabularInline):
    model = VersionGuide
    extra = 0
    fields = ["numero", "etat", "publiee_le"]
    readonly_fields = ["etat", "publiee_le"]
    show_change_link = True


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["dispositif", "updated_at"]
    search_fields = ["dispositif__titre", "dispositif__code"]
    inlines = [VersionGuideInline]
    autocomplete_fields = ["dispositif"]


class EtapeInline(BrouillonSeulementInlineMixin, admin.TabularInline):
    model = Etape
    extra = 0
    fields = ["ordre", "libelle", "couleur", "duree_cible", "aide"]
    show_change_link = True


@admin.register(VersionGuide)
class VersionGuideAdmin(admin.ModelAdmin):
    list_display = ["guide", "numero", "etat", "publiee_le"]
    list_filter = ["etat"]
    search_fields = ["guide__dispositif__titre"]
    readonly_fields = ["etat", "publiee_le"]
    inlines = [EtapeInline]
    actions = ["publier", "publier_forcer", "copier"]

    def get_inlines(self, request, obj):
        # Déclencheurs (defined below) once the version exists: their targets are its statuts.
        return [EtapeInline, DeclencheurInline] if obj is not None else [EtapeInline]

    @admin.action(description=_("Publier la version sélectionnée"))
    def publier(self, request, queryset, forcer=False):
        for version in queryset:
            try:
                services.version_publier(version=version, par=request.user, forcer=forcer)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("%(v)s publiée.") % {"v": version})

    @admin.action(description=_("Publier malgré les cas de test en échec"))
    def publier_forcer(self, request, queryset):
        self.publier(request, queryset, forcer=True)

    @admin.action(description=_("Créer un nouveau brouillon à partir de la version"))
    def copier(self, request, queryset):
        for version in queryset:
            copie = services.version_copier(version=version)
            self.message_user(request, _("%(v)s créée.") % {"v": copie})


class StatutInline(BrouillonSeulementInlineMixin, admin.StackedInline):
    model = Statut
    extra = 0
    fields = [
        ("ordre", "code", "couleur", "icone"),
        ("libelle", "libelle_usager", "libelle_bouton"),
        ("initial", "avance", "cloture", "masque"),
        ("visible_partenaires", "modifiable_usager", "motif_obligatoire"),
    ]
    show_change_link = True


@admin.register(Etape)
class EtapeAdmin(BrouillonSeulementMixin, admin.ModelAdmin):
    list_display = ["libelle", "version", "ordre", "couleur", "duree_cible"]
    list_filter = ["version__guide"]
    search_fields = ["libelle", "version__guide__dispositif__titre"]
    inlines = [StatutInline]


class ActionStatutForm(forms.ModelForm):
    type = forms.ChoiceField(label=_("Type"), choices=())

    class Meta:
        model = ActionStatut
        fields = ["ordre", "type", "config"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = actions.choix()


class ActionStatutInline(BrouillonSeulementInlineMixin, admin.TabularInline):
    model = ActionStatut
    form = ActionStatutForm
    extra = 0


class MinuteurInline(BrouillonSeulementInlineMixin, admin.TabularInline):
    """Timers (I8): the statut changes by itself after a delay. Part of the guide's
    version like its actions: changed on a draft, which publishing puts in force."""

    model = Minuteur
    fk_name = "statut"
    extra = 0
    fields = [
        "libelle",
        "delai",
        "unite",
        "depart",
        "champ",
        "cible",
        "vers_precedent",
        "motif",
        "actif",
    ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # Targets of the same guide version only (Minuteur.clean says so too).
            formset.form.base_fields["cible"].queryset = Statut.objects.filter(
                version_id=obj.version_id
            ).exclude(pk=obj.pk)
        return formset


@admin.register(Statut)
class StatutAdmin(BrouillonSeulementMixin, admin.ModelAdmin):
    list_display = ["libelle", "code", "etape", "version", "initial", "cloture", "masque"]
    list_filter = ["initial", "cloture", "masque", "modifiable_usager", "version__guide"]
    search_fields = ["code", "libelle", "libelle_usager"]
    filter_horizontal = ["suivants"]
    inlines = [ActionStatutInline, MinuteurInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "suivants" in form.base_fields:
            # Only statuts of the same guide version.
            form.base_fields["suivants"].queryset = Statut.objects.filter(
                version_id=obj.version_id
            ).exclude(pk=obj.pk)
        return form


@admin.register(SuiviInstruction)
class SuiviInstructionAdmin(admin.ModelAdmin):
    """Read-only: a dossier's statut changes through change_status (the CRM tab)."""

    list_display = ["dossier", "statut", "entre_le"]
    list_filter = ["version__guide"]
    search_fields = ["dossier__reference"]
    readonly_fields = ["dossier", "version", "statut", "entre_le", "etape_entree_le"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangementStatut)
class ChangementStatutAdmin(admin.ModelAdmin):
    list_display = ["dossier", "de", "vers", "par", "le"]
    search_fields = ["dossier__reference", "motif"]
    readonly_fields = ["dossier", "de", "vers", "par", "motif", "le"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Minuteur)
class MinuteurAdmin(BrouillonSeulementMixin, admin.ModelAdmin):
    list_display = ["libelle", "statut", "delai", "unite", "depart", "cible", "actif"]
    list_filter = ["actif", "depart", "unite", "statut__version__guide"]
    search_fields = ["libelle", "statut__libelle", "statut__code", "champ"]
    list_select_related = ["statut", "cible"]
    autocomplete_fields = ["statut", "cible"]


@admin.register(Declencheur)
class DeclencheurAdmin(admin.ModelAdmin):
    """Global actions (I8). The webhook's secret is shown once, when created or
    regenerated (an admin action); otherwise only its first characters."""

    list_display = ["libelle", "code", "version", "cible", "manuel", "webhook"]
    list_filter = ["manuel", "webhook", "version__guide"]
    search_fields = ["libelle", "code", "version__guide__dispositif__titre"]
    readonly_fields = ["secret_masque", "adresse_webhook"]
    fields = [
        "version",
        "code",
        "libelle",
        "cible",
        "vers_precedent",
        "champs",
        "motif",
        "manuel",
        "webhook",
        "adresse_webhook",
        "secret_masque",
    ]
    actions = ["regenerer_secret"]

    @admin.display(description=_("secret du webhook"))
    def secret_masque(self, obj):
        if not obj.pk:
            return _("Créé à l’enregistrement et affiché une seule fois.")
        return f"{obj.secret[:6]}…"

    @admin.display(description=_("adresse du webhook"))
    def adresse_webhook(self, obj):
        if not obj.pk:
            return "—"
        return reverse("instruction:webhook", args=[obj.code])

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "cible" in form.base_fields:
            form.base_fields["cible"].queryset = Statut.objects.filter(version_id=obj.version_id)
        return form

    def save_model(self, request, obj, form, change):
        cree = obj.pk is None
        super().save_model(request, obj, form, change)
        if cree:
            self._montrer_secret(request, obj)

    def _montrer_secret(self, request, obj):
        self.message_user(
            request,
            _("Secret du webhook « %(d)s » (notez-le, il ne sera plus affiché) : %(s)s")
            % {"d": obj.libelle, "s": obj.secret},
            messages.WARNING,
        )

    @admin.action(description=_("Régénérer le secret du webhook"))
    def regenerer_secret(self, request, queryset):
        for declencheur in queryset:
            declencheur.regenerer_secret()
            declencheur.save(update_fields=["secret", "updated_at"])
            self._montrer_secret(request, declencheur)


class DeclencheurInline(admin.TabularInline):
    """Listed on their version; created on their own page (which shows the secret)."""

    model = Declencheur
    extra = 0
    fields = ["code", "libelle", "cible", "manuel", "webhook"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class PassageCasTestInline(admin.TabularInline):
    model = PassageCasTest
    extra = 1
    fields = ["ordre", "statut", "motif", "refus_attendu", "actions", "messages", "suivi", "champs"]


@admin.register(CasTest)
class CasTestAdmin(admin.ModelAdmin):
    """Guide test cases (I9); the CRM screens (crm/guides_essais) do the same with a
    report per passage."""

    list_display = ["nom", "version", "demandeur", "reussi", "lance_le"]
    list_filter = ["reussi", "demandeur", "version__etat"]
    search_fields = ["nom", "version__guide__dispositif__titre"]
    list_select_related = ["version__guide__dispositif"]
    autocomplete_fields = ["version"]
    readonly_fields = ["lance_le", "reussi", "rapport"]
    inlines = [PassageCasTestInline]
    actions = ["lancer"]

    @admin.action(description=_("Lancer les cas de test sélectionnés"))
    def lancer(self, request, queryset):
        from instruction.essais import cas_executer

        for cas in queryset.select_related("version__guide__dispositif"):
            rapport = cas_executer(cas, par=request.user)
            self.message_user(
                request,
                (_("« %(cas)s » réussi.") if rapport.reussi else _("« %(cas)s » en échec."))
                % {"cas": cas},
                messages.SUCCESS if rapport.reussi else messages.ERROR,
            )


@admin.register(DemandeCorrection)
class DemandeCorrectionAdmin(admin.ModelAdmin):
    """Read-only: requests are made and answered in the CRM and on the portal (I10)."""

    list_display = ["dossier", "etat", "created_at", "demandee_par", "echeance", "repondue_le"]
    list_filter = ["etat", "dossier__dispositif"]
    search_fields = ["dossier__reference", "motif"]
    readonly_fields = [
        "dossier",
        "etat",
        "champs",
        "motif",
        "echeance",
        "demandee_par",
        "statut_avant",
        "statut_demande",
        "statut_retour",
        "repondue_le",
        "repondue_par",
        "changements",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Commissions and meetings (I6).
from instruction import admin_commissions  # noqa: E402, F401


class LigneLotInline(admin.TabularInline):
    """The lines still to do, ignored or failed (the done ones are counted on the lot's
    CRM page): a lot of thousands of dossiers stays readable here."""

    model = LigneLot
    verbose_name_plural = _("lignes à faire, ignorées ou en échec")
    fields = ["dossier", "etat", "message", "traitee_le"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    def get_queryset(self, request):
        return (
            super().get_queryset(request).exclude(etat=LigneLot.Etat.FAIT).select_related("dossier")
        )


@admin.register(Lot)
class LotAdmin(admin.ModelAdmin):
    """Read-only: lots are launched from the CRM list and run by a Celery task
    (instruction.services_lots); « Reprendre » is on their CRM page."""

    list_display = ["libelle", "sorte", "agent", "etat", "total", "created_at"]
    list_filter = ["sorte", "etat"]
    search_fields = ["libelle", "agent__email", "lignes__dossier__reference"]
    list_select_related = ["agent"]
    readonly_fields = [
        "sorte",
        "agent",
        "libelle",
        "params",
        "etat",
        "total",
        "introuvables",
        "erreur",
        "actif_le",
        "termine_le",
        "created_at",
    ]
    inlines = [LigneLotInline]

    def has_add_permission(self, request):
        return False
