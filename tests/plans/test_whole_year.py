"""A whole reporting year, played as the partnership plays it (issue 25's "Done when"): the Working Group
opens Q1, a partner writes and submits progress, the Working Group publishes it, locks Q1, reopens it for
a late update, starts Q2, locks and publishes Q1's report, locks Q2, then rolls the plan forward into
next year's with a renamed priority and a dropped one, and moves a priority up in the new plan.

After each step, each role (partner, Working Group, governing group) opens its main pages (dashboard,
My actions, plan and priority pages of every plan, review queue, reports and the publish page) and
follows every link and presses every button on them (`tests.links.dead_ends`, a POST undone after):
none may lead to a refusal (403, 404, 405), an error page or message, a 500, or the "No reporting cycle
is open" page. Each step goes through the service a person's form calls, not a factory."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from actions.roll_forward import plan_roll_forward
from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from cycles.models import CycleState, ReportingCycle
from cycles.services import cycle_lock, cycle_reopen, cycle_save, latest_cycle, next_cycle_values
from priorities.models import Plan, PlanPriority
from priorities.services import plan_priority_move
from reports.models import Report, cycle_slug
from reports.services import report_publish
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanFactory,
    PlanPriorityFactory,
    UserFactory,
)
from tests.links import dead_ends
from workflow.services import item_publish, item_save

P, WG, GOV = Role.PARTNER, Role.WORKING_GROUP, Role.GOVERNING
SLUG = "year-test"


class Year:
    """The partnership the year is played in: a user per role (all of Own Council), and a plan with
    three priorities whose actions Own Council and Other Council lead."""

    def __init__(self):
        self.partnership = PartnershipFactory(name="Year Test Partnership", short_name="YTP", slug=SLUG)
        self.own = OrganisationFactory(partnership=self.partnership, name="Own Council")
        self.other = OrganisationFactory(partnership=self.partnership, name="Other Council")
        self.users = {}
        for role in (P, WG, GOV):
            user = UserFactory(username=f"year-{role}")
            MembershipFactory(user=user, partnership=self.partnership, organisation=self.own, role=role)
            self.users[role] = user
        self.plan = PlanFactory(
            partnership=self.partnership,
            slug="2019-20",
            title="Community Safety Agreement 2019/20",
            starts=date(2019, 4, 1),
            ends=date(2020, 3, 31),
        )
        titles = (("road-safety", "Road Safety"), ("domestic-abuse", "Domestic Abuse"), ("asb", "Antisocial Behaviour"))
        self.priorities = {
            slug: PlanPriorityFactory(plan=self.plan, title=title, priority__slug=slug, order=order)
            for order, (slug, title) in enumerate(titles, start=1)
        }
        road = self.priorities["road-safety"]
        self.speed_watch = ActionFactory(plan_priority=road, wording="Run the speed watch", leads=[self.own], order=1)
        ActionFactory(plan_priority=road, wording="Survey the junctions", leads=[self.other], order=2)
        ActionFactory(
            plan_priority=self.priorities["domestic-abuse"], wording="Train the frontline staff", leads=[self.own]
        )
        ActionFactory(plan_priority=self.priorities["asb"], wording="Patrol the parks", leads=[self.own, self.other])
        self.cycles: dict[str, ReportingCycle] = {}
        self.next_plan: Plan | None = None

    def access(self, role):
        return access_for(self.users[role], self.partnership)

    def pages(self, role) -> list[str]:
        """The role's main pages now: its dashboard (and My actions for those who write progress), every plan with its
        priorities, the reports with each published version; for the Working Group also the review
        queue and the publish page of every cycle."""
        kw = {"partnership": SLUG}
        start = {P: "my_dashboard", WG: "working_group_dashboard", GOV: "dashboard"}[role]
        pages = [reverse("partnership_home", kwargs=kw), reverse(start, kwargs=kw)]
        if role in (P, WG):  # both write progress
            pages.append(reverse("my_work", kwargs=kw))
        if role == WG:
            pages.append(reverse("review_queue", kwargs=kw))
        for plan in Plan.objects.filter(partnership=self.partnership).order_by("starts"):
            pages.append(reverse("plan_detail", kwargs={**kw, "plan": plan.slug}))
            for plan_priority in PlanPriority.objects.filter(plan=plan).select_related("priority"):
                pages.append(
                    reverse(
                        "priority_detail", kwargs={**kw, "plan": plan.slug, "priority": plan_priority.priority.slug}
                    )
                )
        pages.append(reverse("report_list", kwargs=kw))
        for report in Report.objects.filter(plan__partnership=self.partnership).select_related("plan", "cycle"):
            pages.append(report.get_absolute_url())
        if role == WG:
            for cycle in ReportingCycle.objects.filter(plan__partnership=self.partnership).select_related("plan"):
                slug = cycle_slug(cycle)
                pages.append(reverse("report_publish", kwargs={**kw, "plan": cycle.plan.slug, "cycle": slug}))
        return pages


def open_q1(year):
    fields = {
        "plan": year.plan,
        "name": "Q1 2019/20",
        "period_start": date(2019, 4, 1),
        "period_end": date(2019, 6, 30),
        "update_deadline": date(2019, 7, 19),
    }
    year.cycles["q1"] = cycle_save(access=year.access(WG), cycle=None, fields=fields)


def partner_submits(year):
    action = year.speed_watch
    fields = {"action": action, "cycle": year.cycles["q1"], "text": "Ten sessions held.", "status": action.status}
    year.update = item_save(access=year.access(P), model=ProgressUpdate, fields=fields, submit=True)


def working_group_publishes(year):
    item_publish(access=year.access(WG), item=year.update, version=year.update.version)


def lock_q1(year):
    cycle_lock(access=year.access(WG), cycle=year.cycles["q1"])


def reopen_q1(year):
    today = timezone.localdate()
    q1 = ReportingCycle.objects.get(pk=year.cycles["q1"].pk)
    cycle_reopen(
        access=year.access(WG),
        cycle=q1,
        reason="Other Council's update came late.",
        update_deadline=today + timedelta(days=14),
        today=today,
    )


def start_q2(year):
    fields = next_cycle_values(latest_cycle(ReportingCycle.objects.get(pk=year.cycles["q1"].pk)))
    assert (fields["name"], fields["plan"]) == ("Q2 2019/20", year.plan)
    year.cycles["q2"] = cycle_save(access=year.access(WG), cycle=None, fields=fields)


def lock_and_publish_q1(year):
    q1 = ReportingCycle.objects.get(pk=year.cycles["q1"].pk)
    cycle_lock(access=year.access(WG), cycle=q1)
    report_publish(access=year.access(WG), cycle=q1)


def lock_q2(year):
    cycle_lock(access=year.access(WG), cycle=ReportingCycle.objects.get(pk=year.cycles["q2"].pk))


def roll_forward(year):
    """Next year's plan: Road Safety renamed, Antisocial Behaviour dropped (its action stays behind)."""
    year.next_plan = plan_roll_forward(
        access=year.access(WG),
        plan=year.plan,
        title="Community Safety Agreement 2020/21",
        slug="2020-21",
        starts=date(2020, 4, 1),
        ends=date(2021, 3, 31),
        titles={year.priorities["road-safety"].pk: "Road Safety and Speeding"},
        drop={year.priorities["asb"].pk},
    )


