"""The completeness board: where every action of a cycle's plan stands, per priority and lead
organisation, in a fixed number of queries whatever the number of actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from html import escape
from typing import NamedTuple

from django.conf import settings
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from actions import status
from actions.kept import PLAN_ORDER, plan_actions
from actions.models import Action
from actions.rows import action_address
from csa_tracker.accounts.fragments import kept_while_shared_work_unchanged
from csa_tracker.accounts.people import display_name
from csa_tracker.addresses import address_for_each
from csa_tracker.audit.models import AuditEntry
from cycles.models import ReportingCycle
from workflow.models import ReviewState

# A stand-in for the action's key in the "Request an update" address reversed once per board.
# The states and their words are defined once, in actions.status.
NO_UPDATE = status.NO_UPDATE
BOARD_STATES = status.STATE_LABELS
OWED_STATES = status.OWED_STATES


# Named tuples rather than frozen dataclasses: a plan's hundreds of rows are made several times faster.
class Lead(NamedTuple):
    """A lead organisation as the board shows it: its key, `display_name` (short name, else name) and
    whether a reminder reaches anyone there (`policies.members_to_email`)."""

    pk: int
    display_name: str
    reachable: bool


class ShownAction(NamedTuple):
    """An action as the board's page and exports show it, read as values (issue 26: no model instances
    for hundreds of rows): `lead_list` its lead organisations (Lead), by name."""

    pk: int
    wording: str
    due_date: date | None
    plan_priority_id: int
    lead_list: list


@dataclass
class BoardRow:
    action: Action | ShownAction
    state: str
    overdue: bool
    status: status.CycleStatus | None = None
    # Lead organisations with nobody a reminder can reach (`build_board` for shown rows, else
    # reminders.mark_unreachable).
    unreachable: list = field(default_factory=list)
    # The title of the action's priority in its plan.
    priority_title: str = ""

    @property
    def state_label(self) -> str:
        return BOARD_STATES[self.state]

    @cached_property
    def leads(self) -> list:
        """The action's lead organisations (a ShownAction's `lead_list`, or the Action's prefetched
        `leads`), read once for the row."""
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
    # Overdue actions among the rows the filters keep (unfiltered, the dashboards compare this).
    overdue_total: int = 0
    # Every organisation leading an action of the plan, filtered or not, by name: {key: name} (the
    # Organisation filter's options; read with the shown rows' leads, `shown_actions`).
    organisations: dict = field(default_factory=dict)

    @property
    def state_counts(self) -> list[tuple[str, int]]:
        """How many actions are in each state, in the order work moves through them."""
        return [(label, self.counts.get(state, 0)) for state, label in BOARD_STATES.items()]

    @property
    def counts_text(self) -> str:
        """`state_counts` in words: "103 no update yet; 97 draft; …" (without the closing full stop)."""
        return "; ".join(f"{whole(count)} {label.lower()}" for label, count in self.state_counts)

    @property
    def share_rows(self) -> str:
        """The body of the table of shares per priority (SHARE_ROW_HTML each), made here rather than by a
        template loop of eight tags a row (issue 26)."""
        return mark_safe(  # noqa: S308 - the title escaped here, the rest numbers
            "".join(
                SHARE_ROW_HTML.format(
                    escape(share.label),
                    *(whole(number) for number in (share.complete, share.total, share.percent, share.overdue)),
                )
                for share in self.priorities
            )
        )


def whole(number: int) -> str:
    """A whole number as the template engine writes it (`localize`), which groups its digits only with
    USE_THOUSAND_SEPARATOR: without, `str` is the same and a tenth of the cost."""
    return localize(number) if settings.USE_THOUSAND_SEPARATOR else str(number)


# One priority's row of the board's table of shares, as cycles/board_body.html showed it.
SHARE_ROW_HTML = """
    <tr><th scope="row" class="fw-normal">{}</th><td data-label="Published">{} of {}</td>\
<td data-label="Share complete">{}%</td><td data-label="Overdue">{} overdue</td></tr>
  """


# One row of the board's action table, as cycles/board_body.html showed it with a tag per cell: made
# here once per row (issue 26: hundreds of rows cost the template engine more than the rest of the page).
ROW_HTML = """
    <tr{}>
      <th scope="row" class="fw-normal">
        <a href="{}">{}</a>
        <div class="small text-body-secondary">{}</div>
      </th>
      <td>{}{}
