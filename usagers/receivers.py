from django.conf import settings

from usagers.services import connexion_enregistrer


def client_ip(request) -> str | None:
    if settings.GUICHET_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def record_login(sender, request, user, **kwargs):
    if request is None:  # logins outside a request (tests, shell) have no browser to note
        return
    connexion_enregistrer(
        user=user, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
    )
