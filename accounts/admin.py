from allauth.usersessions.admin import UserSessionAdmin as BaseUserSessionAdmin
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.forms import UserChangeAdminForm, UserCreationAdminForm
from accounts.models import Connexion, TableauDeBord, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_agent", "is_staff", "is_active"]
    list_filter = ["is_agent", "is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name"]}),
        (
            _("Accès"),
            {
                "fields": [
                    "is_active",
                    "is_agent",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                    "is_agent",
                    "is_staff",
                ],
            },
        )
    ]

    # Accounts — agents' included — are for administrators only (C7): a staff member
    # given the model permissions still gets 403.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Connexion)
class ConnexionAdmin(admin.ModelAdmin):
    list_display = ["le", "user", "ip", "navigateur"]
    list_filter = ["le"]
    search_fields = ["user__email", "ip"]
    readonly_fields = ["user", "le", "ip", "user_agent", "navigateur"]
    date_hierarchy = "le"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False


@admin.register(TableauDeBord)
class TableauDeBordAdmin(admin.ModelAdmin):
    """An agent's dashboard composition (C1): dashlet codes in order; the agent edits it
    in the CRM (« Personnaliser »), an admin may reset it by deleting it."""

    list_display = ["user", "modifie_le"]
    search_fields = ["user__email", "user__last_name"]
    list_filter = ["modifie_le"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


# allauth.usersessions searches `user__username`, which our User (login by email) lacks.
admin.site.unregister(UserSession)


@admin.register(UserSession)
class UserSessionAdmin(BaseUserSessionAdmin):
    search_fields = ["user__email", "ip"]
