"""Flags raised when a progress update is submitted, so reviewers see more than partners flag.

Each rule returns {"rule": code, "message": words for the reviewer} when it fires.
"""

from __future__ import annotations

from django.utils import timezone

from csa_tracker.dates import day_in_words


def flag(rule: str, message: str) -> dict:
    return {"rule": rule, "message": message}


def update_rule_flags(update) -> list[dict]:
    """First update of an action; status worse than the last published one; past its due date and not complete.

    A carried action's last published update may be last year's, on the action it was carried from: its
    first update this year is then compared with that one and is not "new" (issue 25)."""
    from .models import ProgressUpdate  # the model calls this module: import at call time

    flags = []
    action = update.action
    same_action = [action.pk] if action.carried_from_id is None else [action.pk, action.carried_from_id]
    last = ProgressUpdate.objects.published().filter(action_id__in=same_action).select_related("status")
    last = last.order_by("-published_at").first()
    if last is None:
        flags.append(flag("first_update", "First update of a new action."))
    elif update.status.severity > last.status.severity:
        flags.append(flag("status_worsened", f"Status worsened from “{last.status}” to “{update.status}”."))
    if action.due_date and action.due_date < timezone.localdate() and not update.status.is_complete:
        flags.append(flag("overdue", f"Past its due date ({day_in_words(action.due_date)}) and not complete."))
    return flags
