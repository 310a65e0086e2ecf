"""Error pages in the DSFR look, for citizens and agents alike."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"page_title": _("Accès refusé")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {"page_title": _("Page introuvable")}, status=404)


def server_error(request):
    # No request context: the error may come from a context processor or the database.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
