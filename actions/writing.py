"""Where progress on an action is written now, the one rule behind every "Write update" link and the
write page itself (issue 25: no page offers what the next page refuses).

Progress goes into the open cycle of the action's own plan; at the year's end, while next year's plan
has no open cycle yet, a carried action's progress goes on the same action in the earlier plan, whose
last quarter is still open (README, "The reporting year and its boundaries")."""

from __future__ import annotations

from cycles.models import CycleState, ReportingCycle


def write_target(action) -> tuple[object, ReportingCycle] | None:
    """(action, open cycle) to write progress on `action` now, the action being the earlier plan's one
    at the year's end; None when no cycle takes updates for it. Reads at most two cycles."""
    plan = action.plan_priority.plan
    cycle = ReportingCycle.objects.current_for(plan)
    if cycle is not None and cycle.state == CycleState.OPEN:
        return action, cycle
    earlier = action.carried_from
    if earlier is not None:
        open_cycle = ReportingCycle.objects.current_for(earlier.plan_priority.plan)
        if open_cycle is not None and open_cycle.state == CycleState.OPEN:
            return earlier, open_cycle
    return None


def takes_updates(plan_id: int, carried_from_plan_id: int | None, open_plan_ids) -> bool:
    """The same rule as `write_target` for a list, from an action's plan's key and the key of the plan
    of the action it was carried from (None if it was not carried forward): `open_plan_ids` are the
    plans with an open cycle (read once per page)."""
    return plan_id in open_plan_ids or (carried_from_plan_id is not None and carried_from_plan_id in open_plan_ids)


def newest_carried(action, next_of):
    """The newest action carried forward from `action`, following `next_of(a)` (the action carried
    forward from `a`, or None) plan by plan; None when `action` was never carried (issue 25). One rule for
    the write page, which asks the database, and the progress import, which looks in what it has read."""
    newest = None
    while (later := next_of(action)) is not None:
        newest = action = later
    return newest


def carried_into(action):
    """The newest Action carried forward from `action`, with its `plan_priority.plan`; None when it was
    never carried. One query per year it was carried, so a handful at most (issue 25: a link to last
    year's action leads on, not nowhere)."""
    return newest_carried(action, lambda a: a.carried_to.select_related("plan_priority__plan").order_by("pk").first())


def continues_words(action, carried) -> str:
    """ "Action N continues in <plan> as action M" for `action` carried forward as `carried` (issue 25)."""
    return f"Action {action.pk} continues in {carried.plan_priority.plan.title} as action {carried.pk}"
