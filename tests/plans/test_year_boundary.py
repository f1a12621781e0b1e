"""Two plan years of four quarterly cycles each, played through the pages each role uses: next year's
plan is started during the last quarter of the first, with a correction, a return and resubmission,
an escalation with a governing-group response and a reopened cycle. At every step the test asserts
what each role's dashboards, lists, e-mails and the report say, and that the Working Group dashboard
and the completeness board agree on every count.

The day is set by the `today` fixture (the pages read `timezone.localdate()`); the daily job runs as
`run_reminders(today=...)`, as cron would run `send_reminders`.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from csa_tracker.accounts.models import Role
from cycles.models import CycleState, ReportingCycle
from priorities.models import Plan
from reports.models import Report, cycle_slug
from reviews.board import build_board
from reviews.reminders import run_reminders
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanFactory,
    PlanPriorityFactory,
    StatusFactory,
    UserFactory,
)
from workflow.models import Escalation, EscalationResponse, ReviewState

SLUG = "kent-year"


@pytest.fixture
def today(monkeypatch):
    """A settable clock for the pages and forms (they call `timezone.localdate()`)."""

    class Clock:
        day = date(2017, 7, 1)

        def set(self, day: date) -> None:
            self.day = day

    clock = Clock()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: clock.day)
    return clock


class Year:
    """The partnership, its people (each with a signed-in client) and shortcuts to their pages."""

    def __init__(self, mailoutbox, capture):
        self.mail = mailoutbox
        self.capture = capture
        self.partnership = PartnershipFactory(name="Kent Year Partnership", short_name="KYP", slug=SLUG)
        # The partnership's own organisations and statuses: its forms offer no other partnership's (issue 14).
        self.police = OrganisationFactory(partnership=self.partnership, name="Kent Police")
        self.council = OrganisationFactory(partnership=self.partnership, name="Kent Council")
        self.users, self.clients = {}, {}
        for name, role, org in [
            ("police", Role.PARTNER, self.police),
            ("council", Role.PARTNER, self.council),
            ("wg1", Role.WORKING_GROUP, self.council),
            ("wg2", Role.WORKING_GROUP, self.police),
            ("board", Role.GOVERNING, self.council),
        ]:
            user = UserFactory(username=f"year-{name}", email=f"{name}@example.org")
            MembershipFactory(user=user, partnership=self.partnership, organisation=org, role=role)
            client = Client()
            client.force_login(user)
            self.users[name], self.clients[name] = user, client
        self.status = StatusFactory(partnership=self.partnership, name="In progress", order=2, severity=1)
        self.done = StatusFactory(partnership=self.partnership, name="Completed", order=4, is_complete=True)
        self.plan = PlanFactory(
            partnership=self.partnership,
            title="Kent Agreement 2017/18",
            slug="2017-18",
            starts=date(2017, 4, 1),
            ends=date(2018, 3, 31),
        )
        roads = PlanPriorityFactory(plan=self.plan, title="Road Safety", priority__slug="road-safety")
        self.a1 = ActionFactory(plan_priority=roads, wording="Police speed checks near schools", leads=[self.police])
        self.a2 = ActionFactory(plan_priority=roads, wording="Council safer routes to school", leads=[self.council])
        self.a3 = ActionFactory(plan_priority=roads, wording="Police cycle training", leads=[self.police])

    # Addresses and pages
    def url(self, name, **kwargs):
        return reverse(name, kwargs={"partnership": SLUG, **kwargs})

    def get(self, who, name, query=None, **kwargs) -> str:
        response = self.clients[who].get(self.url(name, **kwargs), query or {})
        assert response.status_code == 200, (who, name, response.status_code)
        return response.content.decode()

    def post(self, who, name, data, *, expect: int, **kwargs):
        """POST as `who`; `expect` is the status: 302 for a write done, 200 for a form shown again."""
        with self.capture(execute=True):
            response = self.clients[who].post(self.url(name, **kwargs), data)
        assert response.status_code == expect, (who, name, response.status_code)
        return response

    def mail_to(self, address) -> list:
        return [message for message in self.mail if address in message.to]

    # What the roles do
    def new_cycle(self, data) -> ReportingCycle:
        self.post("wg1", "cycle_create", data, expect=302)
        return ReportingCycle.objects.get(plan=data["plan"], name=data["name"])

    def next_cycle(self, cycle) -> ReportingCycle:
        """The Working Group's "Start the next cycle from this one", saved as prefilled."""
        response = self.clients["wg1"].get(self.url("cycle_next", pk=cycle.pk))
        initial = {name: field.initial for name, field in response.context["form"].fields.items()}
        initial.update(response.context["form"].initial)
        data = {key: value.pk if hasattr(value, "pk") else value or "" for key, value in initial.items()}
        self.post("wg1", "cycle_create", data, expect=302)
        return ReportingCycle.objects.get(name=data["name"], plan=data["plan"])

    def write(self, who, action, text, *, submit=True, flag="", flag_reason="", status=None):
        data = {"text": text, "status": (status or self.status).pk, "flag": flag, "flag_reason": flag_reason}
        if submit:
            data["submit"] = "1"
        self.post(who, "update_start", data, expect=302, pk=action.pk)
        return ProgressUpdate.objects.filter(action=action).order_by("-created_at", "-pk").first()

    def decide(self, who, update, decision, comment="", escalation_note=""):
        data = {"decision": decision, "comment": comment, "version": update.version}
        if escalation_note:
            data |= {"escalate": "on", "escalation_note": escalation_note}
        response = self.post(who, "review_update", data, expect=302, pk=update.pk)
        update.refresh_from_db()
        return response

    def publish_checked(self, who, updates):
        items = [f"update:{u.pk}:{u.version}" for u in updates]
        with self.capture(execute=True):
            return self.clients[who].post(self.url("review_publish_many"), {"item": items}, follow=True)

    def publish_report(self, cycle, reason=""):
        kwargs = {"plan": cycle.plan.slug, "cycle": cycle_slug(cycle)}
        self.post("wg1", "report_publish", {"reason": reason}, expect=302, **kwargs)
        return Report.objects.current().get(cycle=cycle)

    def counts_agree(self, cycle, day):
        """The Working Group dashboard, shown this cycle, and its completeness board say the same."""
        page = self.get("wg1", "working_group_dashboard", {"cycle": cycle.pk})
        board_page = self.get("wg1", "cycle_board", pk=cycle.pk)
        counts = _between(page, 'class="cycle-counts">', ".</p>")
        assert counts == _between(board_page, 'class="board-counts">', ".</p>")
        overdue = re.match(r"\d+", _between(page, 'class="cycle-overdue">', " overdue"))[0]
        assert overdue == re.match(r"\d+", _between(board_page, 'class="board-overdue">', " overdue"))[0]
        access = self.clients["wg1"].get(self.url("cycle_board", pk=cycle.pk)).context["request"].access
        board = build_board(cycle, access, today=day)
        assert int(overdue) == board.overdue_total
        return counts, int(overdue)


