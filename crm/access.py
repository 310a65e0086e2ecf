"""Who may enter the CRM: active agents only (the flag, never `is_superuser`)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


def agent_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("crm:login"))
        if not request.user.can_use_crm:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def agent_permission_required(permission: str):
    """An agent holding `permission` (a configuration right); other agents get 403."""

    def decorator(view):
        @wraps(view)
        @agent_required
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# The builder (issue 5).
concepteur_required = agent_permission_required("dossiers.concevoir_formulaires")
# Document templates (issue 6).
redacteur_required = agent_permission_required("editique.concevoir_modeles")
# Mail and SMS templates, the event mapping, the outbox (issue 6).
gestionnaire_messages_required = agent_permission_required("notifications.gerer_modeles")

__all__ = [
    "agent_permission_required",
    "agent_required",
    "concepteur_required",
    "gestionnaire_messages_required",
    "redacteur_required",
]
