"""The one definition of where an action stands in a reporting cycle: due, overdue, reported or
missing. Every page, e-mail, export and the completeness board reads it from here.

For a (cycle, action) pair the *state* is the state of the action's latest progress update written
for that cycle (newest `created_at`, then highest pk), or "none" when there is none. From it:

- reported: the latest update is submitted or published (the partner has done their part);
- missing: nothing reported yet (no update, a draft, or one the Working Group returned);
- due: missing while the cycle is open, with the cycle's update deadline as the due date;
- overdue: missing and the update deadline has passed (the day after the deadline onwards).

The due date of an update is always the cycle's `update_deadline`; an action's own `due_date` (when
its work should be finished) is a different thing and is labelled "Action due" wherever shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, FilteredRelation, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from csa_tracker.dates import short_date
from workflow.models import ReviewState

NO_UPDATE = "none"
STATE_LABELS = {NO_UPDATE: "No update yet", **dict(ReviewState.choices)}
# What the partner still owes for the cycle.
OWED_STATES = frozenset({NO_UPDATE, ReviewState.DRAFT, ReviewState.RETURNED})
REPORTED_STATES = frozenset({ReviewState.SUBMITTED, ReviewState.PUBLISHED})


# Which of an action's updates in a cycle is its latest: the last in this order (both readings of a state
# below follow it).
UPDATE_ORDER = ("created_at", "pk")


def latest_state_subquery(cycle, action_ref: str = "pk"):
    """SQL for the state of the latest update of OuterRef(action_ref) in `cycle` (NULL: none)."""
    from .models import ProgressUpdate  # the models read this module

    latest = ProgressUpdate.objects.filter(cycle=cycle, action=OuterRef(action_ref))
    latest = latest.order_by(*(f"-{name}" for name in UPDATE_ORDER))
    return Subquery(latest.values("state")[:1], output_field=CharField())


def latest_states(cycle) -> dict[int, str]:
    """The state of each action's latest update in `cycle` (as `latest_state_subquery` picks it), by the
    action's key; an action with none is left out (NO_UPDATE). One query on the cycle's updates alone,
    oldest first so each action keeps its latest: cheaper to build and to plan than a subquery per action
    (issue 26: the board's)."""
    from .models import ProgressUpdate  # the models read this module

    return dict(ProgressUpdate.objects.filter(cycle=cycle).order_by(*UPDATE_ORDER).values_list("action_id", "state"))


def statuses_and_states(action_ids, cycles) -> tuple[dict[int, str | None], dict[tuple[int, int], str]]:
    """For `action_ids`: each one's status's name (None without), by pk; and the state of its latest
    update (as `latest_state_subquery` picks it) in each of `cycles`, by (action pk, cycle pk), a pair
    with no update left out (NO_UPDATE). One query, the actions joined to their updates in `cycles`:
    cheaper to build than a subquery per cycle, or than two queries (issue 26)."""
    from .models import Action  # the models read this module

    actions = Action.objects.filter(pk__in=action_ids)
    if not cycles:
        return dict(actions.values_list("pk", "status__name")), {}
    statuses, states = {}, {}
    for pk, status_name, cycle_id, state in _with_updates_in(actions, cycles, "status__name"):
        statuses[pk] = status_name
        if cycle_id is not None:
            states[pk, cycle_id] = state
    return statuses, states


def plan_standing(plan_id: int, cycle) -> dict[int, tuple[str | None, bool, str]]:
    """Each action of the plan `plan_id`, by pk: (its status's name, None without; whether that status
    means complete; the state of its latest update in `cycle` as `latest_state_subquery` picks it,
    NO_UPDATE with none or without a cycle). One query, the actions joined to their updates in `cycle`:
    cheaper to build and to plan than a subquery per action (issue 26: the Working Group dashboard's)."""
    from .models import Action  # the models read this module

    actions = Action.objects.filter(plan_priority__plan=plan_id)
    if cycle is None:
        rows = actions.order_by().values_list("pk", "status__name", "status__is_complete")
        return {pk: (name, bool(complete), NO_UPDATE) for pk, name, complete in rows}
    return {
        pk: (name, bool(complete), state or NO_UPDATE)
        for pk, name, complete, _, state in _with_updates_in(actions, [cycle], "status__name", "status__is_complete")
    }


def _with_updates_in(actions, cycles, *fields):
    """Rows (pk, *fields, cycle key, state) of `actions` each joined to its updates in `cycles` (None,
    None without), oldest update first, so a dictionary made from them keeps each pair's latest."""
    shown = FilteredRelation("updates", condition=Q(updates__cycle__in=cycles))
    return (
        actions.annotate(shown=shown)
        .order_by(*(f"shown__{name}" for name in UPDATE_ORDER))
        .values_list("pk", *fields, "shown__cycle_id", "shown__state")
    )


def with_cycle_state(actions, cycle):
    """Annotate each action with `cycle_state`: one of STATE_LABELS' keys for `cycle` (None: "none")."""
    if cycle is None:
        return actions.annotate(cycle_state=Value(NO_UPDATE, output_field=CharField()))
    return actions.annotate(cycle_state=Coalesce(latest_state_subquery(cycle), Value(NO_UPDATE)))


def is_reported(state: str) -> bool:
    return state in REPORTED_STATES


def is_overdue(cycle, state: str, today: date) -> bool:
    """Nothing reported and the cycle's update deadline has passed."""
    return state in OWED_STATES and today > cycle.update_deadline


@dataclass(frozen=True)
class CycleStatus:
    """Where one action stands in one cycle, with the words every page shows."""

    cycle: object
    state: str
    today: date

    @property
    def due_date(self) -> date:
        return self.cycle.update_deadline

    @property
    def reported(self) -> bool:
        return is_reported(self.state)

    @property
    def missing(self) -> bool:
        return not self.reported

    @property
    def overdue(self) -> bool:
        return is_overdue(self.cycle, self.state, self.today)

    @property
    def due(self) -> bool:
        """Still to be written while partners can write it."""
        return self.missing and self.cycle.state == "open"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def words(self) -> str:
        """E.g. "Reported (submitted)", "Due by 20 Apr 2018", "Overdue: was due by 20 Apr 2018"."""
        if self.reported:
            return f"Reported ({self.state_label.lower()})"
        when = short_date(self.due_date)
        if self.overdue:
            return f"Overdue: was due by {when}"
        if self.cycle.state != "open":
            return f"Not reported; {self.cycle.name} is {self.cycle.get_state_display().lower()}"
        return f"Due by {when}"


def status_for(cycle, state: str, today: date) -> CycleStatus:
    return CycleStatus(cycle=cycle, state=state or NO_UPDATE, today=today)


def count_states(actions, cycle) -> dict[str, int]:
    """How many of `actions` are in each state for `cycle` (every key of STATE_LABELS present)."""
    counts = dict.fromkeys(STATE_LABELS, 0)
    for state in with_cycle_state(actions, cycle).values_list("cycle_state", flat=True):
        counts[state] += 1
    return counts
