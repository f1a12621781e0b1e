"""Changes the Working Group makes to a plan's priorities: title, context narrative and notes, each
recorded in the audit trail with what changed and the reason given."""

from __future__ import annotations

from django.db import transaction

from csa_tracker.audit.services import audit_record, changes_between, field_values
from csa_tracker.refusals import NeedsReason, NotAllowed

from .models import PlanPriority

AUDITED = ("title", "context")


def _notes_text(plan_priority: PlanPriority) -> dict[str, str]:
    return {f"Note {note.number}": note.text for note in plan_priority.notes.all()}


@transaction.atomic
def plan_priority_update(*, access, plan_priority: PlanPriority, form, notes, reason: str) -> PlanPriority:
    """Save a priority's form and its notes formset (both valid); the changes and `reason` go into the
    audit trail. Saving without a change writes nothing. Raises NotAllowed or NeedsReason."""
    if not PlanPriority.objects.manageable_by(access).filter(pk=plan_priority.pk).exists():
        raise NotAllowed("Only the Working Group changes the plan's priorities.")
    # From the database: a bound ModelForm has already copied the new values onto `plan_priority`.
    stored = PlanPriority.objects.get(pk=plan_priority.pk)
    before = {**field_values(stored, AUDITED), **_notes_text(stored)}
    notes.save()
    edited = form.save()
    changes = changes_between(before, {**field_values(edited, AUDITED), **_notes_text(edited)})
    for label in set(before) - {**field_values(edited, AUDITED), **_notes_text(edited)}.keys():
        changes[label] = [before[label], ""]  # a deleted note
    if changes:
        if not reason.strip():
            raise NeedsReason("Give a reason: changes to a published plan are recorded with one.")
        audit_record(
            edited, actor=access.user, verb="edit", summary="Priority changed", reason=reason.strip(), changes=changes
        )
    return edited
