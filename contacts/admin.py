from django.contrib import admin

from contacts.models import Contact, ModeleContact, PlanAction, Tache


@admin.register(ModeleContact)
class ModeleContactAdmin(admin.ModelAdmin):
    list_display = ("nom", "canal", "sens", "objet", "actif", "ordre")
    list_filter = ("canal", "sens", "actif")
    search_fields = ("nom", "objet")
    filter_horizontal = ("agents",)


class TacheInline(admin.TabularInline):
    model = Tache
    extra = 0
    fields = ("libelle", "echeance", "assignee", "faite", "faite_le", "faite_par", "notes")
    readonly_fields = ("faite_le", "faite_par")
    autocomplete_fields = ("assignee",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("quand", "canal", "sens", "objet", "statut", "created_by")
    list_filter = ("canal", "sens", "statut", "modele")
    search_fields = ("objet", "interlocuteur_libre", "individus__nom", "profils__nom")
    date_hierarchy = "quand"
    autocomplete_fields = ("individus", "profils", "agents", "created_by")
    raw_id_fields = ("dossiers",)
    list_select_related = ("created_by",)


@admin.register(PlanAction)
class PlanActionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "contact", "dossier", "created_at")
    search_fields = ("contact__objet", "dossier__reference")
    raw_id_fields = ("contact", "dossier")
    inlines = [TacheInline]


@admin.register(Tache)
class TacheAdmin(admin.ModelAdmin):
    list_display = ("libelle", "echeance", "assignee", "faite", "plan")
    list_filter = ("faite", "echeance")
    search_fields = ("libelle", "notes", "assignee__email")
    autocomplete_fields = ("assignee",)
    raw_id_fields = ("plan",)
    list_select_related = ("assignee", "plan")
