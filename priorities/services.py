"""Changes the Working Group makes to the partnership's plans: a new plan, a plan's title, dates and
introduction, a new priority in a plan, a priority's title, context narrative and notes, and the order of
a plan's priorities, each recorded in the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.text import slugify

from csa_tracker.audit.services import audit_record, changes_between, field_values
from csa_tracker.audit.stale import refuse_if_changed
from csa_tracker.dates import day_in_words
from csa_tracker.forms import Seen
from csa_tracker.ordering import next_order
from csa_tracker.refusals import Invalid, NeedsReason

from .models import (
    RESERVED_PLAN_SLUGS,
    RESERVED_PRIORITY_SLUGS,
    Note,
    Plan,
    PlanPriority,
    Priority,
    reserved_slug_message,
)
from .policies import PLAN_PRIORITIES, PLANS

AUDITED = ("title", "context")
PLAN_AUDITED = ("title", "slug", "starts", "ends", "introduction")
SLUG_LENGTH = 50


def slug_from(title: str) -> str:
    """A short address from a title: "Plan 2026/27" → "plan-202627" (at most 50 characters)."""
    return slugify(title)[:SLUG_LENGTH].strip("-")


def plan_problems(*, partnership, slug: str, starts: date | None, ends: date | None, title: str = "") -> dict[str, str]:
    """What stops a plan with these values being added, by field (empty when nothing does). Two plans
    of one title could not be told apart in the menus and lists that name plans by title."""
    problems = _title_and_dates_problems(Plan.objects.filter(partnership=partnership), title, starts, ends)
    if not slug:
        problems["slug"] = "Give a short name for the address, such as 2026-27 (letters, numbers and hyphens)."
    elif slug in RESERVED_PLAN_SLUGS:
        problems["slug"] = reserved_slug_message(slug)
    elif Plan.objects.filter(partnership=partnership, slug=slug).exists():
        problems["slug"] = f"This partnership already has a plan with the short name “{slug}”: choose another."
    return problems


def plan_edit_problems(*, plan: Plan, title: str, starts: date | None, ends: date | None) -> dict[str, str]:
    """What stops `plan` taking this title and these dates, by field (empty when nothing does): another
    plan of the partnership has the title, or the end is not after the start."""
    others = Plan.objects.filter(partnership_id=plan.partnership_id).exclude(pk=plan.pk)
    return _title_and_dates_problems(others, title, starts, ends)


def _title_and_dates_problems(others, title: str, starts: date | None, ends: date | None) -> dict[str, str]:
    """A title one of `others` (plans) has, or an end not after the start, by field."""
    problems = {}
    if title and others.filter(title__iexact=title.strip()).exists():
        problems["title"] = (
            f"This partnership already has a plan called “{title.strip()}”: give this one another title."
        )
    if starts and ends and ends <= starts:
        problems["ends"] = f"The plan ends before it starts: give an end date after {day_in_words(starts)}."
    return problems


def priority_problems(*, plan: Plan, slug: str, title: str = "") -> dict[str, str]:
    """What stops a priority with this short name (and title) being added to `plan`, by field."""
    if title and plan.plan_priorities.filter(title__iexact=title.strip()).exists():
        return {"title": f"{plan.title} already has a priority called “{title.strip()}”: give this one another title."}
    if not slug:
        return {"slug": "Give a short name for the address, such as road-safety (letters, numbers and hyphens)."}
    if slug in RESERVED_PRIORITY_SLUGS:
        return {"slug": reserved_slug_message(slug)}
    if plan.plan_priorities.filter(priority__slug=slug).exists():
        return {"slug": f"{plan.title} already has a priority with the short name “{slug}”: choose another."}
    return {}


@transaction.atomic
def plan_create(
    *,
    access,
    title: str,
    slug: str = "",
    starts: date,
    ends: date,
    introduction: str = "",
) -> Plan:
    """A new plan of the person's partnership (no priorities yet); `slug` blank is made from the title.
    Raises NotAllowed (not the Working Group) or Invalid (by field: the address taken or
    reserved, the end not after the start)."""
    PLANS.check(access, "create")
    slug = slug or slug_from(title)
    problems = plan_problems(partnership=access.partnership, slug=slug, starts=starts, ends=ends, title=title)
    if problems:
        raise Invalid(problems)
    plan = Plan(
        partnership=access.partnership, title=title, slug=slug, starts=starts, ends=ends, introduction=introduction
    )
    plan.full_clean()
    plan.save()
    audit_record(
        plan,
        actor=access.user,
        verb="create",
        summary="Plan added",
        changes=changes_between({}, field_values(plan, PLAN_AUDITED)),
    )
    return plan


@transaction.atomic
def plan_priority_create(
    *,
    access,
    plan: Plan,
    title: str,
    slug: str = "",
    context: str = "",
    notes: Sequence[dict] = (),
) -> PlanPriority:
    """Add a priority at the end of `plan`, with its numbered `notes` (dicts of `Note`'s fields: number,
    text, source_title, publisher, published, url). The short name is the priority's lasting identity:
    one the partnership used in an earlier plan is the same priority again (its indicators follow it).
    Raises NotAllowed (not the Working Group, or another partnership's plan) or Invalid."""
    PLAN_PRIORITIES.check(access, "create", PlanPriority(plan=plan))
    slug = slug or slug_from(title)
    problems = priority_problems(plan=plan, slug=slug, title=title)
    if problems:
        raise Invalid(problems)
    priority, _ = Priority.objects.get_or_create(partnership=access.partnership, slug=slug)
    order = next_order(plan.plan_priorities.all())
    plan_priority = PlanPriority(plan=plan, priority=priority, title=title, context=context, order=order)
    plan_priority.full_clean()
    plan_priority.save()
    for values in notes:
        note = Note(plan_priority=plan_priority, **values)
        note.full_clean()
        note.save()
    audit_record(
        plan_priority,
        actor=access.user,
        verb="create",
        summary="Priority added",
        changes=changes_between({}, {**field_values(plan_priority, AUDITED), **_notes_text(plan_priority)}),
    )
    return plan_priority


def _notes_text(plan_priority: PlanPriority) -> dict[str, str]:
    return {f"Note {note.number}": note.text for note in plan_priority.notes.all()}


@transaction.atomic
def plan_priority_update(*, access, plan_priority: PlanPriority, form, notes, reason: str) -> PlanPriority:
    """Save a priority's form and its notes formset (both valid); the changes and `reason` go into the
    audit trail. Saving without a change writes nothing. Raises NotAllowed, NeedsReason, or Stale when
    the priority or one of its notes changed since the page was opened (the forms' `seen`)."""
    PLAN_PRIORITIES.check(access, "change", plan_priority)
    refuse_if_changed(plan_priority, form.seen, noun="this priority")
    for note_form in notes.initial_forms:
        refuse_if_changed(note_form.instance, note_form.seen, noun=f"note {note_form.instance.number} of this priority")
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
            raise NeedsReason("Give the reason for the change: changes to a plan are kept in its history with one.")
        audit_record(
            edited, actor=access.user, verb="edit", summary="Priority changed", reason=reason.strip(), changes=changes
        )
    return edited


PLAN_EDITED = ("title", "starts", "ends", "introduction")


@transaction.atomic
def plan_update(
    *,
    access,
    plan: Plan,
    title: str,
    starts: date,
    ends: date,
    introduction: str,
    reason: str,
    seen: Seen | None = None,
) -> bool:
    """Set the plan's title, first and last day and introduction (its short name, and so its address,
    stays); the changes and `reason` go into the audit trail. Returns False, writing nothing, when
    nothing changed. Raises NotAllowed (not the Working Group), Stale (`seen`, what the page showed: the
    plan changed since it was opened), Invalid (by field: another plan's title, the end not after the
    start) or NeedsReason."""
    PLANS.check(access, "change", plan)
    refuse_if_changed(plan, seen, noun="this plan")
    stored = Plan.objects.get(pk=plan.pk)
    before = field_values(stored, PLAN_AUDITED)
    stored.title, stored.starts, stored.ends, stored.introduction = title, starts, ends, introduction
    changes = changes_between(before, field_values(stored, PLAN_AUDITED))
    if not changes:
        return False
    problems = plan_edit_problems(plan=stored, title=title, starts=starts, ends=ends)
    if problems:
        raise Invalid(problems)
    if not reason.strip():
        raise NeedsReason("Give the reason for the change: changes to a plan are kept in its history with one.")
    stored.full_clean()
    stored.save(update_fields=list(PLAN_EDITED))
    audit_record(stored, actor=access.user, verb="edit", summary="Plan changed", reason=reason.strip(), changes=changes)
    return True


MOVES = {"up": -1, "down": 1}


@transaction.atomic
def plan_priority_move(*, access, plan_priority: PlanPriority, direction: str) -> PlanPriority:
    """Swap the priority with the one before it (`direction` "up") or after it ("down") in its plan's
    order; the plan's priorities are numbered 1, 2, 3… again (older plans may share a number), under a
    lock so two moves at once apply one after the other. One audit entry, on the priority moved, gives
    its position before and after. Raises NotAllowed (not the Working Group), or Invalid when the
    direction is neither or the priority is already first (up) or last (down)."""
    PLAN_PRIORITIES.check(access, "change", plan_priority)
    if direction not in MOVES:
        raise Invalid({"direction": "Choose whether to move the priority up or down."})
    siblings = list(
        PlanPriority.objects.select_for_update().filter(plan_id=plan_priority.plan_id).order_by("order", "pk")
    )
    here = next(i for i, sibling in enumerate(siblings) if sibling.pk == plan_priority.pk)
    there = here + MOVES[direction]
    if not 0 <= there < len(siblings):
        edge = "first" if direction == "up" else "last"
        raise Invalid({"direction": f"“{siblings[here].title}” is already the {edge} priority of its plan."})
    siblings[here], siblings[there] = siblings[there], siblings[here]
    moved = []
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position:
            sibling.order = position
            moved.append(sibling)
    PlanPriority.objects.bulk_update(moved, ["order"])
    audit_record(
        siblings[there],
        actor=access.user,
        verb="edit",
        summary=f"Priority moved {direction}",
        changes={"Position": [str(here + 1), str(there + 1)]},
    )
    return siblings[there]
