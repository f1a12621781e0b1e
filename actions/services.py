"""Writes to the action plan that touch several models."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import Action

M2M = ("leads", "supporters")


@transaction.atomic
def actions_import(*, access, rows: list[tuple[Action | None, dict]]) -> int:
    """Create (None, fields) or change (action, fields) actions from a spreadsheet, all or none.
    Only the Working Group edits the plan itself."""
    if not access.is_working_group:
        raise PermissionDenied("Only the Working Group changes the action plan.")
    for action, fields in rows:
        own = {name: value for name, value in fields.items() if name not in M2M}
        if action is None:
            action = Action.objects.create(**own)
        else:
            for name, value in own.items():
                setattr(action, name, value)
            action.save()
        for name in M2M:
            if name in fields:
                getattr(action, name).set(fields[name])
    return len(rows)