</td>
      <td><span class="badge state state-{}">{}</span>
<div class="small">{}</div></td>
      <td>{}</td>
    </tr>
  """
# A lead organisation nobody can be reminded at, for a reader who may invite someone, and for one who may not.
UNREACHABLE_INVITE_HTML = (
    '<div class="small unreachable">No one at {} to remind — <a href="{}">invite someone</a>.</div>'
)
UNREACHABLE_ASK_HTML = (
    '<div class="small unreachable">No one at {} to remind: ask your partnership\'s administrator to invite '
    "someone.</div>"
)
ASK_HTML = """
        <form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">
          <input type="hidden" name="query" value="{}">
          <button type="submit" class="btn btn-sm btn-outline-primary">Request an update\
<span class="visually-hidden"> on {}</span></button>
        </form>"""


@dataclass(frozen=True)
class BoardPage:
    """What every row of one rendering of the board shares: the page's `query` string (sent back with
    "Request an update"), the `csrf_token` its forms carry, and where to invite someone (`invite_url`,
    "" when the reader may not invite)."""

    query: str
    csrf_token: str
    invite_url: str


def board_cells(rows: list[BoardRow], *, partnership, cycle: ReportingCycle, page: BoardPage) -> None:
    """Set each row's `html`, its row of the board's table (ROW_HTML), worked out once per row (issue
    26: the built board runs no URL reversing, filters or template tags per row): the action's first 18
    words (" …" when cut, as `truncatewords`) linking to its page, its priority's title, its lead
    agencies ("No lead" with none) and those nobody can be reminded at, its state and where it stands,
    and, when it may be asked for an update (nothing reported and the cycle open), the form asking
    for one (naming its first 8 words)."""
    address = action_address(partnership)
    asking = address_for_each("cycle_request_update", key="action", partnership=partnership.slug, pk=cycle.pk)
    open_cycle = cycle.state == "open"
    unreachable = UNREACHABLE_INVITE_HTML if page.invite_url else UNREACHABLE_ASK_HTML
    # The standard library's escape is Django's `escape` without its lazy-text checks on every value.
    invite_url, token, query = escape(page.invite_url), escape(page.csrf_token), escape(page.query)
    for row in rows:
        action = row.action
        wording = Truncator(action.wording)
        words = escape(row.status.words)
        ask = ""
        if open_cycle and row.state not in status.REPORTED_STATES:
            short = wording.words(8, truncate=" …")
            ask = ASK_HTML.format(asking.format(action.pk), token, query, escape(short))
        row.html = mark_safe(  # noqa: S308 - every value escaped above or here
            ROW_HTML.format(
                ' class="table-warning"' if row.overdue else "",
                address.format(action.pk),
                escape(wording.words(18, truncate=" …")),
                escape(row.priority_title),
                escape(row.lead_names or "No lead"),
                "".join(unreachable.format(escape(org.display_name), invite_url) for org in row.unreachable),
                row.state,
                escape(row.state_label),
                f"<strong>{words}</strong>" if row.overdue else words,
                ask,
            )
        )


def board_actions(cycle: ReportingCycle, access):
    """The plan's actions with their leads prefetched, their priorities and, as `cycle_state`, the state
    of their latest update in this cycle (actions.status.with_cycle_state: "none" without one), read in
    the query itself."""
    actions = (
        Action.objects.visible_to(access)
        .filter(plan_priority__plan=cycle.plan_id)
        .select_related("plan_priority__priority")
        .prefetch_related("leads")
        .order_by(*PLAN_ORDER)
    )
    return status.with_cycle_state(actions, cycle)


def shown_actions(
    cycle: ReportingCycle, access, *, organisation=None, priority=None, theme=None
) -> tuple[list[tuple[ShownAction, str, str]], dict[int, str]]:
    """The actions of `cycle`'s plan that `access` may read, led by `organisation`, under `priority`
    and tagged with `theme` (each None: any), as (ShownAction, its priority's title, its state in
    `cycle`) in the plan's order; and every organisation leading an action of the plan as {key: name},
    by name, whatever the filters. One query, the states (`status.latest_states`), with the plan's
    actions kept between builds (`actions.kept.plan_actions`, which the Working Group dashboard reads too)."""
    kept, organisations = plan_actions(access, cycle.plan_id)
    states = status.latest_states(cycle)
    # A Lead per organisation, shared by the rows it leads (a few dozen, not one per action and lead).
    leads = {pk: Lead(pk, display_name, reaches) for pk, (_, display_name, reaches) in organisations.items()}
    rows = [
        (
            ShownAction(pk, wording, due, plan_priority_id, [leads[key] for key in lead_keys]),
            title,
            states.get(pk, NO_UPDATE),
        )
        for pk, wording, due, plan_priority_id, title, priority_id, lead_keys, theme_ids in kept
        if (priority is None or priority_id == priority.pk)
        and (theme is None or theme.pk in theme_ids)
        and (organisation is None or organisation.pk in lead_keys)
    ]
    return rows, {pk: name for pk, (name, _, _) in organisations.items()}


class HistoryEvent(NamedTuple):
    """A change of a cycle's state as its board lists it: when (`at`), the entry's `summary`, the states
    it went `from_state` and `to_state`, who did it (`actor`: their name, or "the daily job") and why."""

    at: datetime
    summary: str
    from_state: str
    to_state: str
    actor: str
    reason: str


def cycle_history(partnership, cycle: ReportingCycle) -> list[HistoryEvent]:
    """The audit entries about `cycle`, oldest first (HistoryEvent). An entry about a cycle moves the
    shared work generation as it is written (a cycle is no piece of partners' work, `audit_record`), as
    does a change to a person's name, so they are kept per generation (issue 26: a query and a
    related model's compiling on every build)."""

    def read() -> list[HistoryEvent]:
        entries = AuditEntry.objects.for_object(cycle).select_related("actor")
        return [
            HistoryEvent(
                entry.at,
                entry.summary,
                entry.from_state,
                entry.to_state,
                display_name(entry.actor, "the daily job"),
                entry.reason,
            )
            for entry in entries
        ]

    return kept_while_shared_work_unchanged(partnership, "cycle-history", read, cycle.pk)


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
    filters, with the shares per priority and the counts per state over those rows; in a fixed number of
    queries. `shown_only`: rows only shown (the board's page and exports), so each row's action is a
    ShownAction (`shown_actions`: the plan's actions kept between builds, their states read), with its
    `unreachable` leads, and `organisations` is filled; otherwise (reminders write to the leads, for the
    whole cycle) it is the Action, its leads and priority prefetched, and only `state` may narrow it
    (ValueError for the other filters)."""
    board = Board(cycle=cycle, rows=[])
    if shown_only:
        found, board.organisations = shown_actions(
            cycle, access, organisation=organisation, priority=priority, theme=theme
        )
    elif organisation is not None or priority is not None or theme is not None:
        raise ValueError("Only the shown board is narrowed by organisation, priority or theme.")
    else:
        found = [(action, action.plan_priority.title, action.cycle_state) for action in board_actions(cycle, access)]
    # A row's status and whether it is overdue depend on its state alone here: worked out once a state.
    by_state: dict[str, tuple[status.CycleStatus, bool]] = {}
    # How many rows of each priority are in each state, then the shares and counts from those tallies
    # (a priority's first tally comes with its first row, so the shares keep the rows' order).
    tallies: dict[tuple[int, str], int] = {}
    titles: dict[int, str] = {}
    for action, title, row_state in found:
        # The state filter narrows the counts like the others do (a tester found them left whole).
        if state and state != row_state:
            continue
        if row_state not in by_state:
            by_state[row_state] = (
                status.status_for(cycle, row_state, today),
                status.is_overdue(cycle, row_state, today),
            )
        row_status, overdue = by_state[row_state]
        row = BoardRow(action=action, state=row_state, overdue=overdue, status=row_status, priority_title=title)
        if shown_only:
            row.unreachable = [lead for lead in action.lead_list if not lead.reachable]
        board.rows.append(row)
        key = (action.plan_priority_id, row_state)
        tallies[key] = tallies.get(key, 0) + 1
        titles.setdefault(action.plan_priority_id, title)
    shares: dict[int, Share] = {}
    for (priority_id, row_state), count in tallies.items():
        overdue = by_state[row_state][1]
        board.counts[row_state] = board.counts.get(row_state, 0) + count
        board.overdue_total += count * overdue
        for tally in (shares.setdefault(priority_id, Share(titles[priority_id])), board.overall):
            tally.total += count
            tally.complete += count * (row_state == ReviewState.PUBLISHED)
            tally.overdue += count * overdue
    board.priorities = list(shares.values())
    return board
