"""Rolling this year's plan forward into next year's: priorities keep their identity, notes are
kept where asked, open actions are carried forward."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from django.db import transaction

from csa_tracker.audit.services import audit_record
from csa_tracker.refusals import Invalid
from priorities.models import Note, Plan, PlanPriority
from priorities.policies import PLANS

from .models import Action

NOTE_FIELDS = ("number", "text", "source_title", "publisher", "published", "url")
ACTION_FIELDS = ("wording", "funding_id", "status_id", "order")
DATE_FIELDS = ("start_date", "due_date")


def validate_roll_forward(*, plan: Plan, slug: str, starts: date, ends: date) -> None:
    errors = {}
    plans = Plan.objects.for_partnership(plan.partnership)
    if plans.filter(slug=slug).exists():
        errors["slug"] = f"“{slug}” is already the short name of a plan; choose another."
    if ends <= starts:
        errors["ends"] = "The plan must end after it starts."
    else:
        overlapping = plans.filter(starts__lte=ends, ends__gte=starts).first()
        if overlapping is not None:
            errors["starts"] = (
                f"These dates overlap {overlapping.title} "
                f"({overlapping.starts:%d %b %Y} to {overlapping.ends:%d %b %Y})."
            )
    if Plan.objects.filter(previous=plan).exists():
        errors["__all__"] = f"{plan.title} has already been rolled forward; a plan rolls forward once."
    if errors:
        raise Invalid(errors)


@transaction.atomic
def plan_roll_forward(
    *,
    access,
    plan: Plan,
    title: str,
    slug: str,
    starts: date,
    ends: date,
    titles: dict[int, str] | None = None,
    keep_notes: set[int] | frozenset[int] = frozenset(),
) -> Plan:
    """Start next year's plan from `plan`. Each priority keeps its identity (`titles` may rename it
    in the new plan, by PlanPriority pk; the old plan keeps the old title); notes are copied for the
    plan priorities in `keep_notes`; open actions are carried forward with their leads, supporters,
    themes and funding, their dates moved on (`carried_date`); completed ones stay behind."""
    PLANS.check(access, "roll_forward", plan)
    validate_roll_forward(plan=plan, slug=slug, starts=starts, ends=ends)
    titles = titles or {}
    new_plan = Plan.objects.create(
        partnership=plan.partnership,
        title=title,
        slug=slug,
        starts=starts,
        ends=ends,
        introduction=plan.introduction,
        previous=plan,
    )
    for old in plan.plan_priorities.prefetch_related("notes"):
        new = PlanPriority.objects.create(
            plan=new_plan,
            priority_id=old.priority_id,
            title=(titles.get(old.pk) or old.title).strip(),
            order=old.order,
            context=old.context,
        )
        if old.pk in keep_notes:
            Note.objects.bulk_create(
                Note(plan_priority=new, **{name: getattr(note, name) for name in NOTE_FIELDS})
                for note in old.notes.all()
            )
        _carry_actions(old, new, months=_months_between(plan.starts, starts), new_starts=starts)
    audit_record(new_plan, actor=access.user, verb="roll_forward", summary=f"Started from {plan.title}")
    return new_plan


def _months_between(old_starts: date, new_starts: date) -> int:
    return (new_starts.year - old_starts.year) * 12 + new_starts.month - old_starts.month


def carried_date(value: date | None, *, months: int, new_starts: date) -> date | None:
    """A carried action's start or due date in the new plan: moved on by `months` (the whole months
    between the two plans' first days, so a plan a year on moves dates a year on; 29 February becomes
    28 February), or None when it would still fall before the new plan's first day, so that no carried
    action is overdue on the new plan's first day (issue 25)."""
    if value is None:
        return None
    year, month = divmod(value.year * 12 + value.month - 1 + months, 12)
    moved = date(year, month + 1, min(value.day, monthrange(year, month + 1)[1]))
    return moved if moved >= new_starts else None


def _carry_actions(old: PlanPriority, new: PlanPriority, *, months: int, new_starts: date) -> None:
    open_actions = old.actions.filter(status__is_complete=False).prefetch_related("leads", "supporters", "themes")
    for action in open_actions:
        copy = Action.objects.create(
            plan_priority=new,
            carried_from=action,
            **{name: getattr(action, name) for name in ACTION_FIELDS},
            **{name: carried_date(getattr(action, name), months=months, new_starts=new_starts) for name in DATE_FIELDS},
        )
        copy.leads.set(action.leads.all())
        copy.supporters.set(action.supporters.all())
        copy.themes.set(action.themes.all())
