"""The ways forward from every state: a review item's (workflow.transitions.REVIEW_RULES) and a cycle's
(cycles.services.CYCLE_RULES), plus the moves that live outside those tables: correcting or
escalating what is published, carrying or deleting unfinished progress left in a closed cycle, and
correcting a published cycle's report. The dead-end test walks these for every state and role.
"""

from __future__ import annotations

from cycles.models import CycleState
from cycles.policies import CYCLES_POLICY
from cycles.services import allowed_cycle_transitions

from . import drafts
from .models import ReviewState
from .transitions import Transition, allowed_transitions

# Moves outside the review rules, by the state they start from.
EXTRA_REVIEW_WAYS = {
    ReviewState.PUBLISHED: ("correct", "escalate"),  # the Working Group: workflow.services.item_correct / escalate
    ReviewState.DRAFT: ("carry", "delete"),  # when its cycle has closed: workflow.drafts
    ReviewState.RETURNED: ("carry", "delete"),
}
EXTRA_CYCLE_WAYS = {CycleState.PUBLISHED: ("correct_report",)}  # reports.services.report_publish with a reason


def review_ways_forward(access, item) -> list[str]:
    """What this person can do next with the item that moves it on (editing alone does not)."""
    ways = [name for name in allowed_transitions(access, item) if name != Transition.EDIT]
    if Transition.SUBMIT in ways and not item.accepts_submissions:
        ways.remove(Transition.SUBMIT)  # item_submit refuses it while the cycle is closed
    if item.state == ReviewState.PUBLISHED and item.kind.policy.permits(access, "correct", item):
        ways += ["correct", "escalate"]
    if item.kind.in_cycles and drafts.is_stuck(item):
        if Transition.EDIT in allowed_transitions(access, item) and drafts.carry_target(item) is not None:
            ways.append("carry")
        if drafts.can_delete(access, item):
            ways.append("delete")
    return ways


def cycle_ways_forward(access, cycle) -> list[str]:
    ways = allowed_cycle_transitions(access, cycle)
    if cycle.state == CycleState.PUBLISHED and CYCLES_POLICY.permits(access, "manage", cycle):
        ways.append("correct_report")
    return ways
