"""Commissions and meetings (I6) in the Django admin. Commissions are configured here
(dispositifs, members, the statuts decisions lead to, the amount's field, the minutes'
template); séances are held in the CRM: their agenda and decisions are shown read-only
here, since a decision moves the dossier through the services only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from instruction.models import Commission, DocumentSeance, PointOrdreDuJour, Reunion, Seance


class SeanceInline(admin.TabularInline):
    model = Seance
    extra = 0
    fields = ["date", "lieu", "etat"]
    readonly_fields = ["etat"]
    show_change_link = True


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ["nom", "active", "statut_favorable", "statut_defavorable", "champ_montant"]
    list_filter = ["active", "dispositifs"]
    search_fields = ["nom", "membres", "dispositifs__titre"]
    filter_horizontal = ["dispositifs", "agents"]
    inlines = [SeanceInline]
    fieldsets = [
        (None, {"fields": ["nom", "active", "dispositifs", "membres", "agents"]}),
        (
            _("Effets d’une décision"),
            {"fields": ["statut_favorable", "statut_defavorable", "champ_montant", "modele_pv"]},
        ),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "agents":
            from accounts.models import User

            kwargs["queryset"] = User.objects.filter(is_agent=True, is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PointInline(admin.TabularInline):
    model = PointOrdreDuJour
    extra = 0
    fields = ["ordre", "dossier", "rapporteur", "avis_propose", "decision", "montant", "motivation"]
    readonly_fields = ["dossier", "decision", "montant", "motivation"]
    raw_id_fields = ["rapporteur"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # the agenda is built in the CRM (dossiers in scope, not closed)


class DocumentSeanceInline(admin.TabularInline):
    model = DocumentSeance
    extra = 0
    fields = ["titre", "nom", "type_mime", "taille", "depose_par", "created_at"]
    readonly_fields = ["nom", "type_mime", "taille", "depose_par", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False  # deposited in the CRM, where the file's type is checked


@admin.register(Seance)
class SeanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "commission", "date", "lieu", "etat"]
    list_filter = ["etat", "commission"]
    search_fields = ["commission__nom", "lieu", "points__dossier__reference"]
    date_hierarchy = "date"
    readonly_fields = ["etat", "pv_document", "close_le", "close_par"]
    inlines = [PointInline, DocumentSeanceInline]

    def has_change_permission(self, request, obj=None):
        # A closed séance is a record: nothing of it changes any more.
        return not (obj is not None and obj.close) and super().has_change_permission(request, obj)


@admin.register(Reunion)
class ReunionAdmin(admin.ModelAdmin):
    list_display = ["objet", "date", "lieu", "cree_par"]
    search_fields = ["objet", "lieu", "participants", "dossiers__reference"]
    list_filter = ["date"]
    date_hierarchy = "date"
    raw_id_fields = ["dossiers"]
