"""Rolling this year's plan forward into next year's: priorities keep their identity, notes are
kept where asked, open actions are carried forward."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import pluralize

from csa_tracker.audit.services import audit_record
from csa_tracker.dates import day_in_words
from csa_tracker.refusals import Invalid
from priorities.models import Note, Plan, PlanPriority
from priorities.policies import PLANS

from .models import Action

NOTE_FIELDS = ("text", "source_title", "publisher", "published", "url")
ACTION_FIELDS = ("wording", "funding_id", "status_id")
DATE_FIELDS = ("start_date", "due_date")


def validate_roll_forward(*, plan: Plan, slug: str | None, starts: date | None, ends: date | None) -> None:
    """Refuse a new plan whose short name is taken, whose dates run backwards or overlap another plan, or
    whose `plan` has already rolled forward. Raises `Invalid` by field ("slug", "starts", "ends", "__all__").
    A value None (not given, or refused by the form) leaves out the checks that need it."""
    errors = {}
    plans = Plan.objects.for_partnership(plan.partnership)
    if slug and plans.filter(slug=slug).exists():
        errors["slug"] = f"“{slug}” is already the short name of a plan; choose another."
    if starts is not None and ends is not None and ends <= starts:
        errors["ends"] = "The plan must end after it starts."
    elif starts is not None and ends is not None:
        overlapping = plans.filter(starts__lte=ends, ends__gte=starts).first()
        if overlapping is not None:
            errors["starts"] = (
                f"These dates overlap {overlapping.title} "
                f"({day_in_words(overlapping.starts)} to {day_in_words(overlapping.ends)})."
            )
    if Plan.objects.filter(previous=plan).exists():
        errors["__all__"] = f"{plan.title} has already been rolled forward; a plan rolls forward once."
    if errors:
        raise Invalid(errors)


def choice_field(plan_priority_pk: int) -> str:
    """The roll-forward form's field for what happens to one priority (carry, drop or merge), by the
    old PlanPriority pk: where `validate_priority_choices` puts its sentences."""
    return f"next_{plan_priority_pk}"


def validate_priority_choices(
    *, plan_priorities: list[PlanPriority], drop: set[int] | frozenset[int], merge_into: dict[int, int]
) -> None:
    """Refuse priority choices that cannot make a plan (issue 25): dropping every priority, merging a
    priority into itself, into one that is dropped or itself merged, or naming a plan priority not in
    this plan. Raises `Invalid` with each sentence on that priority's choice field (`choice_field`)."""
    by_pk = {pp.pk: pp for pp in plan_priorities}
    errors: dict[str | None, str] = {}
    unknown = (set(drop) | set(merge_into) | set(merge_into.values())) - set(by_pk)
    if unknown:
        raise Invalid({None: "Choose what happens to each of this plan's own priorities; one sent is not in it."})
    for pk, target in merge_into.items():
        source = by_pk[pk].title
        if pk in drop:
            errors[choice_field(pk)] = f"“{source}” is both dropped and merged; choose one."
        elif target == pk:
            errors[choice_field(pk)] = (
                f"“{source}” cannot merge into itself; carry it forward or choose another priority."
            )
        elif target in drop:
            errors[choice_field(pk)] = (
                f"“{source}” cannot merge into “{by_pk[target].title}”, which is dropped from the new plan; "
                "carry that one forward or choose a priority that is carried."
            )
        elif target in merge_into:
            errors[choice_field(pk)] = (
                f"“{source}” cannot merge into “{by_pk[target].title}”, which is itself merged into another; "
                "choose a priority that is carried."
            )
    if plan_priorities and all(pp.pk in drop or pp.pk in merge_into for pp in plan_priorities):
        first = choice_field(plan_priorities[0].pk)
        errors.setdefault(first, "Carry at least one priority into the new plan: every priority is dropped or merged.")
    if errors:
        raise Invalid(errors)


