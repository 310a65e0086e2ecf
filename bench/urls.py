"""The project's URLs plus the reference of the web benchmark: a bare Django view that
goes through the same middleware and the same gunicorn as the pages measured."""

from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/ok/", ok),
    path("", include("config.urls")),
]

handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
