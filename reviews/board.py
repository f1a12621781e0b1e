"""The completeness board: where every action of a cycle's plan stands, per priority and lead
organisation, in a fixed number of queries whatever the number of actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import Truncator

from actions import status
from actions.models import Action
from actions.rows import action_address
from cycles.models import ReportingCycle
from workflow.models import ReviewState

# A stand-in for the action's key in the "Request an update" address reversed once per board.
_ACTION_KEY = 987654321
# The states and their words are defined once, in actions.status.
NO_UPDATE = status.NO_UPDATE
BOARD_STATES = status.STATE_LABELS
OWED_STATES = status.OWED_STATES


@dataclass
class BoardRow:
    action: Action
    state: str
    overdue: bool
    status: status.CycleStatus | None = None
    # Lead organisations with nobody a reminder can reach (reminders.mark_unreachable).
    unreachable: list = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return BOARD_STATES[self.state]

    @cached_property
    def leads(self) -> list:
        """The action's lead organisations (prefetched by `board_actions`), read once for the row."""
        found = getattr(self.action, "lead_list", None)
        return found if found is not None else list(self.action.leads.all())

    @cached_property
    def lead_names(self) -> str:
        return ", ".join(org.display_name for org in self.leads)


@dataclass
class Share:
    label: str
    total: int = 0
    complete: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 0


@dataclass
class Board:
    cycle: ReportingCycle
    rows: list[BoardRow]
    priorities: list[Share] = field(default_factory=list)
    overall: Share = field(default_factory=lambda: Share("All priorities"))
    counts: dict = field(default_factory=dict)
    # Overdue actions among every row, whatever the filters (the dashboards compare this).
    overdue_total: int = 0

    @property
    def state_counts(self) -> list[tuple[str, int]]:
        """How many actions are in each state, in the order work moves through them."""
        return [(label, self.counts.get(state, 0)) for state, label in BOARD_STATES.items()]


def board_cells(rows: list[BoardRow], *, partnership, cycle: ReportingCycle) -> None:
    """Set each row's cells as the board's table shows them, worked out once per row (issue 26: the
    built board runs no URL reversing, filters or includes per row): `url` the action's page,
    `request_url` its "Request an update" form's address, `wording` its first 18 words and
    `short_wording` its first 8 (each ending " …" when cut, as `truncatewords`), `priority` its
    priority's title, `leads` the lead agencies' names ("No lead" with none), `words` where it stands,
    and `askable` whether it may be asked for an update (nothing reported and the cycle open)."""
    address = action_address(partnership)
    asking = reverse(
        "cycle_request_update", kwargs={"partnership": partnership.slug, "pk": cycle.pk, "action": _ACTION_KEY}
    ).replace(str(_ACTION_KEY), "{}")
    open_cycle = cycle.state == "open"
    for row in rows:
        action = row.action
        wording = Truncator(action.wording)
        row.url = address.format(action.pk)
        row.request_url = asking.format(action.pk)
        row.wording = wording.words(18, truncate=" …")
        row.short_wording = wording.words(8, truncate=" …")
        row.priority = action.plan_priority.title
        row.leads_shown = row.lead_names or "No lead"
        row.words = row.status.words
        row.askable = open_cycle and row.state not in status.REPORTED_STATES


def board_actions(cycle: ReportingCycle, access, *, shown_only: bool = False):
    """The plan's actions with their leads and, as `cycle_state`, the state of their latest update in
    this cycle (actions.status.with_cycle_state: "none" without one), read in the query itself.
    `shown_only`: rows only shown (the board's page and exports), so each action's leads are read as a
    plain list (`lead_list`, cheaper than a prefetched manager per action; issue 26), its `leads.all()`
    is not prefetched and its priority's identity is not joined (the rows show the plan priority's
    title); otherwise (reminders write to the leads) they are."""
    leads = Prefetch("leads", to_attr="lead_list") if shown_only else "leads"
    actions = (
        Action.objects.visible_to(access)
        .filter(plan_priority__plan=cycle.plan_id)
        .select_related("plan_priority" if shown_only else "plan_priority__priority")
        .prefetch_related(leads)
        .order_by("plan_priority__order", "order", "pk")
    )
    return status.with_cycle_state(actions, cycle)


def build_board(
    cycle: ReportingCycle,
    access,
    *,
    today: date,
    organisation=None,
    priority=None,
    state="",
    theme=None,
    shown_only: bool = False,
) -> Board:
    """Where every action of `cycle`'s plan that `access` may read stands on `today`, narrowed by the
    filters, with the shares per priority and the counts per state over every row; in a fixed number of
    queries. `shown_only`: see `board_actions`."""
    actions = board_actions(cycle, access, shown_only=shown_only)
    if theme is not None:
        actions = actions.filter(themes=theme)
    if organisation is not None:
        actions = actions.filter(leads=organisation)
    if priority is not None:
        actions = actions.filter(plan_priority__priority=priority)
    board = Board(cycle=cycle, rows=[])
    shares: dict[int, Share] = {}
    for action in actions:
        row_state = action.cycle_state
        row = BoardRow(action=action, state=row_state, overdue=status.is_overdue(cycle, row_state, today))
        row.status = status.status_for(cycle, row_state, today)
        board.counts[row_state] = board.counts.get(row_state, 0) + 1
        board.overdue_total += row.overdue
        if state and state != row_state:
            continue
        board.rows.append(row)
        share = shares.setdefault(action.plan_priority_id, Share(action.plan_priority.title))
        for tally in (share, board.overall):
            tally.total += 1
            tally.complete += row_state == ReviewState.PUBLISHED
            tally.overdue += row.overdue
    board.priorities = list(shares.values())
    return board
