from django import template

from csa_tracker.navigation import menu

register = template.Library()


@register.simple_tag
def main_menu(access):
    """The main menu's entries for this person (csa_tracker.navigation)."""
    return menu(access, access.partnership.slug)
