from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import services
from notifications.models import (
    Cadence,
    Correspondance,
    Message,
    ModeleMessage,
    Notification,
    Statut,
    Tentative,
)


class CorrespondanceInline(admin.TabularInline):
    model = Correspondance
    extra = 0


@admin.register(ModeleMessage)
class ModeleMessageAdmin(admin.ModelAdmin):
    list_display = ["nom", "canal", "evenement", "publie_le", "updated_at"]
    list_filter = ["canal", "evenement", ("publie_le", admin.EmptyFieldListFilter)]
    search_fields = ["nom", "sujet", "corps"]
    readonly_fields = ["sujet_publie", "corps_publie", "publie_le"]
    inlines = [CorrespondanceInline]
    actions = ["publier"]

    @admin.action(description=_("Publier les modèles choisis (après vérification)"))
    def publier(self, request, queryset):
        for modele in queryset:
            problemes = services.modele_publier(modele)
            if problemes:
                self.message_user(
                    request,
                    _("« %(nom)s » n’est pas publié : %(problemes)s")
                    % {"nom": modele.nom, "problemes": " ; ".join(p.texte for p in problemes)},
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("« %(nom)s » est publié.") % {"nom": modele.nom})


@admin.register(Correspondance)
class CorrespondanceAdmin(admin.ModelAdmin):
    list_display = ["evenement", "modele", "actif"]
    list_filter = ["actif", "evenement", "modele__canal"]
    search_fields = ["evenement", "modele__nom"]
    autocomplete_fields = ["modele"]


class TentativeInline(admin.TabularInline):
    model = Tentative
    extra = 0
    can_delete = False
    readonly_fields = ["numero", "debut", "fin", "resultat", "detail", "fournisseur_id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "canal", "destinataire", "sujet", "statut", "tentatives"]
    list_filter = ["statut", "canal", "evenement"]
    search_fields = ["destinataire", "sujet", "cle", "fournisseur_id", "objet_id"]
    date_hierarchy = "created_at"
    inlines = [TentativeInline]
    actions = ["relancer"]
    # The outbox is a record: what was sent is never edited after the fact.
    readonly_fields = [
        f.name for f in Message._meta.get_fields() if f.concrete and not f.many_to_many
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Relancer les messages en échec"))
    def relancer(self, request, queryset):
        echecs = list(queryset.filter(statut=Statut.ECHEC))
        for message in echecs:
            services.relancer(message)
        self.message_user(
            request,
            ngettext("%d message relancé.", "%d messages relancés.", len(echecs)) % len(echecs),
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "destinataire", "titre", "lue_le"]
    list_filter = [("lue_le", admin.EmptyFieldListFilter), "evenement"]
    search_fields = ["titre", "texte", "destinataire__email"]
    raw_id_fields = ["destinataire"]


@admin.register(Cadence)
class CadenceAdmin(admin.ModelAdmin):
    """The next free send slot of each channel (the pace itself is a setting)."""

    list_display = ["canal", "prochain_creneau"]
    list_filter = ["canal"]
    search_fields = ["canal"]

    def has_add_permission(self, request):
        return False  # the first slot taken creates the row; editing it resets the pace
