"""Template helpers of the CRM référentiel screens (`{% load crm_referentiel %}`)."""

from django import template

from common.validators import format_phone

register = template.Library()


@register.filter
def telephone(value: str) -> str:
    """+33612345678 → 06 12 34 56 78."""
    return format_phone(value)
