from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    return render(request, "portal/home.html")


@require_safe
def accessibility(request):
    return render(request, "portal/accessibility.html", {"page_title": _("Accessibilité")})


@require_safe
def legal(request):
    return render(request, "portal/legal.html", {"page_title": _("Mentions légales")})


@require_safe
def privacy(request):
    return render(request, "portal/privacy.html", {"page_title": _("Données personnelles")})
