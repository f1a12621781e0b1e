"""Changes the Working Group makes to the plan's actions, each recorded in the action's history."""

from django.db import transaction
from simple_history.utils import update_change_reason

from reviews.workflow import NotAllowed

from .models import Action


def _require_working_group(access) -> None:
    if not access.is_working_group:
        raise NotAllowed("Only the Working Group manages the plan.")


@transaction.atomic
def action_create(*, access, plan_priority, fields: dict) -> Action:
    _require_working_group(access)
    leads, supporters = fields.pop("leads"), fields.pop("supporters")
    action = Action.objects.create(plan_priority=plan_priority, **fields)
    action.leads.set(leads)
    action.supporters.set(supporters)
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
    for name, value in fields.items():
        setattr(action, name, value)
    action._change_reason = reason.strip()
    action.save()
    return action
