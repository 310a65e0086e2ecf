from django import template

from notifications import selectors

register = template.Library()


@register.simple_tag
def notifications_non_lues(user) -> int:
    """The bell's count: one query, only on the pages whose header shows the bell."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return selectors.non_lues(user)
