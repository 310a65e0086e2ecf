from django.contrib import admin
from django.db import models

from usagers.models import (
    AdressePrecedente,
    Fusion,
    Individu,
    Invitation,
    LienParente,
    Membre,
    NatureProfil,
    Profil,
    RoleMembre,
    TypeProfil,
)


class NatureProfilInline(admin.TabularInline):
    model = NatureProfil
    extra = 1


@admin.register(TypeProfil)
class TypeProfilAdmin(admin.ModelAdmin):
    list_display = [
        "libelle",
        "code",
        "public",
        "identifiant_requis",
        "personnel",
        "ordre",
        "actif",
    ]
    list_editable = ["ordre", "actif"]
    list_filter = ["actif", "identifiant_requis", "personnel"]
    search_fields = ["libelle", "code", "description"]
    prepopulated_fields = {"code": ["libelle"]}
    inlines = [NatureProfilInline]


@admin.register(NatureProfil)
class NatureProfilAdmin(admin.ModelAdmin):
    list_display = ["libelle", "type_profil", "ordre", "actif"]
    list_filter = ["type_profil", "actif"]
    search_fields = ["libelle"]


@admin.register(RoleMembre)
class RoleMembreAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "responsable", "ordre"]
    list_filter = ["responsable"]
    search_fields = ["libelle", "code"]


class MembreInline(admin.TabularInline):
    model = Membre
    extra = 0
    autocomplete_fields = ["individu", "profil"]


class AdressePrecedenteInline(admin.TabularInline):
    model = AdressePrecedente
    extra = 0
    fields = ["adresse", "code_postal", "commune", "remplacee_le"]
    readonly_fields = fields
    can_delete = False


class LienInline(admin.TabularInline):
    model = LienParente
    fk_name = "individu"
    extra = 0
    autocomplete_fields = ["apparente"]


@admin.register(Individu)
class IndividuAdmin(admin.ModelAdmin):
    list_display = [
        "nom",
        "prenom",
        "type_individu",
        "date_naissance",
        "email",
        "commune",
        "agent_referent",
    ]
    list_filter = [
        "type_individu",
        "civilite",
        ("user", admin.EmptyFieldListFilter),
        "agent_referent",
    ]
    search_fields = ["nom", "nom_usage", "prenom", "email", "telephone_mobile", "recherche"]
    autocomplete_fields = ["user", "agent_referent"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembreInline, LienInline, AdressePrecedenteInline]
    list_select_related = ["agent_referent"]
    date_hierarchy = "created_at"


@admin.register(Profil)
class ProfilAdmin(admin.ModelAdmin):
    list_display = ["nom", "type_profil", "nature", "siret", "rna", "commune", "personnel"]
    list_filter = ["type_profil", "nature", "personnel"]
    search_fields = ["nom", "sigle", "siret", "rna", "email", "recherche"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembreInline, AdressePrecedenteInline]
    list_select_related = ["type_profil", "nature"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Membre)
class MembreAdmin(admin.ModelAdmin):
    list_display = [
        "individu",
        "profil",
        "role",
        "autorite_parentale",
        "mode_garde",
        "regle_paiement",
    ]
    list_filter = ["role", "autorite_parentale", "mode_garde", "regle_paiement"]
    search_fields = ["individu__nom", "individu__prenom", "profil__nom"]
    autocomplete_fields = ["individu", "profil"]
    list_select_related = ["individu", "profil", "role"]


@admin.register(LienParente)
class LienParenteAdmin(admin.ModelAdmin):
    list_display = ["individu", "type_lien", "apparente"]
    list_filter = ["type_lien"]
    search_fields = ["individu__nom", "apparente__nom"]
    autocomplete_fields = ["individu", "apparente"]
    list_select_related = ["individu", "apparente"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "profil", "role", "statut", "expire_le", "invite_par"]
    list_filter = ["statut", "role"]
    search_fields = ["email", "profil__nom"]
    readonly_fields = ["token", "created_at", "decidee_le"]
    autocomplete_fields = ["profil"]
    list_select_related = ["profil", "role", "invite_par"]


@admin.register(Fusion)
class FusionAdmin(admin.ModelAdmin):
    list_display = ["le", "objet", "conserve_id", "absorbe_id", "par"]
    list_filter = ["objet"]
    search_fields = ["conserve_id", "absorbe_id"]
    readonly_fields = [f.name for f in Fusion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
