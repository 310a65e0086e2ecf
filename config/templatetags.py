"""Template helpers shared by every front-end (loaded with `{% load guichet %}`)."""

from django import template
from django.forms import BoundField
from django.utils.safestring import mark_safe

from common.html import clean_html
from config.forms import classe_de_groupe, widget_dsfr
from usagers.services import navigateur_lisible

register = template.Library()


@register.filter
def dsfr_group_class(field: BoundField) -> str:
    return classe_de_groupe(field.widget_type)


@register.filter
def dsfr_widget(field: BoundField) -> str:
    """The widget with DSFR classes, and its error message announced with it (the same
    code as the form renderer's fast path, config/forms.py)."""
    return widget_dsfr(field)


@register.filter
def navigateur(user_agent: str) -> str:
    """A raw User-Agent as a citizen reads it: "Firefox sur Windows"."""
    return navigateur_lisible(user_agent)


@register.filter
def html_propre(value: str | None) -> str:
    """Rich text (a tab's help…) as the portal's wizard shows it: cleaned again by the
    allow-list of common/html.py (portal_catalogue's filter), never a bare |safe."""
    return mark_safe(clean_html(value))  # noqa: S308 - nh3's output is safe by construction
