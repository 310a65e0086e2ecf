"""The CRM menu's entries that follow the agent's profils métier (C7), not only a django
permission (issue 9 — suivi9)."""

from django import template

from dossiers.selectors_droits import droits_sur_la_liste

register = template.Library()


@register.simple_tag
def peut_lancer_des_lots(user) -> bool:
    """« Lots »: « instruire » on at least one dispositif (the scope, read once per
    request and kept on the user: no query when the page already read it)."""
    if not user.has_perm("dossiers.instruire_dossiers"):
        return False
    return droits_sur_la_liste(user)["instruire"]
