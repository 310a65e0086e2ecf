"""Template filters of the commission screens (`{% load crm_commissions %}`)."""

from django import template

from common.gabarits import montant as montant_fr

register = template.Library()


@register.filter
def montant(valeur) -> str:
    """1500 → « 1 500,00 € »; None → « — »."""
    return montant_fr(valeur) or "—"
