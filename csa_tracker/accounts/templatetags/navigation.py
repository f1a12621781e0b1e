from django import template

from csa_tracker.accounts.access import may_open as gate_lets_in
from csa_tracker.accounts.navigation import menu

register = template.Library()


@register.simple_tag
def main_menu(access, counts=None):
    """The main menu's entries for this person (csa_tracker.accounts.navigation), with `counts` beside pages."""
    return menu(access, access.partnership.slug, counts)


@register.filter
def may_open(access, route: str) -> bool:
    """`{% if access|may_open:"plan_create" %}`: a link is shown only to people its page's gate lets in."""
    return access is not None and gate_lets_in(access, route)
