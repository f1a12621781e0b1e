"""What each dashboard reads. Every function runs a fixed number of queries, whatever the size of the plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape

from django.db.models import Count
from django.urls import reverse
from django.utils.safestring import mark_safe

from actions import status
from actions.kept import plan_actions
from actions.models import Action
from actions.rows import ROW_FIELDS, action_rows, lead_names
from csa_tracker.accounts.fragments import shared_piece
from csa_tracker.accounts.models import Partnership
from cycles.models import ReportingCycle
from indicators.figure_cache import cached_figures
from indicators.models import Indicator, latest_period_of
from indicators.periods import Period, PeriodType
from indicators.selectors import IndicatorSummary, add_trends, indicator_summaries
from priorities.models import Plan, PlanPriority

# A stand-in for an indicator's slug in the address reversed once per table.
_SLUG = "stand-in-slug"
# A dashboard list shows this many rows and says how many there are in all.
LIST_LIMIT = 25


def current_plan(partnership) -> Plan | None:
    return Plan.objects.for_partnership(partnership).first()


def current_cycle(plan: Plan | None) -> ReportingCycle | None:
    return ReportingCycle.objects.current_for(plan) if plan else None


@dataclass
class PriorityCard:
    """A priority's card on the governing dashboard: its headline indicators compared (`summaries`, read
    only while `figures_html` is made: dashboards.views.headline_html) and its actions by status."""

    plan_priority: PlanPriority
    summaries: list[IndicatorSummary] = field(default_factory=list)
    status_counts: list[tuple[str, int]] = field(default_factory=list)
    figures_html: str = ""

    @property
    def trend(self) -> IndicatorSummary | None:
        """The card's trend chart follows its first headline indicator with a published figure."""
        return next((summary for summary in self.summaries if summary.latest), None)

    @property
    def chart_id(self) -> str:
        return f"trend-{self.plan_priority.priority.slug}"


def priority_cards(access, plan: Plan, theme=None) -> list[PriorityCard]:
    """One card per priority of the plan, with its actions counted by status (only the actions on
    `theme`, a cross-cutting theme, when one is given); `with_headline_figures` adds the figures."""
    cards = {pp.priority_id: PriorityCard(plan_priority=pp) for pp in plan.plan_priorities.select_related("priority")}
    actions = Action.objects.visible_to(access).filter(plan_priority__plan=plan)
    if theme is not None:
        actions = actions.filter(themes=theme)
    counts = (
        actions.values("plan_priority__priority_id", "status__name", "status__order")
        .annotate(number=Count("pk"))
        .order_by("plan_priority__priority_id", "status__order")
    )
    for row in counts:
        cards[row["plan_priority__priority_id"]].status_counts.append((row["status__name"], row["number"]))
    return list(cards.values())


def with_headline_figures(access, plan: Plan, cards: list[PriorityCard]) -> list[PriorityCard]:
    """`cards` with each one's `summaries` (`headline_figures`)."""
    found = headline_figures(access, plan, [card.plan_priority.priority_id for card in cards])
    for card in cards:
        card.summaries = found.get(card.plan_priority.priority_id, [])
    return cards


def headline_figures(access, plan: Plan, priority_ids: list[int]) -> dict[int, list[IndicatorSummary]]:
    """Each priority's headline indicators compared, the first with a figure carrying its trend: read
    from the cache of published figures (`indicators.figure_cache`) after the first request of a
    publication generation."""

    def build() -> dict[int, list[IndicatorSummary]]:
        headline = Indicator.objects.visible_to(access).current().filter(headline=True, priority_id__in=priority_ids)
        found: dict[int, list[IndicatorSummary]] = {}
        for summary in indicator_summaries(headline):
            found.setdefault(summary.indicator.priority_id, []).append(summary)
        firsts = (next((summary for summary in summaries if summary.latest), None) for summaries in found.values())
        trends = [first for first in firsts if first]
        add_trends(trends)
        for summary in trends:
            summary.chart  # noqa: B018 - worked out here, so the cached cards carry their chart data
        return found

    return cached_figures(access, f"headline:{plan.pk}", build)


