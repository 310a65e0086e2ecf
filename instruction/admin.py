"""Configuration of the guides d'instruction in the Django admin (the CRM builder comes
later): a guide's versions, a version's étapes and statuts, a statut's actions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from instruction import actions, services
from instruction.models import (
    ActionStatut,
    ChangementStatut,
    DemandeCorrection,
    Etape,
    Guide,
    Statut,
    SuiviInstruction,
    VersionGuide,
)


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


class EtapeInline(admin.TabularInline):
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
    actions = ["publier", "copier"]

    @admin.action(description=_("Publier la version sélectionnée"))
    def publier(self, request, queryset):
        for version in queryset:
            try:
                services.version_publier(version=version)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("%(v)s publiée.") % {"v": version})

    @admin.action(description=_("Créer un nouveau brouillon à partir de la version"))
    def copier(self, request, queryset):
        for version in queryset:
            copie = services.version_copier(version=version)
            self.message_user(request, _("%(v)s créée.") % {"v": copie})


class StatutInline(admin.StackedInline):
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
class EtapeAdmin(admin.ModelAdmin):
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


class ActionStatutInline(admin.TabularInline):
    model = ActionStatut
    form = ActionStatutForm
    extra = 0


@admin.register(Statut)
class StatutAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "etape", "version", "initial", "cloture", "masque"]
    list_filter = ["initial", "cloture", "masque", "modifiable_usager", "version__guide"]
    search_fields = ["code", "libelle", "libelle_usager"]
    filter_horizontal = ["suivants"]
    inlines = [ActionStatutInline]

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
