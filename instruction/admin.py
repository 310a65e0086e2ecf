"""Configuration of the guides d'instruction in the Django admin (the CRM builder comes
later): a guide's versions, a version's étapes and statuts, a statut's actions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from instruction import actions, services
from instruction.models import (
    ActionStatut,
    CasTest,
    ChangementStatut,
    Etape,
    Guide,
    PassageCasTest,
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
    actions = ["publier", "publier_forcer", "copier"]

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
