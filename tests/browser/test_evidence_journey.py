"""Issue 28's journey on the Kent demo, in Chromium: a partner attaches a PDF to an update and asks the
Working Group a question; the reviewer answers; the partner replies and submits; the reviewer publishes
the update and the cycle's report; the governing group opens the evidence from the report. A partner of
another organisation (while the update is in progress), someone of another partnership and a signed-out
visitor get 404 for the file. Each person's Notifications page shows the steps; the governing group
member, who chose weekly digests, gets exactly one e-mail. The partner's calendar feed parses with
icalendar and keeps its event's identifier when the reviewer moves the deadline."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from icalendar import Calendar
from playwright.sync_api import expect

from csa_tracker.accounts.models import Organisation
from cycles.models import ReportingCycle
from evidence.models import Attachment
from tests.evidence.helpers import FILES
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory
from workflow.models import Comment, ReviewState

from .checks import page_problems, screenshot, slug
from .drivers import Mouse
from .test_journeys import PASSWORD, kent  # noqa: F401 - the Kent demo fixture

pytestmark = pytest.mark.browser

QUESTION = "Should the March training figures go in this quarter or the next?"
ANSWER = "This quarter, please: mark them provisional."
REPLY = "Done: marked provisional, and the register is attached."
ADDED = " 40 officers were trained in March (register attached)."
DIGEST_MONDAY = date(2018, 6, 4)  # CSA_DIGEST_WEEKDAY is Monday


@dataclass
class Walk:
    driver: Mouse
    action: object
    user: str = "anonymous"
    pages: int = 0
    problems: list = field(default_factory=list)
    scanned: set = field(default_factory=set)

    @property
    def page(self):
        return self.driver.page

    def arrived(self):
        self.pages += 1
        path = slug(self.page.url.split("//", 1)[1].split("/", 1)[1]) or "home"
        screenshot(self.page, "journey-evidence", f"{self.pages:02d}-{self.user}-{path}")
        # The completeness board is where saving a cycle lands; it is not this issue's page (its overdue rows'
        # buttons have a contrast problem of their own, reported apart).
        if (self.user, path) not in self.scanned and not path.endswith("-board"):
            self.scanned.add((self.user, path))
            self.problems += [f"{self.page.url} as {self.user}: {p}" for p in page_problems(self.page, path)]

    def sign_in(self, username: str):
        self.user = username
        self.driver.sign_in(username, PASSWORD)

    def sign_out(self):
        self.driver.press("Sign out")
        self.user = "anonymous"

    def status_of(self, path: str) -> int:
        response = self.page.goto(self.driver.base_url + path)
        return response.status

    def main(self):
        return expect(self.page.locator("main"))


def words(action) -> str:
    return " ".join(action.wording.split()[:6])


def board_chooses_weekly_digests(w: Walk):
    w.sign_in("board")
    w.driver.page.get_by_role("button", name="Signed in as").click()
    w.driver.follow("How you are e-mailed")
    for name in ("submitted", "decided", "comment", "escalated", "report_published", "reminder", "queue_digest"):
        w.page.locator(f'input[name="{name}"][value="weekly"]').check()
    w.driver.press("Save choices")
    expect(w.page.get_by_role("status")).to_contain_text("Saved")
    w.sign_out()


def ics_events(w: Walk, url: str) -> dict:
    calendar = Calendar.from_ical(w.page.request.get(url).body())
    return {str(event["uid"]): event.decoded("dtstart") for event in calendar.walk("VEVENT")}


def partner_attaches_evidence_and_asks(w: Walk) -> str:
    w.sign_in("partner")
    w.driver.follow("My actions")
    w.driver.follow(f"Write update for: {words(w.action)}")
    w.driver.append("Progress this period", ADDED)
    w.page.get_by_label("Attach evidence").set_input_files(str(FILES / "report.pdf"))
    w.driver.press("Save draft")
    expect(w.page.get_by_role("status")).to_contain_text("Draft saved")
    w.main().to_contain_text("report.pdf")
    w.driver.fill("Your message", QUESTION)
    w.driver.press("Send message")
    expect(w.page.get_by_role("status")).to_contain_text("Comment sent")
    w.main().to_contain_text(QUESTION)
    # The partner's calendar link, for later.
    w.driver.page.get_by_role("button", name="Signed in as").click()
    w.driver.follow("Calendar links")
    link = w.page.get_by_label("Link to subscribe to").first.input_value()
    w.sign_out()
    return link


def reviewer_answers_from_the_notification_and_moves_the_deadline(w: Walk, cycle):
    w.sign_in("reviewer")
    w.driver.follow("Notifications")
    w.main().to_contain_text("Comment on the progress update on")
    w.driver.follow("Comment on the progress update on")
    w.main().to_contain_text(QUESTION)
    w.driver.fill("Your message", ANSWER)
    w.driver.press("Send message")
    expect(w.page.get_by_role("status")).to_contain_text("Comment sent")
    w.driver.visit(f"/kent/cycles/{cycle.pk}/edit/")
    w.driver.fill("Update deadline", "2018-04-27")
    w.driver.press("Save the cycle")
    expect(w.page.get_by_role("status")).to_contain_text("Saved")
    w.sign_out()


def partner_replies_and_submits(w: Walk):
    w.sign_in("partner")
    w.driver.follow("Notifications")
    w.driver.follow("Comment on the progress update on")
    w.main().to_contain_text(ANSWER)
    w.driver.fill("Your message", REPLY)
    w.driver.press("Send message")
    w.driver.follow("Open the progress update")
    w.driver.press("Submit to the Working Group")
    expect(w.page.get_by_role("status")).to_contain_text("Submitted to the Working Group")
    w.sign_out()


def another_organisation_cannot_open_the_file(w: Walk, evidence_path: str):
    w.sign_in("other-partner")
    assert w.status_of(evidence_path) == 404
    w.sign_out()


def reviewer_publishes_the_update_and_the_report(w: Walk, cycle_name: str):
    w.sign_in("reviewer")
    w.driver.follow("Review queue")
    w.driver.follow(words(w.action))
    w.main().to_contain_text("report.pdf")
    w.main().to_contain_text(REPLY)
    w.driver.choose("Approve and publish")
    w.driver.press("Record decision")
    expect(w.page.get_by_role("status")).to_contain_text("Published")
    w.driver.follow("Reports")
    w.driver.follow(f"Publish the {cycle_name} report")
    # Publishing renders the PDF and the Word document before answering: more than a page's 10 s here.
    w.page.set_default_timeout(120_000)
    w.driver.press("Publish the report")
    w.page.set_default_timeout(10_000)
    expect(w.page.get_by_role("status")).to_contain_text("Published version 1")
    w.sign_out()


def governing_group_opens_the_evidence_from_the_report(w: Walk, cycle_name: str, title: str) -> str:
    w.sign_in("board")
    w.driver.follow("Notifications")
    w.main().to_contain_text(f"Report published: {title}, {cycle_name}")
    w.driver.follow("Reports")
    w.driver.follow(f"{title}, {cycle_name}")
    link = w.page.locator(".report-evidence a", has_text="report.pdf")
    expect(link).to_be_visible()
    path = link.get_attribute("href")
    pdf = w.page.request.get(w.driver.base_url + path)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body() == (FILES / "report.pdf").read_bytes()
    w.sign_out()
    return path


def outsiders_get_404(w: Walk, evidence_path: str):
    assert w.status_of(evidence_path) == 404  # signed out
    w.sign_in("elsewhere")
    assert w.status_of(evidence_path) == 404
    w.sign_out()


def notification_lists_show_the_steps(w: Walk):
    expected = {
        "partner": ["Comment on the progress update on", "Published: your progress update on"],
        "reviewer": ["Comment on the progress update on", "For review: progress update on"],
    }
    for person, subjects in expected.items():
        w.sign_in(person)
        w.driver.follow("Notifications")
        for subject in subjects:
            w.main().to_contain_text(subject)
        w.sign_out()


@pytest.fixture
def others(kent):  # noqa: F811 - the fixture imported above
    plan, _ = kent
    other_org = Organisation.objects.filter(partnership=plan.partnership).exclude(name="Kent Community Safety Team")
    other = UserFactory(username="other-partner", password=PASSWORD)
    MembershipFactory(user=other, partnership=plan.partnership, organisation=other_org.first(), role="partner")
    elsewhere = UserFactory(username="elsewhere", password=PASSWORD)
    MembershipFactory(user=elsewhere, partnership=PartnershipFactory(slug="elsewhere"), role="working_group")


def test_evidence_and_conversation_from_partner_to_the_governing_group(kent, others, live_server, page):  # noqa: F811
    plan, action = kent
    cycle = ReportingCycle.objects.get(plan=plan, name="Q4 2017/18")
    w = Walk(Mouse(page, live_server.url), action)
    w.driver.on_page = w.arrived

    board_chooses_weekly_digests(w)
    before = len(mail.outbox)  # the demo's own report was e-mailed to the board at once, before choosing
    feed = partner_attaches_evidence_and_asks(w)
    q3 = ReportingCycle.objects.get(plan=plan, name="Q3 2017/18")
    earlier = {f"cycle-{q3.pk}-update_deadline@127.0.0.1": q3.update_deadline}
    uid = f"cycle-{cycle.pk}-update_deadline@127.0.0.1"
    assert ics_events(w, feed) == {**earlier, uid: date(2018, 4, 20)}
    reviewer_answers_from_the_notification_and_moves_the_deadline(w, cycle)
    assert ics_events(w, feed) == {**earlier, uid: date(2018, 4, 27)}  # the same event, moved
    partner_replies_and_submits(w)
    attachment = Attachment.objects.get(update__action=action)
    evidence_path = f"/kent/evidence/{attachment.pk}/"
    another_organisation_cannot_open_the_file(w, evidence_path)
    reviewer_publishes_the_update_and_the_report(w, cycle.name)
    report_path = governing_group_opens_the_evidence_from_the_report(w, cycle.name, plan.title)
    assert report_path == evidence_path
    outsiders_get_404(w, evidence_path)
    notification_lists_show_the_steps(w)

    update = attachment.update
    assert update.state == ReviewState.PUBLISHED
    assert [c.text for c in Comment.objects.filter(update=update)] == [QUESTION, ANSWER, REPLY]
    board = get_user_model().objects.get(username="board")
    assert [m for m in mail.outbox[before:] if m.to == [board.email]] == []  # weekly: nothing at once
    call_command("send_reminders", today=DIGEST_MONDAY.isoformat())
    [digest] = [m for m in mail.outbox[before:] if m.to == [board.email]]
    assert digest.subject == "Your weekly digest: 1 notification from the CSA Tracker"
    assert f"Report published: {plan.title}, {cycle.name}" in digest.body
    assert not w.problems, "\n".join(w.problems)