def move_a_priority_up(year):
    abuse = PlanPriority.objects.get(plan=year.next_plan, priority__slug="domestic-abuse")
    plan_priority_move(access=year.access(WG), plan_priority=abuse, direction="up")


STEPS = [
    open_q1,
    partner_submits,
    working_group_publishes,
    lock_q1,
    reopen_q1,
    start_q2,
    lock_and_publish_q1,
    lock_q2,
    roll_forward,
    move_a_priority_up,
]


@pytest.fixture
def year(db):
    return Year()


def test_a_whole_year_leaves_no_link_or_button_leading_nowhere(year, client):
    failures = []
    for step in STEPS:
        step(year)
        for role in (P, WG, GOV):
            client.force_login(year.users[role])
            for failure in dead_ends(client, year.pages(role), f"/{SLUG}/", buttons=True):
                failures.append((step.__name__, str(role), *failure))
    assert failures == []
    # The year happened as played: Q1's report published, Q2 locked, next year's plan in its new order.
    assert [(c.name, c.state) for c in ReportingCycle.objects.filter(plan=year.plan).order_by("period_start")] == [
        ("Q1 2019/20", CycleState.PUBLISHED),
        ("Q2 2019/20", CycleState.LOCKED),
    ]
    assert list(PlanPriority.objects.filter(plan=year.next_plan).order_by("order").values_list("title", flat=True)) == [
        "Domestic Abuse",
        "Road Safety and Speeding",
    ]
    carried = Action.objects.filter(plan_priority__plan=year.next_plan).order_by("wording")
    assert list(carried.values_list("wording", flat=True)) == [
        "Run the speed watch",
        "Survey the junctions",
        "Train the frontline staff",
    ]
    assert Action.objects.get(wording="Patrol the parks").plan_priority.plan == year.plan  # dropped: stays behind
