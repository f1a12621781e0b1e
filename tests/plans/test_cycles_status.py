"""One definition of due, overdue, reported and missing (actions/status.py): the completeness board, the
Working Group dashboard, the partner's dashboard, My actions and the export say the same for each
action, with the due date shown and overdue said in words."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from actions import status
from actions.models import Action, ProgressUpdate
from csa_tracker.accounts.access import access_for
from reviews.board import build_board
from tests.factories import ActionFactory, ProgressUpdateFactory, ReportingCycleFactory

from .test_cycles_board import cycle  # noqa: F401 - the known-states fixture


def test_the_dashboard_and_the_board_agree_on_every_count(world, cycle, client_as):  # noqa: F811
    access = access_for(world.users["working_group"], world.partnership)
    board = build_board(cycle, access, today=timezone.localdate())
    page = client_as(world.users["working_group"]).get(
        reverse("working_group_dashboard", kwargs={"partnership": "kent-test"}), {"cycle": cycle.pk}
    )
    counts = page.context["counts"]
    assert counts["by_state"] == {state: board.counts.get(state, 0) for state in status.STATE_LABELS}
    assert counts["by_state"] == {"none": 2, "draft": 1, "submitted": 1, "returned": 1, "published": 2}
    assert counts["overdue"] == board.overdue_total == 4  # the 2018 deadline has passed
    assert page.context["unreported"].total == counts["missing"] == 4
    text = page.content.decode()
    assert "2 no update yet; 1 draft; 1 submitted; 1 returned; 2 published." in text and "4 overdue" in text


def test_due_and_overdue_are_shown_with_the_date_in_words_everywhere(world, client_as):
    today = timezone.localdate()
    late = ReportingCycleFactory(
        plan=world.plan,
        name="Late cycle",
        period_start=today - timedelta(days=60),
        period_end=today - timedelta(days=10),
        update_deadline=today - timedelta(days=1),
    )
    action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording="Late thing")
    ProgressUpdateFactory(action=action, cycle=late)  # a draft is not reported
    words = f"Overdue: was due by {late.update_deadline:%-d %b %Y}"
    partner = client_as(world.users["partner"])
    mine = partner.get(reverse("my_dashboard", kwargs={"partnership": "kent-test"}), {"cycle": late.pk})
    assert words in mine.content.decode()
    work = partner.get(reverse("my_work", kwargs={"partnership": "kent-test"}), {"cycle": late.pk}).content.decode()
    assert words in work and f"{late.update_deadline:%-d %b %Y}" in work
    board_csv = client_as(world.users["working_group"]).get(
        reverse("cycle_board_csv", kwargs={"partnership": "kent-test", "pk": late.pk})
    )
    row = next(line for line in board_csv.content.decode("utf-8-sig").splitlines() if "Late thing" in line)
    assert ",Draft,Overdue," in row and late.update_deadline.isoformat() in row and words in row
    assert status.status_for(late, "submitted", today).words == "Reported (submitted)"
    assert status.status_for(late, "none", late.update_deadline).words.startswith("Due by")


def test_the_weekly_digest_covers_every_open_cycle_of_both_plans(world, mailoutbox, settings):
    from datetime import date

    from reviews.reminders import send_digests
    from tests.factories import PlanFactory, PlanPriorityFactory

    next_plan = PlanFactory(
        partnership=world.partnership,
        slug="2018-19",
        title="Next plan",
        starts=date(2018, 4, 1),
        ends=date(2019, 3, 31),
    )
    ActionFactory(plan_priority=PlanPriorityFactory(plan=next_plan), leads=[world.own_org])
    ReportingCycleFactory(
        plan=next_plan,
        name="Q1 2018/19",
        period_start=date(2018, 4, 1),
        period_end=date(2018, 6, 30),
        update_deadline=date(2018, 7, 20),
    )
    monday = date(2018, 4, 2)
    settings.CSA_DIGEST_WEEKDAY = monday.weekday()
    assert send_digests(today=monday) == 1
    body = mailoutbox[0].body
    assert "Q4 2017/18 (open, updates due by 16 February 2018)" in body
    assert "Also open: Q1 2018/19 of Next plan (updates due by 20 July 2018): 1 with no update yet, 0 overdue." in body


def test_statuses_and_states_agree_with_the_subquery_on_the_latest_update(world):
    """`status.statuses_and_states` (the partner's dashboard, issue 26) gives each action the state
    `with_cycle_state` gives it in each cycle: its latest update there by creation, then by key; none
    without one. And each action's status's name, with no cycle too."""
    later = ReportingCycleFactory(plan=world.plan, name="Later cycle")
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    busy, tied, quiet = (ActionFactory(plan_priority=world.plan_priority) for _ in range(3))

    def written(action, in_cycle, state, at):
        update = ProgressUpdateFactory(action=action, cycle=in_cycle, state=state)
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=at)

    written(busy, world.cycle, "published", noon)
    written(busy, world.cycle, "draft", noon - timedelta(days=1))  # a higher key, but written earlier
    written(busy, later, "published", noon)
    written(tied, world.cycle, "published", noon)
    written(tied, world.cycle, "returned", noon)  # the same time: the higher key is the latest
    keys = [busy.pk, tied.pk, quiet.pk, world.own_action.pk]

    statuses, states = status.statuses_and_states(keys, [world.cycle, later])
    for shown in (world.cycle, later):
        expected = status.with_cycle_state(Action.objects.filter(pk__in=keys), shown).values_list("pk", "cycle_state")
        assert {pk: states.get((pk, shown.pk), status.NO_UPDATE) for pk in keys} == dict(expected)
    assert states[busy.pk, world.cycle.pk] == "published" and states[tied.pk, world.cycle.pk] == "returned"
    assert states[world.own_action.pk, world.cycle.pk] == "submitted" and (quiet.pk, world.cycle.pk) not in states
    assert statuses == {action.pk: action.status.name for action in Action.objects.filter(pk__in=keys)}
    assert status.statuses_and_states(keys, []) == (statuses, {})


def test_a_plans_standing_agrees_with_the_subquery_on_the_latest_update(world):
    """`status.plan_standing` (the Working Group dashboard, issue 26) gives each action of the plan the
    state `with_cycle_state` gives it: its latest update in the cycle by creation, then by key; none
    without one or without a cycle. And each action's status's name and whether it means complete."""
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    busy, tied, quiet = (ActionFactory(plan_priority=world.plan_priority) for _ in range(3))

    def written(action, state, at):
        update = ProgressUpdateFactory(action=action, cycle=world.cycle, state=state)
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=at)

    written(busy, "published", noon)
    written(busy, "draft", noon - timedelta(days=1))  # a higher key, but written earlier
    written(tied, "published", noon)
    written(tied, "returned", noon)  # the same time: the higher key is the latest
    in_plan = Action.objects.filter(plan_priority__plan=world.plan)

    standing = status.plan_standing(world.plan.pk, world.cycle)
    expected = status.with_cycle_state(in_plan, world.cycle).values_list("pk", "cycle_state")
    assert {pk: state for pk, (_, _, state) in standing.items()} == dict(expected)
    assert standing[busy.pk][2] == "published" and standing[tied.pk][2] == "returned"
    assert standing[quiet.pk][2] == status.NO_UPDATE
    statuses = {action.pk: (action.status.name, action.status.is_complete) for action in in_plan}
    assert {pk: (name, complete) for pk, (name, complete, _) in standing.items()} == statuses
    assert status.plan_standing(world.plan.pk, None) == {
        pk: (name, complete, status.NO_UPDATE) for pk, (name, complete) in statuses.items()
    }