@dataclass(frozen=True)
class Shortlist:
    """The first LIST_LIMIT items of a list, and how many there are in all (a fixed number of queries)."""

    items: list
    total: int

    @classmethod
    def of_values(
        cls,
        tables: list[tuple[list[dict], int, ReportingCycle | None]],
        *,
        partnership,
        today: date,
        leads: dict[int, str] | None = None,
    ):
        """For each (values, total, cycle) of `tables` (`actions.rows.row_values` dictionaries, already
        cut at LIST_LIMIT, and how many there are in all), a Shortlist of table rows (actions.rows.ActionRow,
        saying where each stands in `cycle` on `today` when it is not None); one query for the lead
        agencies of every table's rows, whatever the size, unless `leads` (`actions.rows.lead_names`)
        already names them."""
        if leads is None:
            leads = lead_names([value["pk"] for values, _, _ in tables for value in values])
        return [
            cls(items=action_rows(values, partnership=partnership, cycle=cycle, today=today, leads=leads), total=total)
            for values, total, cycle in tables
        ]

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class PlanLists:
    """What the Working Group dashboard shows of a plan's actions (`plan_lists`): `counts` where they
    stand in the cycle (None without one), the `unreported` list's rows and `missing` its total, the
    `overdue` list's rows and `overdue_total` its total; rows as `actions.rows.row_values` dictionaries,
    each list cut at LIST_LIMIT; `leads`, the shown rows' lead agencies as `actions.rows.lead_names`
    names them."""

    counts: dict | None
    unreported: list[dict]
    missing: int
    overdue: list[dict]
    overdue_total: int
    leads: dict[int, str]


def plan_lists(access, plan: Plan, cycle: ReportingCycle | None, today: date, theme=None) -> PlanLists:
    """Where each of `plan`'s actions stands in `cycle`, for the counts, the unreported list and the
    overdue list (issue 26: they read the same actions). One query, the statuses and the states
    (`actions.status.plan_standing`); the rest is kept, the piece the completeness board reads too
    (`actions.kept.plan_actions`: an action's wording, due date, priority, leads and themes):

    - `counts`: how many are in each state of actions.status, and how many are overdue, as the
      completeness board counts them (every action, whatever `theme`); None without a cycle;
    - the unreported list: the actions with nothing submitted or published (status.OWED_STATES; only
      those on `theme` when one is given) in the plan's order (none without a cycle), and their number;
    - the overdue list: the actions past their own due date and not complete (only those on `theme`),
      longest overdue first (then by key), and their number.
    """
    standing = status.plan_standing(plan.pk, cycle)
    counts = dict.fromkeys(status.STATE_LABELS, 0)
    unreported, overdue = [], []
    kept, organisations = plan_actions(access, plan.pk)
    lead_keys = {}
    for pk, wording, due_date, _, title, _, leads, theme_ids in kept:
        lead_keys[pk] = leads
        now = standing.get(pk)
        if now is None:  # deleted behind the services' back since it was kept
            continue
        status_name, complete, state = now
        counts[state] += 1
        if theme is not None and theme.pk not in theme_ids:
            continue
        row = (pk, wording, due_date, title, status_name, state)  # ROW_FIELDS' order, then the state
        if cycle is not None and state in status.OWED_STATES:
            unreported.append(row)
        if due_date is not None and due_date < today and not complete:
            overdue.append(row)
    overdue.sort(key=lambda row: (row[2], row[0]))  # as due_date, then pk
    fields = (*ROW_FIELDS, "cycle_state")
    found = None
    if cycle is not None:
        owed = sum(counts[state] for state in status.OWED_STATES)
        found = {
            "states": [(label, counts[state]) for state, label in status.STATE_LABELS.items()],
            "by_state": counts,
            "overdue": owed if today > cycle.update_deadline else 0,
            "missing": owed,
            "reported": sum(counts[state] for state in status.REPORTED_STATES),
        }
    shown = unreported[:LIST_LIMIT], overdue[:LIST_LIMIT]
    return PlanLists(
        counts=found,
        unreported=[dict(zip(fields, row, strict=True)) for row in shown[0]],
        missing=len(unreported),
        overdue=[dict(zip(fields, row, strict=True)) for row in shown[1]],
        overdue_total=len(overdue),
        # Display names in the organisations' order, as `lead_names` joins them (the piece keeps them so).
        leads={
            row[0]: ", ".join(organisations[key][1] for key in lead_keys[row[0]])
            for row in (*shown[0], *shown[1])
            if lead_keys[row[0]]
        },
    )


