"""Changes to reporting cycles: their state machine (lock, reopen, publish), creating the next one,
and asking a lead organisation for its update. Each state change is atomic and audited."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from django.db import transaction

from csa_tracker.audit.services import audit_record, changes_between, field_values
from csa_tracker.audit.stale import refuse_if_changed
from csa_tracker.audit.transitions import Rule, StateMachine
from csa_tracker.dates import day_in_words
from csa_tracker.forms import Seen
from csa_tracker.refusals import Invalid, NotAllowed
from priorities.models import Plan

from .models import CycleState, ReportingCycle
from .policies import CYCLES_POLICY

S = CycleState
CYCLE_RULES: dict[str, Rule] = {
    "lock": Rule(frozenset({S.OPEN}), S.LOCKED, "manage", "Locked", "locked"),
    "reopen": Rule(
        frozenset({S.LOCKED}),
        S.OPEN,
        "manage",
        "Reopened",
        "reopened",
        needs_reason=True,
        reason_prompt="Give a reason: a cycle is only reopened with one, and it is recorded.",
    ),
    "publish": Rule(frozenset({S.OPEN, S.LOCKED}), S.PUBLISHED, "manage", "Published", "published"),
}
CYCLES = StateMachine(ReportingCycle, CYCLE_RULES, policy=CYCLES_POLICY, related=("plan__partnership",))


def allowed_cycle_transitions(access, cycle: ReportingCycle) -> list[str]:
    return CYCLES.allowed(access, cycle)


def cycle_lock(*, access, cycle: ReportingCycle, reason: str = "", version: int | None = None) -> ReportingCycle:
    """Lock an open cycle: no more updates are written for it. `version` is the one the person saw
    (None: whatever it is now). Raises a Refusal."""
    return CYCLES.apply(cycle, access=access, transition="lock", expected_version=version, reason=reason)


def cycle_reopen(
    *, access, cycle: ReportingCycle, reason: str, update_deadline: date, today: date, version: int | None = None
) -> ReportingCycle:
    """Reopen a locked cycle, with a reason, until a new update deadline (today or later), so the daily
    job does not lock it again at once. Raises a Refusal (NeedsReason, NotAllowed for a past deadline)."""
    if update_deadline < today:
        raise NotAllowed(f"Give a new update deadline of today ({day_in_words(today)}) or later.")
    return CYCLES.apply(
        cycle,
        access=access,
        transition="reopen",
        expected_version=version,
        reason=reason,
        changes={"update_deadline": update_deadline},
        audit_changes={"Update deadline": [cycle.update_deadline.isoformat(), update_deadline.isoformat()]},
    )


def cycle_mark_published(*, access, cycle: ReportingCycle) -> ReportingCycle:
    """For the report: once its report is published, a cycle is frozen."""
    return CYCLES.apply(cycle, access=access, transition="publish", expected_version=None)


def lock_overdue_cycles(*, today: date) -> list[ReportingCycle]:
    """Lock every open cycle whose update deadline has passed (run daily by `send_reminders`, as the
    scheduled job: no person, no version check)."""
    locked = []
    for cycle in ReportingCycle.objects.filter(state=S.OPEN, update_deadline__lt=today):
        reason = f"The update deadline ({day_in_words(cycle.update_deadline)}) passed."
        locked.append(CYCLES.apply(cycle, access=None, transition="lock", expected_version=None, reason=reason))
    return locked


def _meetings_in_order(update_deadline: date, review_meeting: date | None, governing_meeting: date | None) -> dict:
    """{field: sentence} for update deadline ≤ Working Group review meeting ≤ governing group meeting: the
    Working Group reviews the updates partners have sent, then the governing group reads what it passed on."""
    errors = {}
    if review_meeting and review_meeting < update_deadline:
        errors["review_meeting"] = (
            f"The Working Group review meeting must be on or after the update deadline "
            f"({day_in_words(update_deadline)}): give that day or a later one."
        )
    after = review_meeting or update_deadline
    if governing_meeting and governing_meeting < after:
        what = "the Working Group review meeting" if review_meeting else "the update deadline"
        errors["governing_meeting"] = (
            f"The governing group meeting must be on or after {what} ({day_in_words(after)}): "
            "give that day or a later one."
        )
    return errors


# A date this long after the period's end is questioned before it is saved (issue 25): a quarter's
# deadline and meetings fall within about three months of its end.
FAR_AFTER_PERIOD = timedelta(days=92)
DATE_LABELS = {
    "update_deadline": "update deadline",
    "review_meeting": "Working Group review meeting",
    "governing_meeting": "governing group meeting",
}


def cycle_date_doubts(*, period_end: date, dates: dict) -> dict:
    """{field: sentence} for each of `dates` ({field: date or None}, fields of DATE_LABELS) more than
    FAR_AFTER_PERIOD after `period_end`: saved only once the person confirms them."""
    doubts = {}
    for name, day in dates.items():
        if day is not None and day - period_end > FAR_AFTER_PERIOD:
            months = (day - period_end).days // 30
            doubts[name] = (
                f"The {DATE_LABELS[name]} ({day_in_words(day)}) is about {months} months after the period ends "
                f"({day_in_words(period_end)}). Check it, or tick “These dates are right” to save it as it is."
            )
    return doubts


def validate_cycle(
    *,
    plan: Plan,
    name: str,
    period_start: date,
    period_end: date,
    update_deadline: date,
    review_meeting: date | None = None,
    governing_meeting: date | None = None,
    pk=None,
) -> None:
    """Raise Invalid (a refusal, and a ValidationError for forms) naming each field that is wrong; nothing is
    saved."""
    errors = {}
    if period_end < period_start:
        errors["period_end"] = "The period must end on or after the day it starts."
    if update_deadline < period_start:
        errors["update_deadline"] = "The update deadline cannot be before the period starts."
    errors.update(_meetings_in_order(update_deadline, review_meeting, governing_meeting))
    if "period_end" not in errors and (period_start < plan.starts or period_end > plan.ends):
        # A cycle reports on its plan's actions: a period outside the plan's year belongs to another plan.
        errors["period_start"] = (
            f"{plan.title} runs from {day_in_words(plan.starts)} to {day_in_words(plan.ends)}: the period must fall "
            "within it. For a period after it, roll the plan forward first and add the cycle to the new plan."
        )
    others = ReportingCycle.objects.filter(plan=plan).exclude(pk=pk)
    overlapping = others.filter(period_start__lte=period_end, period_end__gte=period_start).first()
    if overlapping is not None and not {"period_end", "period_start"} & set(errors):
        errors["period_start"] = (
            f"This period overlaps {overlapping.name} ({day_in_words(overlapping.period_start)} to "
            f"{day_in_words(overlapping.period_end)}) in the same plan; cycles of one plan cannot overlap."
        )
    if others.filter(name=name).exists():
        errors["name"] = f"{plan} already has a cycle called “{name}”."
    if errors:
        raise Invalid(errors)


CYCLE_AUDITED = (
    "plan",
    "name",
    "period_start",
    "period_end",
    "update_deadline",
    "review_meeting",
    "governing_meeting",
)


@transaction.atomic
def cycle_save(
    *, access, cycle: ReportingCycle | None, fields: dict, seen: Seen | None = None
) -> ReportingCycle | None:
    """Create a reporting cycle (`cycle` None) or change one's plan, name, period, deadline and meetings
    from `fields` (those of CYCLE_AUDITED); the values that changed go into the audit trail. Returns
    the cycle, or None when an existing one was saved unchanged (nothing written). Raises NotAllowed
    (not the Working Group, or another partnership's plan), Invalid (`validate_cycle`), or Stale when
    the cycle changed since the page showing `seen` (the form's) was opened."""
    created = cycle is None
    target = ReportingCycle(**fields) if created else ReportingCycle.objects.select_for_update().get(pk=cycle.pk)
    CYCLES_POLICY.check(access, "manage", target)
    if not created:
        refuse_if_changed(target, seen, noun=f"{target.name}")
    if not created and target.plan_id != fields["plan"].pk:
        CYCLES_POLICY.check(access, "manage", ReportingCycle(plan=fields["plan"]))
    before = {} if created else field_values(target, CYCLE_AUDITED)
    for name, value in fields.items():
        setattr(target, name, value)
    changes = changes_between(before, field_values(target, CYCLE_AUDITED))
    if not changes:
        return None
    validate_cycle(**{name: getattr(target, name) for name in CYCLE_AUDITED}, pk=target.pk)
    target.save()
    audit_record(
        target,
        actor=access.user,
        verb="create" if created else "edit",
        summary="Reporting cycle added" if created else "Reporting cycle changed",
        changes=changes,
    )
    return target


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _whole_months(start: date, end: date) -> int:
    """How many calendar months the period spans exactly, or 0 when it is not whole months."""
    if start.day != 1 or (end + timedelta(days=1)).day != 1:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


QUARTER_NAME = re.compile(r"^Q([1-4]) (\d{4})/(\d{2})$")


def _next_name(name: str) -> str:
    """Q3 2017/18 → Q4 2017/18 → Q1 2018/19; any other name gets "(next)"."""
    match = QUARTER_NAME.match(name)
    if not match:
        return f"{name} (next)"
    quarter, year = int(match[1]), int(match[2])
    if quarter == 4:
        return f"Q1 {year + 1}/{(year + 2) % 100:02d}"
    return f"Q{quarter + 1} {year}/{(year + 1) % 100:02d}"


def latest_cycle(cycle: ReportingCycle) -> ReportingCycle:
    """The latest cycle by period of `cycle`'s plan and the plans rolled forward from it: what "the next
    cycle" follows, whichever cycle it was started from (a reopened earlier quarter included)."""
    plans = [cycle.plan_id, *Plan.objects.filter(previous=cycle.plan_id).values_list("pk", flat=True)]
    return ReportingCycle.objects.filter(plan__in=plans).select_related("plan").order_by("-period_start", "-pk").first()


# Where the update deadline falls when the latest cycle's is no guide (it was moved at a reopening).
DEFAULT_DEADLINE_AFTER_PERIOD = timedelta(days=14)


def next_cycle_values(cycle: ReportingCycle) -> dict:
    """The cycle after `cycle` (the view passes `latest_cycle(...)`): same lengths, every date shifted by
    the period's length.
    When the period falls after the plan, it belongs to the plan rolled forward from it, if there is one.
    A deadline or meeting further than FAR_AFTER_PERIOD from its period's end (a reopening moved it) is
    not copied: the deadline becomes two weeks after the new period, and such meetings are left blank."""
    months = _whole_months(cycle.period_start, cycle.period_end)
    days = (cycle.period_end - cycle.period_start).days + 1

    def shift(day):
        if day is None:
            return None
        return _add_months(day, months) if months else day + timedelta(days=days)

    period_start = shift(cycle.period_start)
    period_end = _add_months(cycle.period_end + timedelta(days=1), months) - timedelta(days=1) if months else None
    plan = cycle.plan
    following = Plan.objects.filter(previous=plan).first()
    if period_start > plan.ends and following is not None:
        plan = following
    period_end = period_end or shift(cycle.period_end)
    doubted = cycle_date_doubts(period_end=cycle.period_end, dates={name: getattr(cycle, name) for name in DATE_LABELS})
    dates = {name: None if name in doubted else shift(getattr(cycle, name)) for name in DATE_LABELS}
    if dates["update_deadline"] is None:
        dates["update_deadline"] = period_end + DEFAULT_DEADLINE_AFTER_PERIOD
    return {
        "plan": plan,
        "name": _next_name(cycle.name),
        "period_start": period_start,
        "period_end": period_end,
        **dates,
    }