def roll_forward_problems(
    *,
    plan: Plan,
    plan_priorities: list[PlanPriority],
    slug: str | None,
    starts: date | None,
    ends: date | None,
    drop: set[int] | frozenset[int],
    merge_into: dict[int, int],
) -> dict[str, str]:
    """Every reason rolling `plan` forward as asked would be refused, {field: sentences} ({} for none):
    those of `validate_roll_forward` and of `validate_priority_choices` together, so one post shows every
    mistake. The form asks it with what it could read (None for a value it refused); the service refuses
    on it."""
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: validate_roll_forward(plan=plan, slug=slug, starts=starts, ends=ends),
        lambda: validate_priority_choices(plan_priorities=plan_priorities, drop=drop, merge_into=merge_into),
    ):
        try:
            check()
        except Invalid as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    return {name: " ".join(messages) for name, messages in errors.items()}


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
    drop: set[int] | frozenset[int] = frozenset(),
    merge_into: dict[int, int] | None = None,
) -> Plan:
    """Start next year's plan from `plan`. Each priority keeps its identity (`titles` may rename it
    in the new plan, by PlanPriority pk; the old plan keeps the old title); notes are copied for the
    plan priorities in `keep_notes`; open actions are carried forward with their leads, supporters,
    themes and funding, their dates moved on (`carried_date`); completed ones stay behind.

    Issue 25: a plan priority in `drop` (old PlanPriority pks) is not in the new plan, and its open
    actions stay behind in `plan`; one in `merge_into` ({old pk: old pk of a carried priority}) is not
    in the new plan either, its open actions carried into the target's new PlanPriority after the
    target's own (their order kept), its notes after the target's when it is in `keep_notes`. The carried
    priorities keep the old plan's order, numbered 1, 2, 3… Refusals (`Invalid`, on the priority's
    field `choice_field(pk)`): see `validate_priority_choices`; and those of `validate_roll_forward`.
    The audit entry's summary says what was dropped and merged. Returns the new plan."""
    PLANS.check(access, "roll_forward", plan)
    titles = titles or {}
    merge_into = merge_into or {}
    old_priorities = list(plan.plan_priorities.order_by("order", "pk").prefetch_related("notes"))
    errors = roll_forward_problems(
        plan=plan, plan_priorities=old_priorities, slug=slug, starts=starts, ends=ends, drop=drop, merge_into=merge_into
    )
    if errors:
        raise Invalid(errors)
    new_plan = Plan.objects.create(
        partnership=plan.partnership,
        title=title,
        slug=slug,
        starts=starts,
        ends=ends,
        introduction=plan.introduction,
        previous=plan,
    )
    months = _months_between(plan.starts, starts)
    carried: dict[int, PlanPriority] = {}
    for position, old in enumerate((pp for pp in old_priorities if pp.pk not in drop and pp.pk not in merge_into), 1):
        new = PlanPriority.objects.create(
            plan=new_plan,
            priority_id=old.priority_id,
            title=(titles.get(old.pk) or old.title).strip(),
            order=position,
            context=old.context,
        )
        carried[old.pk] = new
        if old.pk in keep_notes:
            _copy_notes(old, new)
        _carry_actions(old, new, months=months, new_starts=starts)
    for old in old_priorities:
        if old.pk in merge_into:
            into = carried[merge_into[old.pk]]
            if old.pk in keep_notes:
                _copy_notes(old, into)
            _carry_actions(old, into, months=months, new_starts=starts, after=True)
    audit_record(
        new_plan,
        actor=access.user,
        verb="roll_forward",
        summary=_summary(plan, old_priorities, drop=drop, merge_into=merge_into),
    )
    return new_plan


def open_actions_left_behind(plan_priorities, drop) -> int:
    """How many open actions the dropped plan priorities (`drop`, old pks) leave in last year's plan;
    the plan priorities carry `open_count` (annotated by the roll-forward page) (issue 25)."""
    return sum(pp.open_count for pp in plan_priorities if pp.pk in drop)


def _summary(plan: Plan, old_priorities: list[PlanPriority], *, drop, merge_into) -> str:
    titles = {pp.pk: pp.title for pp in old_priorities}
    parts = [f"Started from {plan.title}"]
    dropped = [titles[pp.pk] for pp in old_priorities if pp.pk in drop]
    if dropped:
        left = Action.objects.filter(plan_priority__in=drop, status__is_complete=False).count()
        names = ", ".join(f"“{name}”" for name in dropped)
        parts.append(f"dropped {names} ({left} open action{pluralize(left)} left behind)")
    merged = [f"“{titles[pk]}” into “{titles[merge_into[pk]]}”" for pk in titles if pk in merge_into]
    if merged:
        parts.append("merged " + ", ".join(merged))
    return "; ".join(parts)


def _copy_notes(old: PlanPriority, new: PlanPriority) -> None:
    """`old`'s notes onto `new`, numbered after those `new` already has (a merged priority's notes
    follow the target's)."""
    after = new.notes.aggregate(last=Max("number"))["last"] or 0
    Note.objects.bulk_create(
        Note(
            plan_priority=new,
            number=after + note.number,
            **{name: getattr(note, name) for name in NOTE_FIELDS},
        )
        for note in old.notes.all()
    )


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


def _carry_actions(old: PlanPriority, new: PlanPriority, *, months: int, new_starts: date, after: bool = False) -> None:
    """Copy `old`'s open actions into `new`. Each keeps its position number, or with `after` (a merged
    priority's) is numbered on from the last of `new`'s, in the order they had."""
    open_actions = (
        old.actions.filter(status__is_complete=False)
        .order_by("order", "pk")
        .prefetch_related("leads", "supporters", "themes")
    )
    last = (new.actions.aggregate(last=Max("order"))["last"] or 0) if after else None
    for rank, action in enumerate(open_actions, 1):
        copy = Action.objects.create(
            plan_priority=new,
            carried_from=action,
            order=action.order if last is None else last + rank,
            **{name: getattr(action, name) for name in ACTION_FIELDS},
            **{name: carried_date(getattr(action, name), months=months, new_starts=new_starts) for name in DATE_FIELDS},
        )
        copy.leads.set(action.leads.all())
        copy.supporters.set(action.supporters.all())
        copy.themes.set(action.themes.all())