@dataclass(frozen=True)
class StaleIndicator:
    """An indicator with a stale source as its row shows it (issue 26: read as values): `url` its page,
    `name`, `period_type` (the words of how it is measured), `latest_label` (its latest published
    period's label, or "No published figure") and `source`; `html` its row of the dashboard's table
    (STALE_ROW_HTML, made here: issue 26, a hundred rows through template tags cost more than reading them)."""

    url: str
    name: str
    period_type: str
    latest_label: str
    source: str

    @property
    def html(self) -> str:
        return mark_safe(  # noqa: S308 - every value escaped here
            STALE_ROW_HTML.format(
                self.url, escape(self.name), escape(self.period_type), escape(self.latest_label), escape(self.source)
            )
        )


STALE_ROW_HTML = """
      <tr>
        <th scope="row" class="fw-normal"><a href="{}">{}</a></th>
        <td data-label="Measured by">{}</td>
        <td data-label="Latest published figure">{}</td>
        <td data-label="Source">{}</td>
      </tr>
    """


# What a stale indicator's row reads (with the `with_latest_end` annotations).
STALE_FIELDS = (
    "slug",
    "name",
    "period_type",
    "source",
    "latest_end",
    "latest_start",
    "latest_year_start",
    "latest_period_type",
)


def stale_indicators(access, today: date) -> list[StaleIndicator]:
    """Indicators whose latest published figure is older than their period type implies (the stored
    `Indicator.stale_from`), in their order: one query, whatever the number."""
    indicators = Indicator.objects.visible_to(access).current().stale_on(today).with_latest_end()
    year_start = access.partnership.year_start_month
    address = reverse("indicator_page", kwargs={"partnership": access.partnership.slug, "slug": _SLUG}).replace(
        _SLUG, "{}"
    )
    rows = []
    for row in indicators.select_related(None).values(*STALE_FIELDS):
        period_type = row["period_type"]
        latest = latest_period_of(
            row, period_type=period_type, ending=lambda end, kind=period_type: Period.ending(kind, end, year_start)
        )
        rows.append(
            StaleIndicator(
                url=address.format(row["slug"]),
                name=row["name"],
                period_type=str(PeriodType(period_type).label),
                latest_label=latest.label if latest else "No published figure",
                source=row["source"],
            )
        )
    return rows


@dataclass(frozen=True)
class StaleTable:
    """The stale sources as the Working Group dashboard's table shows them: `count` rows, and `rows_html`
    every row's `StaleIndicator.html` in order, joined once when it is cached (issue 26: a loop over a
    hundred rows in the template cost more than the rows)."""

    count: int
    rows_html: str


def published_stale_indicators(access, today: date) -> StaleTable:
    """`stale_indicators` as a `StaleTable`, read from the cache of published figures
    (`indicators.figure_cache`) after the first request of a publication generation and day: what makes
    a source stale (a published reading, an indicator's settings, the partnership's year) moves that
    generation, and the day is in the key (issue 26: it was a fifth of the Working Group dashboard
    built, on every change to the work)."""

    def build() -> StaleTable:
        rows = stale_indicators(access, today)
        return StaleTable(count=len(rows), rows_html=mark_safe("".join(row.html for row in rows)))  # noqa: S308 - escaped rows

    return cached_figures(access, f"stale:{today.isoformat()}", build)


def _mine(access, theme=None):
    """Actions my organisations lead or support, on `theme` (a Theme) when one is chosen."""
    actions = Action.objects.editable_by(access)
    return actions.filter(themes=theme) if theme is not None else actions


# What a partner's dashboard keeps of each action (`my_action_values`): the row's fields but its status,
# which publishing a progress update sets (`ProgressUpdate.on_published`) without moving the shared generation.
KEPT_FIELDS = tuple(name for name in ROW_FIELDS if name != "status__name")


