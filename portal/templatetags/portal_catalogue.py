"""Template helpers of the catalogue's pages (`{% load portal_catalogue %}`)."""

from pathlib import PurePosixPath

from django import template
from django.utils.safestring import mark_safe

from common.html import clean_html
from common.validators import format_phone

register = template.Library()


@register.filter
def html_propre(value: str | None) -> str:
    """Rich text written in the admin, cleaned again on the way out (it was on save):
    the allow-list of common/html.py, never a bare |safe."""
    return mark_safe(clean_html(value))  # noqa: S308 - nh3's output is safe by construction


@register.filter
def telephone(value: str | None) -> str:
    """+33612345678 → 06 12 34 56 78."""
    return format_phone(value or "")


@register.filter
def telephone_lien(value: str | None) -> str:
    """The number for a tel: link: digits and a leading +."""
    value = value or ""
    return ("+" if value.strip().startswith("+") else "") + "".join(c for c in value if c.isdigit())


@register.filter
def format_fichier(name: str | None) -> str:
    """ "catalogue/modeles/attestation.pdf" → "PDF" (what the DSFR download link shows)."""
    return PurePosixPath(name or "").suffix.lstrip(".").upper()
