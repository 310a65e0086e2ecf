from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from editique import contextes, services
from editique.models import DocumentGenere, ModeleDocument, VersionModeleDocument


class ModeleDocumentForm(forms.ModelForm):
    """Checks the template against its context's variables on save (publishing refuses
    what remains; a draft with problems may still be saved, and is told why)."""

    class Meta:
        model = ModeleDocument
        fields = [
            "nom", "code", "description", "contexte", "cible", "actif", "corps", "entete",
            "pied", "orientation", "marge_mm", "logo", "archivage", "deposer_usager",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contexte"] = forms.ChoiceField(
            label=_("Contexte"),
            choices=contextes.choix_contextes(),
            help_text=ModeleDocument._meta.get_field("contexte").help_text,
        )
        self.fields["cible"] = forms.ChoiceField(
            label=_("Formulaire"),
            choices=contextes.choix_cibles(),
            required=False,
            help_text=ModeleDocument._meta.get_field("cible").help_text,
        )


class VersionInline(admin.TabularInline):
    model = VersionModeleDocument
    fields = ["numero", "publie_le", "publie_par", "orientation", "archivage"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ModeleDocument)
class ModeleDocumentAdmin(admin.ModelAdmin):
    form = ModeleDocumentForm
    list_display = ["nom", "code", "contexte", "cible", "orientation", "archivage", "actif"]
    list_filter = ["contexte", "orientation", "archivage", "deposer_usager", "actif"]
    search_fields = ["nom", "code", "description", "corps"]
    prepopulated_fields = {"code": ["nom"]}
    inlines = [VersionInline]
    actions = ["publier"]
    fieldsets = [
        (None, {"fields": ["nom", "code", "description", "contexte", "cible", "actif"]}),
        (_("Contenu"), {"fields": ["corps", "entete", "pied"]}),
        (
            _("Mise en page"),
            {"fields": ["orientation", "marge_mm", "logo", "archivage", "deposer_usager"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for partie, liste in services.problemes(obj).items():
            for probleme in liste:
                self.message_user(
                    request,
                    f"{dict(services.PARTIES)[partie]} — {probleme}",
                    messages.WARNING,
                )

    @admin.action(description=_("Publier les modèles sélectionnés"))
    def publier(self, request, queryset):
        for modele in queryset:
            try:
                version = services.modele_publier(modele=modele, par=request.user)
            except ValidationError as erreur:
                self.message_user(
                    request,
                    _("%(nom)s : publication refusée. %(raisons)s")
                    % {"nom": modele, "raisons": " ; ".join(erreur.messages)},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _("%(nom)s : version %(numero)s publiée.")
                    % {"nom": modele, "numero": version.numero},
                )


@admin.register(VersionModeleDocument)
class VersionModeleDocumentAdmin(admin.ModelAdmin):
    """Published versions are frozen: read only."""

    list_display = ["modele", "numero", "publie_le", "publie_par"]
    list_filter = ["modele"]
    search_fields = ["modele__nom", "modele__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DocumentGenere)
class DocumentGenereAdmin(admin.ModelAdmin):
    """Produced documents are records: read only, deleted only by retention rules."""

    list_display = ["titre", "modele", "version", "format", "cree_par", "created_at"]
    list_filter = ["format", "modele", "depose_usager"]
    search_fields = ["titre", "empreinte", "modele__nom"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