def my_action_values(access, plan_ids: set[int], theme=None) -> list[dict]:
    """The actions of the plans `plan_ids` that my organisations lead or support (on `theme` when one is
    given), in the plans' order, as dictionaries of KEPT_FIELDS with `plan_priority__plan_id` and
    `leads` (`actions.rows.lead_names`). Read once per shared work generation (issue 26: compiling and
    planning them was most of the partner's dashboard built): what they say changes only with an
    audited change to the plan, its actions, their links or the lists, which moves
    `Partnership.shared_work_generation`; a progress update or a reading moves only its organisations'
    generations, and what it changes (the actions' states and statuses) is read apart (`my_lists`).
    Two queries when they are not in the cache, none when they are."""

    def read() -> list[dict]:
        mine = _mine(access, theme).filter(plan_priority__plan__in=plan_ids)
        ordered = mine.order_by("plan_priority__order", "order", "pk")
        values = list(ordered.values(*KEPT_FIELDS, "plan_priority__plan_id"))
        leads = lead_names([value["pk"] for value in values])
        return [{**value, "leads": leads.get(value["pk"], "")} for value in values]

    plans = ",".join(str(pk) for pk in sorted(plan_ids))
    # Per audience (what editable_by narrows by), plans and theme.
    return shared_piece(access, "my-actions", read, plans, theme.pk if theme else "")


def my_lists(
    access, open_cycles: list[ReportingCycle], plan: Plan, cycle: ReportingCycle | None, today: date, theme=None
) -> tuple[list[tuple[ReportingCycle, Shortlist]], Shortlist]:
    """My organisations' actions (those they lead or support; on `theme` if given) as the partner's
    dashboard lists them: for each open cycle of any plan, those of its plan with nothing reported yet;
    and those of `plan` that need nothing more in `cycle` (all of them without a cycle). Each list is
    its first LIST_LIMIT rows, saying where each stands in its cycle, and its total. One query, whatever
    the size (issue 26): the actions' statuses and their states in those cycles
    (`actions.status.statuses_and_states`); the rest comes from `my_action_values`."""
    # Each list: its plan, its cycle, and the states it lists (None: every action of the plan).
    lists = [(due.plan_id, due, status.OWED_STATES) for due in open_cycles]
    lists.append((plan.pk, cycle, status.REPORTED_STATES if cycle is not None else None))
    values = my_action_values(access, {plan_id for plan_id, _, _ in lists}, theme)
    # A state per cycle, read once: the shown cycle is usually one of the open ones (issue 26).
    cycles = list({found.pk: found for _, found, _ in lists if found is not None}.values())
    keys = [value["pk"] for value in values]
    statuses, states = status.statuses_and_states(keys, cycles) if keys else ({}, {})
    found: list[list[dict]] = [[] for _ in lists]
    for value in values:
        for n, (plan_id, shown, listed) in enumerate(lists):
            if value["plan_priority__plan_id"] != plan_id:
                continue
            state = states.get((value["pk"], shown.pk), status.NO_UPDATE) if shown is not None else None
            if listed is None or state in listed:
                found[n].append({**value, "status__name": statuses.get(value["pk"]), "cycle_state": state})
    leads = {value["pk"]: value["leads"] for value in values}
    *due, others = (
        Shortlist(
            items=action_rows(rows[:LIST_LIMIT], partnership=access.partnership, cycle=shown, today=today, leads=leads),
            total=len(rows),
        )
        for rows, (_, shown, _) in zip(found, lists, strict=True)
    )
    return list(zip(open_cycles, due, strict=True)), others


@dataclass
class SharedIndicator:
    """A county headline indicator and the district partnerships' published figures for it."""

    name: str
    districts: list[IndicatorSummary]


def district_figures(access) -> list[SharedIndicator]:
    """For each headline indicator of this partnership, the same indicator (by slug) in its district
    partnerships: only published readings, with small counts suppressed as in every other output."""
    headline = dict(
        Indicator.objects.visible_to(access)
        .current()
        .filter(headline=True)
        .order_by("order", "name")
        .values_list("slug", "name")
    )
    shared = Indicator.objects.filter(partnership__parent=access.partnership, slug__in=headline).select_related(
        "partnership"
    )
    by_slug: dict[str, list[IndicatorSummary]] = {}
    for summary in indicator_summaries(shared.order_by("partnership__name")):
        by_slug.setdefault(summary.indicator.slug, []).append(summary)
    return [SharedIndicator(name=headline[slug], districts=by_slug[slug]) for slug in headline if slug in by_slug]


def district_generations(access) -> tuple[str, ...]:
    """The figures generation of each district partnership under this one ("pk.generation"): a district
    publishing moves the county dashboard's cached body (its `district_figures`)."""
    children = Partnership.objects.filter(parent=access.partnership).order_by("pk")
    return tuple(f"{pk}.{generation}" for pk, generation in children.values_list("pk", "figures_generation"))
