"""No state is a dead end: for every state of a progress update (in an open, locked or published cycle,
with or without another cycle open) and of a cycle, some role has a way forward, and every way
forward offered actually works through its service."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from actions.models import ProgressUpdate
from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from csa_tracker.audit.transitions import NEW
from cycles.models import CycleState, ReportingCycle
from cycles.services import CYCLE_RULES as CYCLE_TRANSITIONS
from cycles.services import cycle_lock, cycle_mark_published, cycle_reopen
from reports.models import Report
from reports.services import report_publish
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanFactory,
    PlanPriorityFactory,
    ProgressUpdateFactory,
    ReportingCycleFactory,
    StatusFactory,
    UserFactory,
)
from workflow import drafts, services
from workflow.lifecycle import EXTRA_CYCLE_WAYS, EXTRA_REVIEW_WAYS, cycle_ways_forward, review_ways_forward
from workflow.models import Escalation, ReviewState
from workflow.transitions import REVIEW_RULES as TRANSITIONS


def test_every_review_state_is_left_by_some_move_and_every_move_lands_on_such_a_state():
    moves_out = {state for rule in TRANSITIONS.values() if rule.target for state in rule.sources} - {NEW}
    leaving = moves_out | set(EXTRA_REVIEW_WAYS)
    assert leaving == set(ReviewState.values)
    for rule in TRANSITIONS.values():
        assert rule.target in leaving | {""}


def test_every_cycle_state_is_left_by_some_move_and_every_move_lands_on_such_a_state():
    leaving = {state for rule in CYCLE_TRANSITIONS.values() for state in rule.sources} | set(EXTRA_CYCLE_WAYS)
    assert leaving == set(CycleState.values)
    assert {rule.target for rule in CYCLE_TRANSITIONS.values()} <= leaving


@pytest.fixture
def people(db):
    partnership = PartnershipFactory()
    org = OrganisationFactory()
    users = {}
    for role in (Role.PARTNER, Role.WORKING_GROUP):
        user = UserFactory()
        MembershipFactory(user=user, partnership=partnership, organisation=org, role=role)
        users[role] = access_for(user, partnership)
    plan = PlanFactory(partnership=partnership)
    action = ActionFactory(plan_priority=PlanPriorityFactory(plan=plan), leads=[org])
    return {"partnership": partnership, "plan": plan, "action": action, **users}


def _item(people, state, cycle_state, next_open):
    cycle = ReportingCycleFactory(
        plan=people["plan"], name="Q3", period_start=date(2017, 10, 1), period_end=date(2017, 12, 31)
    )
    if next_open:
        ReportingCycleFactory(plan=people["plan"], name="Q4", update_deadline=timezone.localdate())
    published = state == ReviewState.PUBLISHED
    item = ProgressUpdateFactory(
        action=people["action"],
        cycle=cycle,
        state=state,
        author=people[Role.PARTNER].user,
        submitted_at=timezone.now() if state != ReviewState.DRAFT else None,
        published_at=timezone.now() if published else None,
    )
    ReportingCycle.objects.filter(pk=cycle.pk).update(state=cycle_state)
    return ProgressUpdate.objects.get(pk=item.pk)


def _run(way, access, item):
    """Take the way through its service; returns what it made (or None for a deletion)."""
    kwargs = {"access": access, "item": item, "version": item.version}
    if way == "submit":
        return services.item_submit(**kwargs)
    if way == "withdraw":
        return services.item_withdraw(**kwargs)
    if way == "return":
        return services.item_return(**kwargs, comment="Add the figures.")
    if way == "publish":
        return services.item_publish(**kwargs)
    if way == "correct":
        return services.item_correct(access=access, item=item, fields={"text": "Corrected."}, reason="A typo.")
    if way == "escalate":
        return services.item_escalate(access=access, item=item, note="For the board.")
    if way == "carry":
        return drafts.update_carry_forward(access=access, update=item, version=item.version)
    if way == "delete":
        return drafts.update_draft_delete(access=access, update=item, version=item.version)
    raise AssertionError(f"No service for {way}")


def _moved(way, item, result) -> bool:
    if way == "delete":
        return not ProgressUpdate.objects.filter(pk=item.pk).exists()
    if way == "escalate":
        return Escalation.objects.filter(update=item).exists()
    if way == "correct":  # published at once, or waiting for a second member of the Working Group
        waits = item.action.plan_priority.plan.partnership.separate_publisher
        return result.corrects_id == item.pk and result.state == (
            ReviewState.SUBMITTED if waits else ReviewState.PUBLISHED
        )
    if way == "carry":
        return result.cycle.state == CycleState.OPEN and result.cycle_id != item.cycle_id
    return result.state == TRANSITIONS[way].target


@pytest.mark.parametrize("next_open", [True, False], ids=["next-cycle-open", "no-other-cycle"])
@pytest.mark.parametrize("cycle_state", CycleState.values)
@pytest.mark.parametrize("state", ReviewState.values)
def test_every_progress_state_in_every_cycle_state_has_a_working_way_forward(people, state, cycle_state, next_open):
    item = _item(people, state, cycle_state, next_open)
    offered = []
    for role in (Role.PARTNER, Role.WORKING_GROUP):
        access = people[role]
        for way in review_ways_forward(access, item):
            offered.append((role, way))
            with transaction.atomic():
                fresh = ProgressUpdate.objects.select_related("cycle", "action").get(pk=item.pk)
                result = _run(way, access, fresh)
                assert _moved(way, fresh, result), f"{role} {way} from {state} in a {cycle_state} cycle did nothing"
                transaction.set_rollback(True)
    assert offered, f"A {state} update in a {cycle_state} cycle is a dead end"
    if state in (ReviewState.DRAFT, ReviewState.RETURNED) and cycle_state != CycleState.OPEN:
        # The author's ways out of a closed cycle: carry it on where a cycle is open, or delete it; never submit.
        partner = {way for role, way in offered if role == Role.PARTNER}
        assert partner == {"delete"} | ({"carry"} if next_open else set())


@pytest.mark.parametrize("cycle_state", CycleState.values)
def test_every_cycle_state_has_a_working_way_forward_for_the_working_group(people, cycle_state):
    cycle = ReportingCycleFactory(plan=people["plan"], state=cycle_state)
    access = people[Role.WORKING_GROUP]
    ways = cycle_ways_forward(access, cycle)
    assert ways
    assert cycle_ways_forward(people[Role.PARTNER], cycle) == []
    today = timezone.localdate()
    for way in ways:
        with transaction.atomic():
            fresh = ReportingCycle.objects.get(pk=cycle.pk)
            if way == "lock":
                assert cycle_lock(access=access, cycle=fresh).state == CycleState.LOCKED
            elif way == "reopen":
                reopened = cycle_reopen(
                    access=access, cycle=fresh, reason="Late", update_deadline=today + timedelta(days=3), today=today
                )
                assert reopened.state == CycleState.OPEN
            elif way == "publish":
                assert cycle_mark_published(access=access, cycle=fresh).state == CycleState.PUBLISHED
            elif way == "correct_report":
                report_publish(access=access, cycle=fresh, notify=False)
                StatusFactory(partnership=people["plan"].partnership, name="Delayed", order=5)
                people["action"].wording = "Reworded"
                people["action"].save()
                report, created = report_publish(access=access, cycle=fresh, reason="Wording fixed", notify=False)
                assert created and report.version == 2 and Report.objects.filter(cycle=fresh).count() == 2
            else:
                raise AssertionError(way)
            transaction.set_rollback(True)
