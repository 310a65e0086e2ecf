from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from dsfr.models import DsfrConfig

admin.site.site_header = _("Guichet — administration")
admin.site.site_title = _("Guichet — administration")
admin.site.index_title = _("Configuration")
# The header and footer take the authority's identity from settings, not from this model.
admin.site.unregister(DsfrConfig)


@require_safe
def health(request):
    """Liveness probe for the load balancer and docker-compose healthchecks."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", include("portal.urls")),
    path("compte/", include("portal.urls_compte")),
    path("crm/", include("crm.urls")),
    path("admin/", admin.site.urls),
    # Déclencheurs' signed webhooks (issue 8, I8; docs/webhooks.md)
    path("api/instruction/", include("instruction.urls")),
    path("sante/", health, name="health"),
]

handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
