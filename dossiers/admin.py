from django.contrib import admin
from django.db import models

from dossiers.models import Dispositif, LienDispositif, PieceAFournir, Thematique


@admin.register(Thematique)
class ThematiqueAdmin(admin.ModelAdmin):
    list_display = ["libelle", "slug", "icone", "ordre"]
    list_editable = ["ordre"]
    search_fields = ["libelle", "slug"]
    prepopulated_fields = {"slug": ["libelle"]}


class PieceAFournirInline(admin.TabularInline):
    model = PieceAFournir
    extra = 1


class LienDispositifInline(admin.TabularInline):
    model = LienDispositif
    extra = 1
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Dispositif)
class DispositifAdmin(admin.ModelAdmin):
    list_display = ["titre", "code", "actif", "publie_du", "publie_au", "ordre"]
    list_filter = ["actif", "thematiques", "types_profil", "depot_sans_compte"]
    search_fields = ["titre", "code", "resume", "mots_cles"]
    prepopulated_fields = {"slug": ["titre"]}
    filter_horizontal = ["thematiques", "types_profil"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PieceAFournirInline, LienDispositifInline]
    fieldsets = [
        (None, {"fields": ["titre", "slug", "code", "actif", "ordre", "illustration"]}),
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
        ("Publication", {"fields": ["publie_du", "publie_au", "created_at", "updated_at"]}),
    ]
