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


def concepteur_required(view):
    """The builder (issue 5): agents with `dossiers.concevoir_formulaires` only."""

    @wraps(view)
    @agent_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("dossiers.concevoir_formulaires"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def gestionnaire_messages_required(view):
    """Mail and SMS templates, the mapping, the outbox (issue 6): agents with
    `notifications.gerer_modeles` only."""

    @wraps(view)
    @agent_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("notifications.gerer_modeles"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


__all__ = ["agent_required", "concepteur_required", "gestionnaire_messages_required"]
