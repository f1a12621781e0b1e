from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

from csa_tracker.accounts.access import Access
from csa_tracker.accounts.access import may_open as gate_lets_in
from csa_tracker.accounts.navigation import menu

register = template.Library()


@register.simple_tag
def main_menu(access, counts, here: str) -> SafeString:
    """The main menu's HTML for this person on the page at the path `here` (templates/includes/nav_links.html),
    with `counts` ({route: number}) beside pages. Which pages it offers depends on the roles alone
    (csa_tracker.accounts.navigation), so each menu is rendered once per process for its roles, partnership,
    counts and page, not on every request (issue 26)."""
    counts = tuple(sorted((counts or {}).items()))
    return _menu_html(access.roles_alone(), access.partnership.slug, counts, here, get_script_prefix())


@lru_cache(maxsize=1024)
def _menu_html(roles_alone: Access, slug: str, counts: tuple, here: str, script_prefix: str) -> SafeString:
    entries = menu(roles_alone, slug, dict(counts))
    return get_template("includes/nav_links.html").render({"entries": entries, "here": here})


@register.filter
def may_open(access, route: str) -> bool:
    """`{% if access|may_open:"plan_create" %}`: a link is shown only to people its page's gate lets in."""
    return access is not None and gate_lets_in(access, route)
