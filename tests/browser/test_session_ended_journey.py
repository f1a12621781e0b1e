"""In Chromium: a partner whose session ended mid-update signs in again and submits the text they typed
(issue 23's "done when"; case B21-session-ended-mid-form.py in tests/data/cases/: signed out in another
tab while writing 2,200 characters). And the warning before an idle session ends, with "Stay signed in"."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import ProgressUpdate
from csa_tracker import typed_text
from csa_tracker.sessions import LAST_SEEN_KEY
from tests.factories import PASSWORD, ActionFactory

pytestmark = pytest.mark.browser

TYPED = "ASB workshops: four sessions delivered to 96 officers. " * 40  # as the case types it


def sign_in(page):
    page.get_by_label("Username").fill("partner")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def progress_form(world, transactional_db, live_server, page):
    action = ActionFactory(plan_priority=world.plan_priority, wording="Run ASB workshops", leads=[world.own_org])
    page.goto(live_server.url + reverse("login"))
    sign_in(page)
    url = live_server.url + reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": action.pk})
    page.goto(url)
    return page, action, url


def test_partner_signed_out_in_another_tab_signs_in_again_and_submits_what_they_typed(progress_form, live_server):
    page, action, url = progress_form
    page.get_by_label("Progress this period").fill(TYPED)

    other_tab = page.context.new_page()
    other_tab.goto(live_server.url + "/")
    with other_tab.expect_navigation():
        other_tab.get_by_role("button", name="Sign out").click()
    other_tab.close()

    with page.expect_navigation():
        page.get_by_role("button", name="Submit to the Working Group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("main")).to_contain_text(typed_text.ENDED)
    assert not ProgressUpdate.objects.filter(action=action).exists()

    sign_in(page)
    assert page.url == url
    expect(page.get_by_role("main")).to_contain_text(typed_text.RESTORED)
    expect(page.get_by_label("Progress this period")).to_have_value(TYPED)
    assert not ProgressUpdate.objects.filter(action=action).exists()

    with page.expect_navigation():
        page.get_by_role("button", name="Submit to the Working Group").click()
    expect(page.get_by_role("main")).to_contain_text("Submitted to the Working Group.")
    update = ProgressUpdate.objects.get(action=action)
    assert (update.state, update.text) == ("submitted", TYPED.strip())


def test_warning_before_an_idle_session_ends_and_stay_signed_in(progress_form):
    page, _, url = progress_form
    page.clock.install()
    page.goto(url)
    warning = page.locator("#session-warning")
    expect(warning).to_have_attribute("role", "alert")
    expect(warning).to_be_hidden()

    page.clock.fast_forward("07:56:00")  # 4 minutes before the 8 hours without a request are up
    expect(warning).to_be_visible()
    expect(page.locator("#session-warning-text")).to_have_text(
        "You will be signed out in 4 minutes because the site has not been used. "
        "Nothing you have typed is lost either way."
    )
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the warning and its button fit
    box = warning.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    expect(page.get_by_role("button", name="Stay signed in")).to_be_in_viewport()
    before = time.time()
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    (session,) = [found.get_decoded() for found in Session.objects.all() if found.get_decoded().get("_auth_user_id")]
    assert int(before) <= session[LAST_SEEN_KEY] <= time.time()
