"""Template helpers shared by every front-end (loaded with `{% load guichet %}`)."""

from django import template
from django.forms import BoundField

from usagers.services import navigateur_lisible

register = template.Library()

_GROUP_CLASSES = {
    "checkbox": "fr-checkbox-group",
    "radioselect": "fr-fieldset",
    "checkboxselectmultiple": "fr-fieldset",
    "select": "fr-select-group",
}
_INPUT_CLASSES = {"select": "fr-select", "checkbox": "", "radioselect": ""}


@register.filter
def dsfr_group_class(field: BoundField) -> str:
    return _GROUP_CLASSES.get(field.widget_type, "fr-input-group")


@register.filter
def dsfr_widget(field: BoundField) -> str:
    """The widget with DSFR classes, and its error message announced with it."""
    attrs = {}
    css = _INPUT_CLASSES.get(field.widget_type, "fr-input")
    if css:
        existing = field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{existing} {css}".strip()
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}-messages")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def navigateur(user_agent: str) -> str:
    """A raw User-Agent as a citizen reads it: "Firefox sur Windows"."""
    return navigateur_lisible(user_agent)