def _between(page: str, start: str, end: str) -> str:
    after = page[page.index(start) + len(start) :]
    return after[: after.index(end)]


def _section(page: str, heading_id: str, next_id: str) -> str:
    return page[page.index(f'id="{heading_id}"') : page.index(f'id="{next_id}"')]


@pytest.fixture
def year(db, mailoutbox, django_capture_on_commit_callbacks, today):
    return Year(mailoutbox, django_capture_on_commit_callbacks)


def test_two_plan_years_rolling_forward_during_the_last_quarter(year, today):
    y = year
    # ---- Q1 2017/18: the first cycle, everyone reports, the Working Group publishes the queue at once.
    today.set(date(2017, 7, 1))
    q1 = y.new_cycle(
        {
            "plan": y.plan.pk,
            "name": "Q1 2017/18",
            "period_start": "2017-04-01",
            "period_end": "2017-06-30",
            "update_deadline": "2017-07-20",
        }
    )
    mine = y.get("police", "my_dashboard")
    due = _section(mine, "due-heading", "returned-heading")
    assert "Q1 2017/18 of Kent Agreement 2017/18: updates due by 20 July 2017" in due
    assert "Police speed checks near schools" in due and "Police cycle training" in due
    assert "Council safer routes" not in due
    assert "Due by 20 Jul 2017" in due and "Update due 20 Jul 2017" in due
    assert y.counts_agree(q1, today.day) == ("3 no update yet; 0 draft; 0 submitted; 0 returned; 0 published", 0)

    u1 = y.write("police", y.a1, "Speed checks at 12 schools.")
    u3 = y.write("police", y.a3, "Cycle training booked.")
    u2 = y.write("council", y.a2, "Routes surveyed.")
    assert len(y.mail_to("wg1@example.org")) == 3  # one per submission
    work = y.get("police", "my_work")
    assert "Reported (submitted)" in work and "Q1 2017/18" in work
    assert y.counts_agree(q1, today.day)[0] == "0 no update yet; 0 draft; 3 submitted; 0 returned; 0 published"

    y.mail.clear()
    page = y.publish_checked("wg1", [u1, u2, u3]).content.decode()
    assert "Published 3 items." in page
    assert ProgressUpdate.objects.filter(state=ReviewState.PUBLISHED).count() == 3
    assert len(y.mail_to("police@example.org")) == 1  # one e-mail listing both police items
    assert "2 of your items were published" in y.mail_to("police@example.org")[0].subject
    assert len(y.mail_to("council@example.org")) == 1

    today.set(date(2017, 7, 25))
    run_reminders(today=today.day)  # the daily job locks Q1 after its deadline
    q1.refresh_from_db()
    assert q1.state == CycleState.LOCKED
    y.mail.clear()
    report = y.publish_report(q1)
    assert report.version == 1
    (announcement,) = y.mail_to("board@example.org")
    assert "Report published" in announcement.subject and report.get_absolute_url() in announcement.body

    # ---- Q2: an escalation the governing group answers; an unfinished draft left when the cycle locks.
    q2 = y.next_cycle(q1)
    assert (q2.name, q2.update_deadline, q2.plan) == ("Q2 2017/18", date(2017, 10, 20), y.plan)
    today.set(date(2017, 10, 2))
    u1q2 = y.write(
        "police", y.a1, "Speeding rose near two schools.", flag="area_of_concern", flag_reason="Speeding up."
    )
    stuck = y.write("council", y.a2, "Half written.", submit=False)
    y.mail.clear()
    y.decide("wg2", u1q2, "publish", escalation_note="Speeding near schools is rising.")
    escalation = Escalation.objects.get(update=u1q2)
    (told,) = y.mail_to("board@example.org")  # one message for the round
    link = reverse("escalation_detail", kwargs={"partnership": SLUG, "pk": escalation.pk})
    assert link in told.body and "Speeding near schools is rising." in told.body

    board_view = y.get("board", "escalation_detail", pk=escalation.pk)
    assert "Speeding rose near two schools." in board_view and "Record a response" in board_view
    assert "My actions" not in board_view and "Writing progress" not in board_view  # not the partner's page
    page = y.post("board", "escalation_respond", {"kind": "action_requested", "note": ""}, expect=200, pk=escalation.pk)
    assert "Note: say what action the governing group requests." in page.content.decode()
    y.post(
        "board",
        "escalation_respond",
        {"kind": "action_requested", "note": "Ask for a camera plan.", "owner": y.police.pk, "due": "2017-11-30"},
        expect=302,
        pk=escalation.pk,
    )
    assert EscalationResponse.objects.get().note == "Ask for a camera plan."
    requested = "Requested by the governing group: Ask for a camera plan.</strong> — Kent Police, due 30 November 2017"
    assert requested in y.get("police", "my_dashboard")
    assert requested not in y.get("council", "my_dashboard")
    assert "Ask for a camera plan." in y.get("wg1", "working_group_dashboard")
    assert "Ask for a camera plan." in y.get("police", "action_detail", pk=y.a1.pk)  # the lead partner sees it
    assert "Ask for a camera plan." not in y.get("council", "action_detail", pk=y.a1.pk)

    today.set(date(2017, 10, 21))
    council = y.get("council", "my_dashboard")
    assert "Overdue: was due by 20 Oct 2017" in _section(council, "due-heading", "returned-heading")
    assert y.counts_agree(q2, today.day) == ("1 no update yet; 1 draft; 0 submitted; 0 returned; 1 published", 2)
    run_reminders(today=today.day)
    q2.refresh_from_db()
    assert q2.state == CycleState.LOCKED
    page = y.get("council", "update_edit", pk=stuck.pk)
    assert "Q2 2017/18 is locked" in page and "no reporting cycle is open to carry it into" in page
    assert "Delete this draft" in page
    y.publish_report(q2)

    # ---- Q3: the stuck draft is carried forward, returned and resubmitted; a correction keeps its flag.
    q3 = y.next_cycle(q2)
    today.set(date(2017, 12, 1))
    assert "Carry into Q3 2017/18" in y.get("council", "update_edit", pk=stuck.pk)
    y.post("council", "update_carry", {"version": stuck.version}, expect=302, pk=stuck.pk)
    stuck.refresh_from_db()
    assert (stuck.cycle, stuck.state, stuck.text) == (q3, ReviewState.DRAFT, "Half written.")
    edit = {"text": "Routes surveyed; two crossings agreed.", "status": y.status.pk, "flag": ""}
    y.post("council", "update_edit", {**edit, "version": stuck.version, "submit": "1"}, expect=302, pk=stuck.pk)
    stuck.refresh_from_db()
    y.decide("wg1", stuck, "return", comment="Name the two crossings.")
    assert stuck.state == ReviewState.RETURNED
    returned = y.get("council", "my_dashboard")
    assert "Council safer routes" in _section(returned, "returned-heading", "others-heading")
    text = "Routes surveyed; two crossings agreed at Mill Lane and Station Road."
    y.post(
        "council",
        "update_edit",
        {**edit, "text": text, "version": stuck.version, "submit": "1"},
        expect=302,
        pk=stuck.pk,
    )
    stuck.refresh_from_db()
    review = y.get("wg2", "review_update", pk=stuck.pk)
    assert "What changed against the version you returned" in review and "Name the two crossings." in review
    assert "at Mill Lane and Station Road." in review
    y.decide("wg2", stuck, "publish")
    assert stuck.state == ReviewState.PUBLISHED

    # Whoever submitted cannot publish it too (separate publisher is on by default).
    own = y.write("wg1", y.a3, "Training finished for the year.", status=y.done)
    response = y.clients["wg1"].post(
        y.url("review_update", pk=own.pk), {"decision": "publish", "version": own.version}, follow=True
    )
    assert "another member of the Working Group must publish it" in response.content.decode()
    own.refresh_from_db()
    assert own.state == ReviewState.SUBMITTED
    y.decide("wg2", own, "publish")

    # The correction starts from the item's flag and text; the escalation and report follow it.
    form = y.clients["wg1"].get(y.url("update_correct", pk=u1q2.pk)).context["form"]
    assert form.initial["flag"] == "area_of_concern" and form.initial["text"] == "Speeding rose near two schools."
    y.post(
        "wg1",
        "update_correct",
        {
            "text": "Speeding rose near three schools.",
            "status": y.status.pk,
            "flag": "area_of_concern",
            "flag_reason": "Speeding up.",
            "correction-reason": "A third school was missed.",
        },
        expect=302,
        pk=u1q2.pk,
    )
    corrected = ProgressUpdate.objects.get(corrects=u1q2)
    assert (corrected.flag, corrected.flag_reason) == ("area_of_concern", "Speeding up.")
    y.decide("wg2", corrected, "publish")  # a second pair of eyes publishes the correction
    escalation_page = y.get("board", "escalation_detail", pk=escalation.pk)
    assert "Speeding rose near three schools." in escalation_page and "A third school was missed." in escalation_page
    action_page = y.get("police", "action_detail", pk=y.a1.pk)
    assert "Superseded</strong> by the correction" in action_page and "A third school was missed." in action_page
    assert action_page.count(">Current</span>") == 1
    q2_report = y.publish_report(q2, reason="A third school was missed.")
    assert q2_report.version == 2
    (concern,) = q2_report.snapshot["escalations"]
    assert concern["text"] == "Speeding rose near three schools." and concern["corrected"]
    assert concern["responses"][0]["note"] == "Ask for a camera plan."
    today.set(date(2018, 1, 25))
    run_reminders(today=today.day)
    q3_report = y.publish_report(q3)
    assert [r["note"] for r in q3_report.snapshot["earlier_responses"]] == ["Ask for a camera plan."]

    # ---- Q4 2017/18 opens; next year's plan is started while it is open, with its own Q1.
    q4 = y.next_cycle(q3)
    today.set(date(2018, 3, 15))
    roll = y.clients["wg1"].get(y.url("plan_roll_forward", plan="2017-18")).context["form"]
    data = {"title": "Kent Agreement 2018/19", "slug": "2018-19", "starts": "2018-04-01", "ends": "2019-03-31"}
    data |= {
        "confirm": "on",
        **{name: field.initial for name, field in roll.fields.items() if name.startswith("title_")},
    }
    y.post("wg1", "plan_roll_forward", data, expect=302, plan="2017-18")
    plan2 = Plan.objects.get(slug="2018-19")
    carried = Action.objects.get(plan_priority__plan=plan2, carried_from=y.a1)
    assert not Action.objects.filter(plan_priority__plan=plan2, carried_from=y.a3).exists()  # completed
    n1 = y.next_cycle(q4)
    assert (n1.name, n1.plan) == ("Q1 2018/19", plan2)

    today.set(date(2018, 4, 2))
    mine = y.get("police", "my_dashboard")
    due = _section(mine, "due-heading", "returned-heading")
    assert "Q4 2017/18 of Kent Agreement 2017/18" in due and "Q1 2018/19 of Kent Agreement 2018/19" in due
    assert "There is no reporting cycle" not in mine
    assert "the cycle with open work" in mine and "Q4 2017/18" in _between(mine, 'class="chosen-cycle">', "</p>")
    work = y.get("police", "my_work")
    assert "Kent Agreement 2017/18" in work and "Kent Agreement 2018/19" in work
    assert "carried from the previous plan" in work
    start_old = y.clients["police"].get(y.url("update_start", pk=y.a1.pk))
    assert start_old.context["cycle"] == q4
    start_new = y.clients["police"].get(y.url("update_start", pk=carried.pk))
    assert start_new.context["cycle"] == n1
    wg = y.get("wg1", "working_group_dashboard")
    assert "Showing Q4 2017/18 of Kent Agreement 2017/18" in wg and "Also open:" in wg and "Q1 2018/19" in wg
    assert y.counts_agree(q4, today.day)[1] == 0
    assert y.counts_agree(n1, today.day)[0] == "2 no update yet; 0 draft; 0 submitted; 0 returned; 0 published"
    board = y.get("board", "dashboard")
    assert "Dashboard: Kent Agreement 2017/18" in board
    assert "Dashboard: Kent Agreement 2018/19" in y.get("board", "dashboard", {"plan": "2018-19"})
    plans = y.get("board", "plan_list")
    assert plans.index("Kent Agreement 2018/19") < plans.index("Kent Agreement 2017/18")
    history = y.get("police", "action_detail", pk=carried.pk)
    assert "Carried forward from" in history and "Progress in Kent Agreement 2017/18" in history
    assert "Speeding rose near three schools." in history

    y.write("police", y.a1, "Cameras installed at three schools.")
    y.write("police", y.a3, "Completed last quarter; nothing more to do.", status=y.done)
    y.write("police", carried, "Camera plan agreed for 2018/19.")
    assert y.counts_agree(q4, today.day)[0] == "1 no update yet; 0 draft; 2 submitted; 0 returned; 0 published"

    # ---- Q4 deadline passes, the daily job locks it, the Working Group reopens it with a new deadline.
    today.set(date(2018, 4, 21))
    assert y.counts_agree(q4, today.day)[1] == 1
    run_reminders(today=today.day)
    q4.refresh_from_db()
    assert q4.state == CycleState.LOCKED
    reopen = {"reason": "Council figures late", "update_deadline": "2018-04-20"}
    page = y.post("wg1", "cycle_reopen", reopen, expect=200, pk=q4.pk)
    assert "The new deadline is in the past" in page.content.decode()
    y.post("wg1", "cycle_reopen", {**reopen, "update_deadline": "2018-04-30"}, expect=302, pk=q4.pk)
    run_reminders(today=today.day)
    q4.refresh_from_db()
    assert (q4.state, q4.update_deadline) == (CycleState.OPEN, date(2018, 4, 30))
    assert "Due by 30 Apr 2018" in y.get("council", "my_dashboard")
    y.write("council", y.a2, "Both crossings built.", status=y.done)
    for update in ProgressUpdate.objects.filter(cycle=q4, state=ReviewState.SUBMITTED):
        y.decide("wg2", update, "publish")
    assert y.counts_agree(q4, today.day) == ("0 no update yet; 0 draft; 0 submitted; 0 returned; 3 published", 0)
    today.set(date(2018, 5, 1))
    run_reminders(today=today.day)
    y.publish_report(q4)

    # ---- The old plan is closed: every default moves to the new plan; its year runs to its end.
    mine = y.get("police", "my_dashboard")
    assert "Q4 2017/18 of" not in _section(mine, "due-heading", "returned-heading")
    assert "Showing Q1 2018/19 of Kent Agreement 2018/19" in mine
    assert "Dashboard: Kent Agreement 2018/19" in y.get("board", "dashboard")
    cycle = n1
    for quarter in range(4):
        for update in ProgressUpdate.objects.filter(cycle=cycle, state=ReviewState.SUBMITTED):
            y.decide("wg2", update, "publish")
        for action in Action.objects.filter(plan_priority__plan=plan2):
            if not ProgressUpdate.objects.filter(action=action, cycle=cycle).exists():
                who = "police" if action.leads.filter(pk=y.police.pk).exists() else "council"
                update = y.write(who, action, f"{cycle.name}: on track.")
                y.decide("wg1", update, "publish")
        today.set(cycle.update_deadline.replace(day=28))
        run_reminders(today=today.day)
        assert y.counts_agree(cycle, today.day)[1] == 0
        y.publish_report(cycle)
        if quarter < 3:
            cycle = y.next_cycle(cycle)
    assert list(ReportingCycle.objects.filter(plan=plan2).values_list("name", flat=True)) == [
        "Q1 2018/19",
        "Q2 2018/19",
        "Q3 2018/19",
        "Q4 2018/19",
    ]
    assert Report.objects.current().count() == 8
    assert not ProgressUpdate.objects.open().exists()  # nothing left stuck anywhere
