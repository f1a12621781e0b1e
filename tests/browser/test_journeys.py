"""The quarterly round trip in a real browser, on the Kent 2017/18 demo: a partner submits flagged progress,
the Working Group returns it, the partner fixes it, the Working Group publishes and escalates it, and the
governing group reads it. Once with the mouse, once with the keyboard only."""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from actions.models import Action
from csa_tracker.accounts.access import access_for
from demo.loader import load_plan
from demo.scenario import load_scenario
from demo.users import ensure_demo_users
from reports.services import report_publish
from workflow.models import OPEN_STATES, Escalation, ReviewState

from .checks import page_problems, screenshot, slug
from .drivers import Keyboard, Mouse

pytestmark = pytest.mark.browser

PASSWORD = "journey-password-4821"
ADDED = " A further 40 officers were trained in March."
FIXED = " The course is now part of induction for new staff."


@pytest.fixture
def kent(transactional_db):
    """The Kent demo as `make run` loads it, and an action of the partner's with nothing open on it."""
    plan = load_plan()
    ensure_demo_users(PASSWORD)
    users = {user.username: user for user in get_user_model().objects.all()}
    load_scenario(plan, partner=users["partner"], reviewer=users["reviewer"])
    report_publish(access=access_for(users["reviewer"], plan.partnership), cycle=plan.cycles.get(name="Q3 2017/18"))
    action = (
        Action.objects.editable_by(access_for(users["partner"], plan.partnership))
        .filter(updates__state=ReviewState.PUBLISHED)
        .exclude(updates__state__in=OPEN_STATES)
        .order_by("plan_priority__order", "order")
        .first()
    )
    return plan, action


@dataclass
class Journey:
    driver: Mouse
    action: Action
    name: str
    scan: bool
    user: str = "anonymous"
    pages: int = 0
    problems: list = field(default_factory=list)
    scanned: set = field(default_factory=set)

    @property
    def page(self):
        return self.driver.page

    @property
    def words(self) -> str:
        """The start of the action's wording, as links to it show it (truncated)."""
        return " ".join(self.action.wording.split()[:6])

    def arrived(self):
        """Every page the journey reaches is photographed and, on one of the runs, checked (once per person)."""
        self.pages += 1
        path = slug(self.page.url.split("//", 1)[1].split("/", 1)[1]) or "home"
        screenshot(self.page, f"journey-{self.name}", f"{self.pages:02d}-{self.user}-{path}")
        if self.scan and (self.user, path) not in self.scanned:
            self.scanned.add((self.user, path))
            self.problems += [f"{self.page.url} as {self.user}: {p}" for p in page_problems(self.page, path)]


def signs_in(j: Journey, username: str):
    j.user = username
    j.driver.sign_in(username, PASSWORD)


def signs_out(j: Journey):
    j.driver.press("Sign out")
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Sign in")
    j.user = "anonymous"


def partner_drafts_and_submits_with_a_flag(j: Journey):
    signs_in(j, "partner")
    j.driver.follow("My actions")
    j.driver.follow(f"Write update for: {j.words}")
    j.driver.append("Progress this period", ADDED)
    j.driver.choose("Area of concern")
    j.driver.fill("Reason for the flag", "Training numbers doubled; check the budget.")
    j.driver.press("Save draft")
    expect(j.page.get_by_role("status")).to_contain_text("Draft saved")
    j.driver.press("Submit to the Working Group")
    expect(j.page.get_by_role("status")).to_contain_text("Submitted to the Working Group")
    signs_out(j)


def working_group_opens_it_from_the_queue(j: Journey, *, inserted: str):
    signs_in(j, "reviewer")
    j.driver.follow("Review queue")
    j.driver.follow(j.words)
    expect(j.page.locator(".diff ins")).to_contain_text(inserted.strip())


def working_group_reviews_the_diff_and_returns_it(j: Journey):
    working_group_opens_it_from_the_queue(j, inserted=ADDED)
    expect(j.page.locator(".flags")).to_contain_text("Area of concern")
    j.driver.choose("Return to the submitter")
    j.driver.fill("Comment", "Please say whether the course continues next year.")
    j.driver.press("Record decision")
    expect(j.page.get_by_role("status")).to_contain_text("Returned to the submitter")
    signs_out(j)


def partner_fixes_and_resubmits(j: Journey):
    signs_in(j, "partner")
    j.driver.follow("My actions")
    j.driver.follow(f"returned update for: {j.words}")
    expect(j.page.get_by_role("complementary").first).to_contain_text("continues next year")
    j.driver.append("Progress this period", FIXED)
    j.driver.press("Submit to the Working Group")
    expect(j.page.get_by_role("status")).to_contain_text("Submitted to the Working Group")
    signs_out(j)


def working_group_approves_and_escalates(j: Journey):
    working_group_opens_it_from_the_queue(j, inserted=FIXED)
    j.driver.choose("Approve and publish")
    j.driver.tick("Also escalate to the governing group")
    j.driver.fill("Note for the governing group", "Training budget overspent by a third.")
    j.driver.press("Record decision")
    expect(j.page.get_by_role("status")).to_contain_text("Escalated to the governing group")
    signs_out(j)


def governing_group_reads_the_escalation_and_the_plan(j: Journey):
    signs_in(j, "board")
    j.driver.follow("Escalations")
    expect(j.page.locator("main")).to_contain_text("Training budget overspent by a third.")
    j.driver.follow(j.words)
    expect(j.page.locator("main")).to_contain_text(FIXED.strip())
    j.driver.follow("Plans")
    j.driver.follow(j.action.plan_priority.plan.title)
    j.driver.follow(j.action.plan_priority.title)
    expect(j.page.locator("main")).to_contain_text(FIXED.strip())
    j.driver.follow("Dashboard")
    expect(j.page.locator("#escalations-heading + *")).to_contain_text("Training budget overspent by a third.")
    j.driver.follow("Reports")
    j.driver.follow("Kent Community Safety Agreement 2017/18, Q3 2017/18")
    pdf_link = j.driver.link("Download the PDF")
    expect(pdf_link).to_be_visible()
    # The PDF opens in the browser's viewer; fetch it with the same signed-in session to check it.
    pdf = j.page.request.get(
        j.page.url.split("/", 3)[0] + "//" + j.page.url.split("/", 3)[2] + pdf_link.get_attribute("href")
    )
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    signs_out(j)


JOURNEY = [
    partner_drafts_and_submits_with_a_flag,
    working_group_reviews_the_diff_and_returns_it,
    partner_fixes_and_resubmits,
    working_group_approves_and_escalates,
    governing_group_reads_the_escalation_and_the_plan,
]


def run_journey(j: Journey):
    j.driver.on_page = j.arrived
    for step in JOURNEY:
        step(j)
    update = j.action.updates.get(state=ReviewState.PUBLISHED, text__endswith=FIXED.strip())
    assert update.flag == "area_of_concern"
    assert Escalation.objects.get(update=update).note == "Training budget overspent by a third."
    assert not j.problems, "\n".join(j.problems)


def test_update_goes_from_partner_through_review_to_the_governing_group(kent, live_server, page):
    run_journey(Journey(Mouse(page, live_server.url), kent[1], name="mouse", scan=True))


def test_the_same_journey_works_with_the_keyboard_alone(kent, live_server, page):
    run_journey(Journey(Keyboard(page, live_server.url), kent[1], name="keyboard", scan=False))
