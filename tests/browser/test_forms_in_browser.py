"""In Chromium: the character counter counts as the server does, and a double click sends a form once
(static/js/forms.js, issue 16)."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import ProgressUpdate
from tests.audit_entries import verbs
from tests.factories import PASSWORD, ActionFactory

from .drivers import Mouse

pytestmark = pytest.mark.browser

CASES = Path(__file__).parent.parent / "data" / "cases"


@pytest.fixture
def progress_page(world, transactional_db, live_server, page):
    action = ActionFactory(plan_priority=world.plan_priority, wording="Run the newsletter", leads=[world.own_org])
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill("partner")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(
        live_server.url + reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": action.pk})
    )
    return page, action


def test_counter_counts_a_line_break_as_one_and_warns_over_the_limit(progress_page):
    page, _ = progress_page
    text = (CASES / "20-textarea-20000-chars.txt").read_text(encoding="utf-8")
    box = page.get_by_label("Progress this period")
    counter = page.locator("#id_text-counter")
    expect(counter).to_have_text("0 of 20,000 characters (20,000 left).")
    box.fill(text)
    expect(counter).to_have_text("20,000 of 20,000 characters (0 left).")
    box.press("End")
    box.type("x")
    expect(counter).to_have_text("20,001 of 20,000 characters: 1 too many. Shorten it before saving.")
    expect(counter).to_have_class("form-text char-counter text-danger")
    assert len(box.input_value()) == 20_001  # nothing cut by the browser: the server gives the message


def test_a_double_click_on_submit_submits_once(progress_page):
    page, action = progress_page
    page.get_by_label("Progress this period").fill("Trained 40 staff.")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit to the Working Group").dblclick()
    expect(page.get_by_role("main")).to_contain_text("Submitted to the Working Group.")
    update = ProgressUpdate.objects.get(action=action)
    assert verbs(update) == ["create", "submit"]


def test_the_queue_heading_box_checks_every_item(world, live_server, page):
    """Issue 25: "select all" in the review queue (static/js/check-all.js)."""
    driver = Mouse(page, live_server.url)
    driver.sign_in(world.users["working_group"].username, PASSWORD)
    driver.visit(reverse("review_queue", kwargs={"partnership": world.partnership.slug}))
    items = page.locator("input[name=item]")
    every = page.get_by_label("Check every item on this page", exact=True)
    assert items.count() == 4  # the partnership's own and other organisation's update and reading
    every.check()
    for index in range(items.count()):
        expect(items.nth(index)).to_be_checked()
    items.first.uncheck()
    expect(every).not_to_be_checked()


def test_the_organisation_filter_narrows_the_list_and_says_how_many_are_shown(world, live_server, page):
    """Issue 25: the action form's filter box (static/js/checkbox-filter.js); ticked ones stay in view."""
    action = ActionFactory(plan_priority=world.plan_priority, wording="Run the patrols", leads=[world.own_org])
    driver = Mouse(page, live_server.url)
    driver.sign_in(world.users["working_group"].username, PASSWORD)
    driver.visit(reverse("action_edit", kwargs={"partnership": world.partnership.slug, "pk": action.pk}))
    leads = page.locator("input[name=leads]")
    status = page.locator(".checkbox-filter [aria-live=polite]").first
    expect(status).to_have_text("2 shown.")
    page.get_by_label("Filter lead organisations").fill("other")
    expect(status).to_have_text("2 of 2 shown (ticked ones always shown).")  # Own District Council is ticked
    page.get_by_label("Filter lead organisations").fill("nothing like it")
    expect(status).to_have_text("1 of 2 shown (ticked ones always shown).")
    expect(leads.nth(0)).to_be_visible()  # the ticked one, listed first
    expect(leads.nth(1)).to_be_hidden()


def test_enter_in_the_organisation_filter_does_not_send_the_action_form(world, live_server, page):
    """Issue 25: Enter in "Filter lead organisations" (static/js/checkbox-filter.js) filters and stays on the
    form; nothing is saved."""
    action = ActionFactory(plan_priority=world.plan_priority, wording="Run the patrols", leads=[world.own_org])
    driver = Mouse(page, live_server.url)
    driver.sign_in(world.users["working_group"].username, PASSWORD)
    address = reverse("action_edit", kwargs={"partnership": world.partnership.slug, "pk": action.pk})
    driver.visit(address)
    page.locator("textarea[name=wording]").fill("Run the patrols at night")
    box = page.get_by_label("Filter lead organisations")
    box.fill("other")
    box.press("Enter")
    page.wait_for_timeout(500)  # a submit would have started navigating by now
    expect(page.locator(".checkbox-filter [aria-live=polite]").first).to_have_text(
        "2 of 2 shown (ticked ones always shown)."
    )
    assert page.url == live_server.url + address
    assert page.get_by_label("Filter lead organisations").input_value() == "other"
    action.refresh_from_db()
    assert action.wording == "Run the patrols"
