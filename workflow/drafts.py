"""Ways out for progress left unfinished in a cycle that closed (locked, or its report published): a
draft or returned update there can no longer be submitted, so its author carries it into the open
cycle (of its own plan, or of the plan its action was carried into) or deletes it.

Both go through the review workflow's version check, so a stale page cannot carry or delete
something that changed meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from csa_tracker.audit.services import audit_record
from csa_tracker.audit.transitions import StateMachine
from csa_tracker.refusals import NotAllowed, Refusal, Stale
from cycles.models import CycleState, ReportingCycle

from .models import ReviewState
from .transitions import Transition, machine

UNFINISHED = (ReviewState.DRAFT, ReviewState.RETURNED)


@dataclass(frozen=True)
class CarryTarget:
    """Where an unfinished update would go: the open cycle, and the action (a carried copy, when the
    update's own plan has no open cycle left)."""

    cycle: ReportingCycle
    action: object


def carry_target(update) -> CarryTarget | None:
    """The open cycle an unfinished update in a closed cycle can move to, or None when there is none."""
    action = update.action
    own = ReportingCycle.objects.filter(plan=action.plan_priority.plan_id, state=CycleState.OPEN)
    cycle = own.exclude(pk=update.cycle_id).order_by("period_start").first()
    if cycle is not None:
        return CarryTarget(cycle=cycle, action=action)
    carried = action.carried_to.select_related("plan_priority__plan").first()
    if carried is not None:
        cycle = ReportingCycle.objects.filter(plan=carried.plan_priority.plan_id, state=CycleState.OPEN)
        cycle = cycle.order_by("period_start").first()
        if cycle is not None:
            return CarryTarget(cycle=cycle, action=carried)
    return None


def is_stuck(update) -> bool:
    """Unfinished in a cycle that no longer takes submissions."""
    return update.state in UNFINISHED and update.cycle.state != CycleState.OPEN


def can_delete(access, update) -> bool:
    return update.state in UNFINISHED and update.kind.policy.permits(access, "delete", update)


def update_carry_forward(*, access, update, version: int):
    """Move an unfinished update from its closed cycle into the open one (see `carry_target`), keeping
    its text, status and flags; recorded as an edit with a comment. Raises NotAllowed when the update is
    not unfinished in a closed cycle, when no cycle is open, or when the target action already has
    progress in hand; Stale when it changed meanwhile."""
    if update.state not in UNFINISHED:
        raise NotAllowed("Only a draft or a returned update is carried into the next cycle.")
    if update.cycle.state == CycleState.OPEN:
        raise NotAllowed(f"{update.cycle.name} is still open: submit the update there.")
    target = carry_target(update)
    if target is None:
        raise NotAllowed(
            f"No reporting cycle is open to carry this into. Delete the draft, or ask the Working Group to "
            f"reopen {update.cycle.name} or open the next cycle."
        )
    comment = f"Carried from {update.cycle.name} ({update.cycle.get_state_display().lower()}) into {target.cycle.name}."
    changes = {"cycle": target.cycle}
    if target.action.pk != update.action_id:
        changes["action"] = target.action
        comment += f" The action continues in {target.action.plan_priority.plan.title}."
    try:
        with transaction.atomic():
            return machine(type(update)).apply(
                update,
                access=access,
                transition=Transition.EDIT,
                expected_version=version,
                changes=changes,
                reason=comment,
            )
    except IntegrityError as exc:
        raise Refusal(
            "The action already has progress in hand in the open cycle: continue that one, and delete this draft."
        ) from exc


@transaction.atomic
def update_draft_delete(*, access, update, version: int) -> None:
    """Delete an unfinished update; only its author may. Nothing was published from it; its audit
    trail stays, ending with the deletion. Raises NotAllowed or Stale."""
    current = type(update).objects.select_for_update().get(pk=update.pk)
    if current.version != version:
        raise Stale(StateMachine.stale_message(current), current)
    if current.state not in UNFINISHED:
        raise NotAllowed("Only a draft or a returned update can be deleted; withdraw a submitted one first.")
    current.kind.policy.check(access, "delete", current)
    audit_record(current, actor=access.user, verb="delete", summary="Draft deleted", from_state=current.state)
    current.delete()
