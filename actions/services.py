"""Changes the Working Group makes to the plan's actions, each recorded in the action's history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.utils import update_change_reason

from reviews.workflow import NotAllowed

from .models import Action

M2M = ("leads", "supporters")


def _require_working_group(access) -> None:
    if not access.is_working_group:
        raise NotAllowed("Only the Working Group manages the plan.")


@transaction.atomic
def action_create(*, access, plan_priority, fields: dict) -> Action:
    _require_working_group(access)
    leads, supporters = fields.pop("leads"), fields.pop("supporters")
    themes = fields.pop("themes", [])
    action = Action.objects.create(plan_priority=plan_priority, **fields)
    action.leads.set(leads)
    action.supporters.set(supporters)
    action.themes.set(themes)
    update_change_reason(action, "Added to the plan")
    return action


@transaction.atomic
def action_update(*, access, action: Action, fields: dict, reason: str) -> Action:
    """Change wording, leads, funding, status or dates; the reason goes into the history."""
    _require_working_group(access)
    if not reason.strip():
        raise NotAllowed("Give a reason for the change.")
    # Relations first, so the history row that carries the reason also holds the final leads.
    action.leads.set(fields.pop("leads"))
    action.supporters.set(fields.pop("supporters"))
    if "themes" in fields:
        action.themes.set(fields.pop("themes"))
    for name, value in fields.items():
        setattr(action, name, value)
    action._change_reason = reason.strip()
    action.save()
    return action


@transaction.atomic
def actions_import(*, access, rows: list[tuple[Action | None, dict]]) -> int:
    """Create (None, fields) or change (action, fields) actions from a spreadsheet, all or none.
    Only the Working Group edits the plan itself."""
    if not access.is_working_group:
        raise PermissionDenied("Only the Working Group changes the action plan.")
    for action, fields in rows:
        own = {name: value for name, value in fields.items() if name not in M2M}
        relations = {name: fields[name] for name in M2M if name in fields}
        created = action is None
        if created:
            action = Action(**own)
        else:
            for name, value in own.items():
                setattr(action, name, value)
            for name, value in relations.items():  # before the save that records the reason, as above
                getattr(action, name).set(value)
        action._change_reason = "Imported from a spreadsheet"
        action.save()
        if created:
            for name, value in relations.items():
                getattr(action, name).set(value)
    return len(rows)
