"""WCAG 2.2 AA in the browser: every page each role can open passes axe-core (no serious or critical
violation) at 320, 768, 1024, 1280 and 1440 px wide without scrolling sideways, has one h1, landmarks
and a skip link, and reflows at 400% zoom; forms say what is wrong and take you to the field.
Screenshots of every page at 390 and 1366 px go to test-artifacts/screenshots/<width>/<role>/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from csa_tracker.accounts.access import access_for
from reports.services import report_publish
from tests.conftest import ROLES
from tests.factories import PASSWORD, OrganisationFactory, PublishedUpdateFactory
from tests.url_matrix import MATRIX

from .checks import DESKTOP_WIDTH, WIDTHS, page_problems, screenshot, screenshots_at_widths, width_problems
from .drivers import Keyboard, Mouse

pytestmark = pytest.mark.browser

PAGE_CASES = ("own", "other_org")
# `page_problems` runs axe at the desktop width the browser opens with; the other widths are added here.
OTHER_WIDTHS = tuple(width for width in WIDTHS if width != DESKTOP_WIDTH)


def pages_for(world, role) -> dict[str, str]:
    """Every address in the URL matrix that answers this role's GET with 200, named for its screenshot.
    New rows (dashboards, reports) are scanned as soon as they are in the matrix."""
    pages = {}
    for name, row in MATRIX.items():
        if row.methods[0] != "get":
            continue
        for case in PAGE_CASES:
            if case in row.cases and row.status(case, role) == 200:
                url = reverse(name, kwargs=row.kwargs(world, case))
                pages.setdefault(url, name if case == "own" else f"{name}--{case}")
    return pages


def is_html(page, url: str) -> bool:
    """Downloads (CSV, PDF, spreadsheets) are checked by their own tests, not scanned as pages."""
    return page.request.get(url).headers.get("content-type", "").startswith("text/html")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_accessibility_checks_for_each_role(world, live_server, page, subtests, role):
    Mouse(page, live_server.url).sign_in(world.users[role].username, PASSWORD)
    pages = pages_for(world, role)
    assert pages, f"no page to scan for {role}"
    for url, name in pages.items():
        if not is_html(page, live_server.url + url):
            continue
        with subtests.test(msg=name, url=url):
            page.goto(live_server.url + url)
            screenshots_at_widths(page, str(role), name)
            problems = page_problems(page, f"{role}/{name}") + width_problems(page, f"{role}/{name}", OTHER_WIDTHS)
            assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("action_table", "layout"), [("lead_agency", "full"), ("lead_agency", "compact"), ("progress", "compact")]
)
def test_report_with_lead_agency_column_or_compact_layout_reflows_at_every_width(
    world, live_server, page, action_table, layout
):
    """Issue 27: the report with the lead-agency column scrolled sideways at 320 px (a table that scrolled
    inside a region that could not take focus). Its action tables now stack on phones, as every long
    table does, and its figures (chart, caption, table) sit side by side as the window allows."""
    world.plan.action_table, world.plan.report_layout = action_table, layout
    world.plan.save()
    # Kent's own names: long words that a column a fifth of a phone's width cannot hold.
    world.own_action.wording = "Commission and support the Domestic Homicide Review (DHR) process on behalf of CSPs"
    world.own_action.save()
    world.own_action.leads.add(
        OrganisationFactory(partnership=world.partnership, name="Kent and Medway Safeguarding Adults Board")
    )
    PublishedUpdateFactory(
        action=world.own_action, cycle=world.cycle, text="Multi-agency safeguarding awareness sessions delivered."
    )
    report, _ = report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    Mouse(page, live_server.url).sign_in(world.users["governing"].username, PASSWORD)
    page.goto(live_server.url + report.get_absolute_url())
    name = f"governing/report-{action_table}-{layout}"
    screenshots_at_widths(page, "governing", f"report-{action_table}-{layout}")
    problems = page_problems(page, name) + width_problems(page, name, OTHER_WIDTHS)
    assert not problems, "\n".join(problems)
    page.set_viewport_size({"width": 320, "height": 900})
    # On a phone each action is a card: its wording first, then every column labelled with its heading.
    progress = page.locator(".report-actions td[data-label='Progress']").first
    assert progress.evaluate("cell => getComputedStyle(cell).display") == "block"


def test_sign_in_page_and_its_error_pass_accessibility_checks(world, live_server, page):
    driver = Mouse(page, live_server.url)
    driver.visit("/accounts/login/")
    screenshot(page, "anonymous", "login")
    assert page_problems(page, "anonymous/login") == []
    driver.fill("Username", "partner")
    driver.fill("Password", "not the password")
    driver.press("Sign in")
    expect(page.locator("#error-summary")).to_contain_text("did not match")
    screenshot(page, "anonymous", "login-error")
    assert page_problems(page, "anonymous/login-error") == []


def test_skip_link_is_the_first_stop_and_takes_focus_to_the_main_content(world, live_server, page):
    driver = Keyboard(page, live_server.url)
    driver.sign_in(world.users["partner"].username, PASSWORD)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "Tab after the skip link left main"


def decide_without_choosing(driver):
    driver.tick("Also escalate to the governing group")
    driver.press("Record decision")


def correct_without_text_or_reason(driver):
    driver.fill("Progress this period", "")
    driver.press("Publish correction")


# Page, its item, and how to get two errors there; the correction page has two forms but one summary.
FORMS_WITH_ERRORS = {
    "review_update": ("submitted_updates", decide_without_choosing),
    "update_correct": ("published_updates", correct_without_text_or_reason),
}


@pytest.mark.parametrize("name", FORMS_WITH_ERRORS)
def test_error_summary_takes_focus_and_links_each_problem_to_its_field(world, live_server, page, name):
    items, make_errors = FORMS_WITH_ERRORS[name]
    driver = Mouse(page, live_server.url)
    driver.sign_in(world.users["working_group"].username, PASSWORD)
    driver.visit(reverse(name, kwargs={"partnership": world.partnership.slug, "pk": getattr(world, items)["own"].pk}))
    make_errors(driver)
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    assert page_problems(page, f"working_group/{name}-errors") == []
    for index in range(2):
        target = links.nth(index).get_attribute("href")
        links.nth(index).click()
        assert "#" + page.evaluate("document.activeElement.id") == target
        expect(page.locator(target)).to_have_attribute("aria-invalid", "true")


def test_the_checks_catch_a_page_with_known_problems(page):
    """Guards the checker itself: a page breaking each rule is reported on each count."""
    page.set_content(
        '<html><body><h1>One</h1><h1>Two</h1><img src="x.png">'
        '<div class="error-summary"><a href="#nowhere">Name: required</a></div>'
        '<canvas></canvas><div style="width: 900px">wide</div></body></html>'
    )
    problems = "\n".join(page_problems(page, "self-test/known-problems"))
    for expected in (
        "image-alt (critical)",
        "2 h1 elements",
        "no single <main id=main>",
        "not the skip link",
        "Name: required has no field",
        "a chart without",
        "at 320px wide",
    ):
        assert expected in problems
