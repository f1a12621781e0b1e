"""Changes the Working Group makes to the plan's actions, each recorded in the audit trail with the
fields that changed and the reason given."""

from __future__ import annotations

from django.db import transaction

from csa_tracker.audit.services import audit_record, changes_between, field_values
from csa_tracker.audit.stale import refuse_if_changed
from csa_tracker.forms import Seen
from csa_tracker.refusals import NeedsReason

from .models import Action
from .policies import ACTIONS

M2M = ("leads", "supporters", "themes")
# The fields whose changes the audit trail records, in the order people read them.
AUDITED = ("wording", "leads", "supporters", "funding", "status", "themes", "start_date", "due_date", "order")


def _apply(action: Action, fields: dict) -> None:
    own = {name: value for name, value in fields.items() if name not in M2M}
    for name, value in own.items():
        setattr(action, name, value)
    action.save()
    for name in M2M:
        if name in fields:
            getattr(action, name).set(fields[name])


@transaction.atomic
def action_create(*, access, plan_priority, fields: dict, reason: str = "Added to the plan") -> Action:
    """Add an action to `plan_priority` with `fields` (leads, supporters and themes as lists).
    Raises NotAllowed (not the Working Group, another partnership's priority)."""
    action = Action(plan_priority=plan_priority)
    ACTIONS.check(access, "change", action)
    _apply(action, dict(fields))
    audit_record(
        action,
        actor=access.user,
        verb="create",
        summary="Action added",
        reason=reason,
        changes=changes_between({}, field_values(action, AUDITED)),
    )
    return action


@transaction.atomic
def action_update(*, access, action: Action, fields: dict, reason: str, seen: Seen | None = None) -> Action:
    """Change wording, leads, funding, status or dates; the changes and the reason go into the audit
    trail. Saving without a change writes nothing. `seen`: what the edit page showed (the form's).
    Raises NotAllowed, NeedsReason, or Stale when the action changed since the page was opened."""
    ACTIONS.check(access, "change", action)
    refuse_if_changed(action, seen, noun="this action")
    # From the database: a bound ModelForm has already copied the new values onto `action`.
    before = field_values(Action.objects.get(pk=action.pk), AUDITED)
    _apply(action, dict(fields))
    changes = changes_between(before, field_values(action, AUDITED))
    if changes:
        if not reason.strip():
            raise NeedsReason("Give a reason for the change: it is recorded in the action's history.")
        audit_record(
            action, actor=access.user, verb="edit", summary="Action changed", reason=reason.strip(), changes=changes
        )
    return action


@transaction.atomic
def actions_import(*, access, rows: list[tuple[Action | None, dict]]) -> int:
    """Create (None, fields) or change (action, fields) actions from a spreadsheet, all or none; each
    row is checked by `action_create` or `action_update`."""
    for action, fields in rows:
        if action is None:
            action_create(
                access=access,
                plan_priority=fields.pop("plan_priority"),
                fields=fields,
                reason="Imported from a spreadsheet",
            )
        else:
            action_update(access=access, action=action, fields=fields, reason="Imported from a spreadsheet")
    return len(rows)
