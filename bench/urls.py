"""The project's URLs plus the reference of the web benchmark: a bare Django view that
goes through the same middleware and the same gunicorn as the pages measured."""

from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    return HttpResponse("ok")


def ok_connecte(request):
    """The same, for a signed-in citizen: what any page of theirs costs before doing
    anything (the session and the account read, the connection's health check)."""
    return HttpResponse(f"ok {request.user.pk}")


urlpatterns = [
    path("bench/ok/", ok),
    path("bench/ok-connecte/", ok_connecte),
    path("", include("config.urls")),
]

handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
