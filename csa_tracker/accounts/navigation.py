"""The main menu as data: the pages, grouped so the menu fits one line from 1400 px.

Each page is shown to whoever its page gate lets in (`access.may_open`: the capability named by the
view's `partnership_view`), so the menu never offers a page that answers 403. A group that leaves one
page for this person is shown as a plain link; a group that leaves none is not shown.
`menu(access, slug, counts)` gives what templates/includes/nav_links.html draws; `counts` ({route: number},
from the context processor `csa_tracker.notifications.context_processors.menu_counts`) puts a number
beside a page (unread notifications).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from csa_tracker.accounts.access import may_open
from csa_tracker.accounts.policies import show_my_actions_apart, shows_escalations_in_menu


def _anyone(access) -> bool:
    return True


@dataclass(frozen=True)
class Page:
    label: str
    route: str
    # Besides the page gate: whether this entry is the place the person finds the page. It may ask only
    # `access.can`: menus are rendered once per set of roles (templatetags.navigation.main_menu).
    shown_to: Callable = _anyone


@dataclass(frozen=True)
class Group:
    key: str  # the element id of its button: nav-<key>
    label: str
    pages: tuple[Page, ...]


def _not_in_review_group(access) -> bool:
    return show_my_actions_apart(access)


def _in_review_group(access) -> bool:
    return not show_my_actions_apart(access)


MENU = (
    Page("Dashboard", "dashboard"),
    Page("Working Group", "working_group_dashboard"),
    Page("My dashboard", "my_dashboard"),
    Page("My actions", "my_work", _not_in_review_group),
    Group("plan", "Plan", (Page("Plans", "plan_list"), Page("Indicators", "indicator_list"))),
    Group(
        "review",
        "Review",
        (
            Page("Review queue", "review_queue"),
            Page("My actions", "my_work", _in_review_group),
            Page("Escalations", "escalations", shows_escalations_in_menu),
        ),
    ),
    Group("cycles", "Cycles & reports", (Page("Cycles", "cycle_list"), Page("Reports", "report_list"))),
    Group("data", "Spreadsheets", (Page("Import", "import_start"), Page("Export", "export_index"))),
    Page("Search", "search"),
    Page("Notifications", "notification_list"),
    Group(
        "partnership",
        "Partnership",
        (
            Page("People", "people_list"),
            Page("Settings", "settings_home"),
            Page("Open data", "opendata_page"),
        ),
    ),
)


def _shown(access, page: Page) -> bool:
    return may_open(access, page.route) and page.shown_to(access)


def menu(access, slug: str, counts: dict | None = None) -> list[dict]:
    """[{"label", "url", "count"} | {"key", "label", "links": [{"label", "url", "count"}, ...]}] for this
    person, in order; "count" is `counts`' number for the page's route (0 when none)."""
    counts = counts or {}
    entries = []
    for entry in MENU:
        if isinstance(entry, Page):
            pages = [entry] if _shown(access, entry) else []
        else:
            pages = [page for page in entry.pages if _shown(access, page)]
        links = [
            {
                "label": page.label,
                "url": reverse(page.route, kwargs={"partnership": slug}),
                "count": counts.get(page.route, 0),
            }
            for page in pages
        ]
        if isinstance(entry, Group) and len(links) > 1:
            entries.append({"key": entry.key, "label": entry.label, "links": links})
        else:
            entries.extend(links)
    return entries
