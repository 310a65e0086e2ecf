from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from crm.access import agent_required
from crm.forms import AgentLoginForm
from notifications import selectors as selectors_notifications
from notifications import services as services_notifications


class AgentLoginView(auth_views.LoginView):
    template_name = "crm/login.html"
    authentication_form = AgentLoginForm
    redirect_authenticated_user = False
    next_page = reverse_lazy("crm:home")
    extra_context = {"page_title": gettext_lazy("Connexion agent")}


class AgentLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("crm:login")


@require_safe
@agent_required
def notifications(request):
    """The agent's in-app notices; those shown are marked read."""
    liste = services_notifications.notifications_consulter(request.user)
    context = {"page_title": _("Notifications"), "notifications": liste}
    return render(request, "crm/notifications.html", context)


@require_safe
@agent_required
def notifications_compteur(request):
    """htmx: the header's bell with the unread count."""
    context = {
        "url": reverse("crm:notifications"),
        "non_lues": selectors_notifications.non_lues(request.user),
    }
    return render(request, "notifications/includes/cloche_lien.html", context)
