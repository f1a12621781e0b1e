"""The main menu as data: which pages each role reaches, grouped so the menu fits one line from 1400 px.

A group that leaves one page for this person is shown as a plain link; a group that leaves none is not
shown. `menu(access, slug)` gives what templates/includes/nav_links.html draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


def _anyone(access) -> bool:
    return True


def _governing_wg_or_admin(access) -> bool:
    return access.is_governing or access.is_working_group or access.is_admin


def _wg_or_admin(access) -> bool:
    return access.is_working_group or access.is_admin


def _partner(access) -> bool:
    return access.is_partner


def _partner_alone(access) -> bool:
    """Partners who are not also the Working Group (whose Review group holds My actions)."""
    return access.is_partner and not access.is_working_group


def _wg(access) -> bool:
    return access.is_working_group


def _partner_or_wg(access) -> bool:
    return access.is_partner or access.is_working_group


@dataclass(frozen=True)
class Page:
    label: str
    route: str
    shown_to: Callable = _anyone


@dataclass(frozen=True)
class Group:
    key: str  # the element id of its button: nav-<key>
    label: str
    pages: tuple[Page, ...]


MENU = (
    Page("Dashboard", "dashboard", _governing_wg_or_admin),
    Page("Working Group", "working_group_dashboard", _wg_or_admin),
    Page("My dashboard", "my_dashboard", _partner),
    Page("My actions", "my_work", _partner_alone),
    Group("plan", "Plan", (Page("Plans", "plan_list"), Page("Indicators", "indicator_list"))),
    Group(
        "review",
        "Review",
        (
            Page("Review queue", "review_queue", _wg),
            Page("My actions", "my_work", _wg),
            Page("Escalations", "escalations", _governing_wg_or_admin),
        ),
    ),
    Group("cycles", "Cycles & reports", (Page("Cycles", "cycle_list", _wg), Page("Reports", "report_list"))),
    Group("data", "Spreadsheets", (Page("Import", "import_start", _partner_or_wg), Page("Export", "export_index"))),
    Page("Search", "search"),
    Group(
        "partnership",
        "Partnership",
        (
            Page("People", "people_list", _wg_or_admin),
            Page("Settings", "settings_home", _wg_or_admin),
            Page("Open data", "opendata_page"),
        ),
    ),
)


def menu(access, slug: str) -> list[dict]:
    """[{"label", "url"} | {"key", "label", "links": [{"label", "url"}, ...]}] for this person, in order."""
    entries = []
    for entry in MENU:
        if isinstance(entry, Page):
            pages = [entry] if entry.shown_to(access) else []
        else:
            pages = [page for page in entry.pages if page.shown_to(access)]
        links = [{"label": page.label, "url": reverse(page.route, kwargs={"partnership": slug})} for page in pages]
        if isinstance(entry, Group) and len(links) > 1:
            entries.append({"key": entry.key, "label": entry.label, "links": links})
        else:
            entries.extend(links)
    return entries
