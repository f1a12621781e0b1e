"""Importing indicator readings, progress updates and actions, on the one import pipeline
(`spreadsheets.pipeline`: the file read once, previewed, confirmed).

`judge` reads every row through the cell rules (`spreadsheets.cells`) and says, without writing anything,
whether it is new, changed (with old and new values), unchanged or in error (with the column and a
reason). `commit` writes every new or changed row through the review services, as submitted items (actions
through `actions_import`), in one transaction: every row is written or none is. Nothing is ever published.

Rules that hold for every column: a blank cell keeps the current value; names (indicators, areas,
organisations, statuses, plans, priorities) match as `csa_tracker.text.name_key` matches them (case,
apostrophe style and repeated spaces aside) and an unknown name is a row error, never a new record, with
the closest name and where it differs; text is compared after `normalise_text`, so line endings are never
a change. A row about something the person may only read (another organisation's published work, as
their own export lists it) is skipped with a note when unchanged, and in error when it would change.
The preview makes every check the commit makes, a locked reporting cycle included.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from actions.models import Action, FundingSource, ProgressUpdate, Status, Theme
from actions.policies import ACTIONS
from actions.services import actions_import
from actions.writing import newest_carried
from csa_tracker.accounts.models import Organisation
from csa_tracker.notifications.services import notify
from csa_tracker.refusals import Refusal
from csa_tracker.text import name_key, normalise_text
from cycles.models import CycleState, ReportingCycle
from indicators.areas import Coverage
from indicators.models import Geography, Indicator, IndicatorReading, Population, Unit
from indicators.periods import PeriodType
from indicators.policies import READINGS
from indicators.rules import comparison_reading, latest_published_reading, reading_rule_flags
from indicators.selectors import plain_number
from indicators.suppression import is_suppressed, suppressed_text
from indicators.values import reading_value_refusal
from priorities.models import Plan, PlanPriority
from workflow.models import OPEN_STATES, ReviewState
from workflow.notifications import working_group
from workflow.services import items_import

from . import cells
from .cells import MAX_NAME_CHARS, CellError, Names
from .examples import example_period_end, year_examples
from .files import rows_as_dicts
from .pipeline import CHANGED, ERROR, NEW, READ_ONLY, UNCHANGED, ImportRefused, Preview, RowResult, SheetImport, shown


def _same(old, new) -> bool:
    """Equal as the person sees them: text after `normalise_text` and outer spaces (CRLF is LF)."""
    if isinstance(old, str) and isinstance(new, str):
        return normalise_text(old).strip() == normalise_text(new).strip()
    return old == new


class ItemImporter(SheetImport):
    """What the imports of plan items and figures share; subclasses say which columns, how a row finds the
    item it is about (for reviewed items: the open one and the latest published one), and which values
    are compared."""

    model: type
    reviewed = True
    compared: list[tuple[str, str]]  # (column, field) a row may change

    # Hooks for subclasses.
    def load(self, access, rows: list[tuple[int, dict]]) -> None:
        """Fetch everything the rows refer to, in a fixed number of queries."""
        raise NotImplementedError

    def parse(self, access, row: dict, result: RowResult) -> dict:
        raise NotImplementedError

    def key(self, values: dict):
        raise NotImplementedError

    def current(self, key) -> tuple[object | None, object | None]:
        """The open item and the latest published one for this subject."""
        raise NotImplementedError

    def new_fields(self, values: dict, result: RowResult) -> dict:
        raise NotImplementedError

    def template_rows(self, access) -> list[list]:
        raise NotImplementedError

    def value_of(self, item, name: str):
        return getattr(item, name)

    def judge(self, access, table) -> Preview:
        rows = list(rows_as_dicts(table, self.headers))
        self.load(access, rows)
        results, first_row_for = [], {}
        for number, row in rows:
            result = RowResult(number=number)
            values = self.parse(access, row, result)
            cell_errors = list(result.errors)
            if result.status != ERROR:
                self._compare(values, result)
            if result.read_only and result.status != UNCHANGED:
                # Whatever else the row would meet, the person may not write it: say that, and any bad cell.
                result.status, result.changes, result.errors = ERROR, [], [result.read_only, *cell_errors]
            self._check_writable(result)
            if result.status in (NEW, CHANGED):
                key = self.key(values)
                if key in first_row_for:
                    result.error("", f"The same {self.noun} is also on row {first_row_for[key]}.")
                first_row_for.setdefault(key, number)
            results.append(result)
        return Preview(rows=results, notes=[*self.unread_note(table), *self.notes(results)])

    def notes(self, rows: list[RowResult]) -> list[str]:
        """Sentences for the person about rows left alone."""
        count = sum(row.status == READ_ONLY for row in rows)
        if not count:
            return []
        rows = "row is" if count == 1 else "rows are"
        return [
            f"{count:,} {rows} about work you may only read (another organisation’s, as your export lists it); "
            "unchanged, so skipped."
        ]

    def _check_writable(self, result: RowResult) -> None:
        """What the commit would refuse, refused here: rows the person may only read (skipped when they
        change nothing), and open items whose reporting cycle is locked (the Working Group may reopen it) or
        published (it never changes again)."""
        if result.read_only:
            result.status = READ_ONLY if result.status == UNCHANGED else result.status
            return
        item = result.item
        if result.status in (NEW, CHANGED) and item is not None and not getattr(item, "accepts_submissions", True):
            cycle = getattr(item, "cycle", None)
            name = getattr(cycle, "name", "")
            if getattr(cycle, "state", None) == CycleState.PUBLISHED:
                # A published cycle is never reopened: asking the Working Group to would lead nowhere (issue 25).
                words = f"The reporting cycle “{name}” is published, so its {self.noun}s can no longer change."
                result.error("", words)
                return
            result.error(
                "",
                f"The reporting cycle “{name}” is locked: the Working Group must reopen it before this "
                f"{self.noun} can change.",
            )

    def _compare(self, values: dict, result: RowResult) -> None:
        open_item, published = self.current(self.key(values))
        base = open_item or published
        if base is None:
            result.status = NEW
            result.fields = self.new_fields(values, result)
            result.changes = [
                (column, None, shown(result.fields[name])) for column, name in self.compared if name in result.fields
            ]
            return
        value = self.value_of
        proposed = {name: value(base, name) for _, name in self.compared}
        proposed.update({name: values[name] for _, name in self.compared if values.get(name) is not None})
        if any(
            all(_same(value(item, name), proposed[name]) for _, name in self.compared)
            for item in (open_item, published)
            if item
        ):
            result.status = UNCHANGED
            return
        result.changes = [
            (column, shown(value(base, name)), shown(proposed[name]))
            for column, name in self.compared
            if not _same(value(base, name), proposed[name])
        ]
        if getattr(open_item, "state", None) == ReviewState.SUBMITTED:
            result.error(
                "",
                f"This {self.noun} is already submitted and waiting for review; withdraw it "
                "first or ask the Working Group to return it.",
            )
            return
        result.status = CHANGED
        result.item = open_item
        result.fields = proposed if open_item else self.new_fields({**values, **proposed}, result)

    def commit(self, access, preview: Preview) -> int:
        """Write every new and changed row as a submitted item, or nothing."""
        rows = [(row.item, row.fields) for row in preview.to_write]
        try:
            with transaction.atomic():
                written = items_import(access=access, model=self.model, rows=rows, flags=self.rule_flags)
                transaction.on_commit(lambda: self._notify(access, written))
        except Refusal as exc:
            raise ImportRefused(f"{exc} Nothing was imported.") from exc
        return written

    def _notify(self, access, count: int) -> None:
        """One e-mail to the Working Group for the whole file, instead of one per row."""
        if not count:
            return
        partnership = access.partnership
        queue = reverse("review_queue", kwargs={"partnership": partnership.slug})
        context = {
            "count": count,
            "noun": self.noun,
            "importer": access.user,
            "partnership": partnership,
            "url": settings.SITE_URL + queue,
        }
        notify(
            kind_key="submitted",
            recipients=working_group(partnership),
            partnership=partnership,
            template="spreadsheets/email/imported.txt",
            context=context,
            url=queue,
        )

    def rule_flags(self, item) -> list[dict]:
        return item.compute_rule_flags()


# How an export shows a small district count; read back, it means "the figure recorded", never a figure.
SUPPRESSED_SHOWN = re.compile(r"fewer than \d+", re.IGNORECASE)
SUPPRESSED_REFUSAL = (
    "“fewer than …” is how pages show a small count, not a figure; enter the actual figure (it is hidden "
    "automatically)."
)


def indicator_period(indicator, end: cells.PeriodEnd):
    """The indicator's period ending where the cell says (`cells.period`), or CellError: a quarter is
    only a quarterly indicator's period (Q1 2018/19 is not a month)."""
    if end.kind == "quarter" and indicator.period_type != PeriodType.QUARTER:
        kind = indicator.get_period_type_display().lower()
        raise CellError(f"“{end.text}” is a quarter; “{indicator}” is reported per {kind}, so give its period's end.")
    try:
        return indicator.period_ending(end.end)
    except ValueError as exc:
        raise CellError(str(exc)) from exc


def _key(value) -> str:
    """The name key of a name cell, or "" for a cell that is not a name (blank, unreadable, too long)."""
    if not isinstance(value, str) or len(value) > MAX_NAME_CHARS:
        return ""
    return name_key(value)


class ReadingImporter(ItemImporter):
    model = IndicatorReading
    noun = "indicator reading"
    title = "Indicator readings"
    columns = ["Indicator", "Area", "Period end", "Value", "Approximate", "Source note"]
    informational = ["Period", "State"]
    compared = [("Value", "value"), ("Approximate", "approximate"), ("Source note", "source_note")]

    def landing(self, access) -> str:
        """After confirming, the imported readings (a tester landed on My actions and saw no readings): the
        review queue's indicator readings for whoever reviews them, else My actions at its readings."""
        slug = access.partnership.slug
        if READINGS.permits(access, "review"):
            return reverse("review_queue", kwargs={"partnership": slug}) + "?kind=reading"
        return reverse("my_work", kwargs={"partnership": slug}) + "#indicator-readings"

    def load(self, access, rows) -> None:
        indicators = list(Indicator.objects.visible_to(access).select_related("geography"))
        self.indicators = Names("indicator", indicators)
        self.editable = set(Indicator.objects.editable_by(access).values_list("pk", flat=True))
        geographies = list(Geography.objects.in_partnership(access.partnership))
        self.areas = Names("area", geographies)
        self.coverage = Coverage(geographies)
        named = {_key(row["Indicator"]) for _, row in rows}
        wanted = [indicator.pk for indicator in indicators if name_key(indicator.name) in named]
        readings = IndicatorReading.objects.filter(indicator__in=wanted).filter(
            Q(state__in=OPEN_STATES) | Q(state=ReviewState.PUBLISHED)
        )
        self.open, self.published, self.baselines, self.comparisons, self.batch = {}, {}, {}, {}, {}
        self.loaded = set(wanted)  # indicators whose every open and published reading is in the two dicts
        for reading in readings.order_by("published_at"):
            key = (reading.indicator_id, reading.geography_id, reading.period_end)
            (self.open if reading.state in OPEN_STATES else self.published)[key] = reading
        self._reported, self._populations = {}, None

    def parse(self, access, row, result) -> dict:
        indicator = self.cell(result, "Indicator", lambda v: self.indicators.get(cells.text(v)), row["Indicator"])
        if indicator is not None and indicator.pk not in self.editable:
            result.read_only = (
                "Indicator",
                f"You cannot submit readings for “{indicator}”: your organisation does not supply it.",
            )
        area = self.cell(result, "Area", lambda v: self.areas.get(cells.text(v)), row["Area"])
        if indicator is not None and area is not None and area.pk not in self._reported_ids(indicator):
            result.error("Area", self.coverage.refusal(indicator, area))
        year_start = access.partnership.year_start_month
        end = self.cell(result, "Period end", lambda v: cells.period(v, year_start=year_start), row["Period end"])
        for column in ("Indicator", "Area", "Period end"):
            if cells.blank(row[column]) and not any(c == column for c, _ in result.errors):
                result.error(column, "is blank; every row needs an indicator, an area and a period end.")
        shown_suppressed = isinstance(row["Value"], str) and SUPPRESSED_SHOWN.fullmatch(row["Value"].strip())
        values = {
            "value": None if shown_suppressed else self.cell(result, "Value", self.number, row["Value"]),
            "shown_suppressed": bool(shown_suppressed),
            "approximate": self.cell(result, "Approximate", cells.yes_no, row["Approximate"]),
            "source_note": self.cell(
                result, "Source note", lambda v: cells.text(v, max_length=300), row["Source note"]
            ),
        }
        refusal = indicator and values["value"] is not None and reading_value_refusal(indicator, values["value"])
        if refusal:
            result.error("Value", refusal)
        if indicator is not None and end is not None:
            period = self.cell(result, "Period end", lambda end: indicator_period(indicator, end), end)
            if period is not None:
                values.update(indicator=indicator, geography=area, period=period)
                result.label = f"{indicator}, {area}, {period.label}"
                if area is not None:
                    self._check_area(indicator, area, period, result)
        return values

    def _reported_ids(self, indicator) -> set[int]:
        """The areas `indicator` is reported for: its own, those within it (issue 16) and the others
        chosen for it in Settings (issue 14); read once per indicator per file."""
        if indicator.pk not in self._reported:
            chosen = set(indicator.areas.values_list("pk", flat=True))
            self._reported[indicator.pk] = self.coverage.within(indicator.geography) | chosen
        return self._reported[indicator.pk]

    def _check_area(self, indicator, area, period, result) -> None:
        """A rate needs the area's population for the year the period ends in (issue 14); the
        partnership's populations are read once per file."""
        if indicator.unit == Unit.RATE_PER_1000 and area.pk in self._reported_ids(indicator):
            if self._populations is None:
                held = Population.objects.filter(geography__partnership=indicator.partnership_id)
                self._populations = set(held.values_list("geography_id", "year"))
            if (area.pk, period.end.year) not in self._populations:
                result.error("Area", f"There is no population for {area} in {period.end.year}; add it first.")

    def key(self, values):
        return (values["indicator"].pk, values["geography"].pk, values["period"].end)

    def _compare(self, values: dict, result: RowResult) -> None:
        """As for every import, and a value shown as "fewer than 5" (how the export shows a small district
        count) keeps the current figure only where that figure is indeed one so hidden."""
        super()._compare(values, result)
        if values["shown_suppressed"] and result.status != ERROR:
            open_item, published = self.current(self.key(values))
            base = open_item or published
            if base is None or not is_suppressed(values["indicator"], values["geography"], base.value):
                result.error("Value", SUPPRESSED_REFUSAL)

    def commit(self, access, preview: Preview) -> int:
        """As for every import; each figure in the file is known, before any is written, as the comparison
        figure of the rows a year later, in whichever order the rows come (issue 25)."""
        self.batch = {}
        for row in preview.to_write:
            if row.item is not None:
                key = (row.item.indicator_id, row.item.geography_id, row.item.period_end)
                value = row.fields.get("value", row.item.value)
            else:
                key = (row.fields["indicator"].pk, row.fields["geography"].pk, row.fields["period_end"])
                value = row.fields["value"]
            self.batch[key] = SimpleNamespace(value=value)
        return super().commit(access, preview)

    def rule_flags(self, item) -> list[dict]:
        """As for one submission, with the readings looked up in what `load` fetched and the file holds."""
        return reading_rule_flags(item, latest_published=self._latest_published, comparison=self._comparison)

    def _comparison(self, indicator_id, geography_id, period_end):
        """The comparison figure for the key (`rules.comparison_reading`): the file's own row first, then a
        reading waiting for review, then the published one, from what `load` read where it can."""
        key = (indicator_id, geography_id, period_end)
        if key in self.batch:
            return self.batch[key]
        if indicator_id in self.loaded:
            waiting = self.open.get(key)
            if waiting is not None and waiting.state == ReviewState.SUBMITTED:
                return waiting
            return self.published.get(key)
        if key not in self.comparisons:
            self.comparisons[key] = comparison_reading(*key)
        return self.comparisons[key]

    def _latest_published(self, indicator_id, geography_id, period_end):
        """The latest published reading for the key. `load` read every published reading of the file's
        indicators, so a period missing there has none: no query per row (a 10,000-row commit spent 24 of
        its 31 s asking, issue 18). Only an indicator `load` did not read is looked up."""
        key = (indicator_id, geography_id, period_end)
        if key in self.published or indicator_id in self.loaded:
            return self.published.get(key)
        if key not in self.baselines:
            self.baselines[key] = latest_published_reading(*key)
        return self.baselines[key]

    def current(self, key):
        return self.open.get(key), self.published.get(key)

    def new_fields(self, values, result) -> dict:
        if values.get("value") is None and not values["shown_suppressed"]:
            result.error("Value", "is blank; a new reading needs a figure.")
        period = values["period"]
        return {
            "indicator": values["indicator"],
            "geography": values["geography"],
            "period_start": period.start,
            "period_end": period.end,
            "value": values.get("value"),
            "approximate": bool(values.get("approximate")),
            "source_note": values.get("source_note") or "",
        }

    @staticmethod
    def export_row(reading) -> list:
        """One reading as the export lists it; a small district count shows as pages show it ("fewer than
        5", `indicators.suppression`), for every role."""
        hidden = is_suppressed(reading.indicator, reading.geography, reading.value)
        return [
            reading.indicator.name,
            reading.geography.name,
            reading.period_end,
            suppressed_text(reading.indicator) if hidden else plain_number(reading.value),  # 46036, not 46036.00
            "Yes" if reading.approximate else "No",
            reading.source_note,
            reading.period.label,
            reading.get_state_display(),
        ]

    def template_rows(self, access) -> list[list]:
        indicator = Indicator.objects.editable_by(access).select_related("geography").first()
        if indicator is None:
            return []
        end = example_period_end(indicator)  # follows the partnership's year (issue 25)
        return [[indicator.name, indicator.geography.name, end, "1,234", "No", "", "", ""]]


class UpdateImporter(ItemImporter):
    model = ProgressUpdate
    noun = "progress update"
    title = "Progress updates"
    columns = ["Action ID", "Status", "Progress"]
    optional = ["Cycle"]  # read when present: a row of an earlier cycle is never written into the open one
    informational = ["Action", "State"]
    compared = [("Status", "status"), ("Progress", "text")]

    def load(self, access, rows) -> None:
        self.actions = {a.pk: a for a in Action.objects.visible_to(access).select_related("plan_priority__plan")}
        self.editable = set(Action.objects.editable_by(access).values_list("pk", flat=True))
        self.statuses = Names("status", Status.objects.in_partnership(access.partnership))
        updates = ProgressUpdate.objects.filter(action_id__in=self.actions).select_related("status", "cycle")
        self.open, self.published, self.of_cycle = {}, {}, {}
        for update in updates.filter(Q(state__in=OPEN_STATES) | Q(state=ReviewState.PUBLISHED)).order_by(
            "published_at"
        ):
            (self.open if update.state in OPEN_STATES else self.published)[update.action_id] = update
            if update.state == ReviewState.PUBLISHED:
                self.of_cycle[(update.action_id, update.cycle.name.casefold())] = update
        self.cycles = {}
        # Last year's action numbers, as an export made before the roll-forward lists them, lead to the
        # newest action each was carried into (issue 25); read from the actions above, no query more.
        later = {a.carried_from_id: a for a in self.actions.values() if a.carried_from_id is not None}
        self.carried = {pk: newest_carried(first, lambda a: later.get(a.pk)) or first for pk, first in later.items()}

    def parse(self, access, row, result) -> dict:
        action = self.cell(result, "Action ID", self._action, row["Action ID"])
        values = {
            "action": action,
            "status": self.cell(result, "Status", lambda v: self.statuses.get(cells.text(v)), row["Status"]),
            "text": self.cell(result, "Progress", lambda v: cells.text(v, max_length=20_000), row["Progress"]),
            "cycle": cells.text(row.get("Cycle")) or "",
        }
        if action is not None:
            result.label = action.wording
            if action.pk not in self.editable:
                result.read_only = ("Action ID", f"Your organisation does not lead or support action {action.pk}.")
        return values

    def _action(self, value):
        number = self.number(value)
        if number is None:
            raise CellError("is blank; every row needs the action’s ID from the export.")
        action = self.actions.get(int(number)) if number == int(number) else None
        if action is None:
            raise CellError(f"There is no action {value} in this partnership’s plans.")
        return action

    def key(self, values):
        return values["action"].pk

    def current(self, key):
        return self.open.get(key), self.published.get(key)

    def _compare(self, values, result) -> None:
        """A row of the export names its cycle: one of an earlier cycle is compared with that cycle's
        published update (unchanged: skipped), and a change to it is refused, never written into the open
        cycle's update (a round-tripped export once moved last quarter's text into this one)."""
        named, action = values["cycle"], values["action"]
        writes_to = self._cycle_written(action)
        if (
            not named
            or writes_to is None
            or writes_to.state != CycleState.OPEN
            or named.casefold() == writes_to.name.casefold()
        ):
            super()._compare(values, result)  # no cycle takes it: the usual messages say so
            return
        own = self.of_cycle.get((action.pk, named.casefold()))
        if own is not None and all(
            values.get(name) is None or _same(getattr(own, name), values[name]) for _, name in self.compared
        ):
            result.status = UNCHANGED
            return
        result.error(
            "Cycle",
            f"is “{named}”, but progress can be imported only for the open cycle, “{writes_to.name}”: put this "
            "change on that cycle’s row, or leave Cycle blank.",
        )

    def _cycle_written(self, action):
        """The cycle a row about `action` would write to: its open update's, else its plan's current cycle."""
        open_update = self.open.get(action.pk)
        if open_update is not None:
            return open_update.cycle
        plan = action.plan_priority.plan
        if plan.pk not in self.cycles:
            self.cycles[plan.pk] = ReportingCycle.objects.current_for(plan)
        return self.cycles[plan.pk]

    def new_fields(self, values, result) -> dict:
        action = values["action"]
        cycle = self._cycle_written(action)
        carried = self.carried.get(action.pk)
        if (cycle is None or cycle.state != CycleState.OPEN) and carried is not None:
            result.error(
                "",
                f"Action {action.pk} was carried into {carried.plan_priority.plan.title} as action {carried.pk}: "
                "use that Action ID.",
            )
        elif cycle is None or cycle.state != CycleState.OPEN:
            result.error("", "No reporting cycle is open for this action’s plan, so progress cannot be imported now.")
        if values.get("text") is None:
            result.error("Progress", "is blank; write the progress for this period.")
        return {
            "action": action,
            "cycle": cycle,
            "text": values.get("text"),
            "status": values.get("status") or action.status,
        }

    @staticmethod
    def export_row(update) -> list:
        return [
            update.action_id,
            update.status.name,
            update.text,
            update.cycle.name,
            update.action.wording,
            update.get_state_display(),
        ]

    def template_rows(self, access) -> list[list]:
        action = Action.objects.editable_by(access).select_related("status").first()
        if action is None:
            return []
        return [[action.pk, action.status.name, "What was done this period.", action.wording, "", ""]]


class ActionImporter(ItemImporter):
    """The plan itself (Working Group only): new actions (blank Action ID) and changes to existing ones.
    Actions are not reviewed items, so rows are written by `actions.services.actions_import`."""

    model = Action
    noun = "action"
    reviewed = False
    title = "Actions (Working Group only)"
    columns = ["Action ID", "Plan", "Priority", "Action", "Leads", "Supporters", "Status", "Funding", "Start", "Due"]
    optional = ["Themes"]  # read when present (issue 25); a file made before the column keeps every action's themes
    compared = [
        ("Priority", "plan_priority"),
        ("Action", "wording"),
        ("Leads", "leads"),
        ("Supporters", "supporters"),
        ("Status", "status"),
        ("Funding", "funding"),
        ("Start", "start_date"),
        ("Due", "due_date"),
        ("Themes", "themes"),
    ]

    def load(self, access, rows) -> None:
        actions = Action.objects.visible_to(access).select_related("plan_priority__plan", "status", "funding")
        self.actions = {action.pk: action for action in actions.prefetch_related("leads", "supporters", "themes")}
        self.themes = {name_key(theme.name): theme for theme in Theme.objects.in_partnership(access.partnership)}
        plans = Plan.objects.for_partnership(access.partnership).prefetch_related("plan_priorities")
        self.plans = Names("plan", plans, attribute="title")
        self.priorities = {
            plan.pk: Names(f"priority in “{plan}”", plan.plan_priorities.all(), "title") for plan in plans
        }
        self.organisations = Names("organisation", Organisation.objects.filter(partnership=access.partnership))
        self.statuses = Names("status", Status.objects.in_partnership(access.partnership))
        self.funding = Names("funding source", FundingSource.objects.in_partnership(access.partnership))

    def parse(self, access, row, result) -> dict:
        action = self.cell(result, "Action ID", self._action, row["Action ID"])
        plan = self.cell(result, "Plan", lambda v: self.plans.get(cells.text(v)), row["Plan"])
        if plan is None and action is not None:
            plan = action.plan_priority.plan
        values = {
            "action": action,
            "plan_priority": self.cell(
                result, "Priority", lambda v: self._priority(plan, cells.text(v)), row["Priority"]
            ),
            "wording": self.cell(result, "Action", lambda v: cells.text(v, max_length=5_000), row["Action"]),
            "leads": self.cell(result, "Leads", self._organisations, row["Leads"]),
            "supporters": self.cell(result, "Supporters", self._organisations, row["Supporters"]),
            "status": self.cell(result, "Status", lambda v: self.statuses.get(cells.text(v)), row["Status"]),
            "funding": self.cell(result, "Funding", lambda v: self.funding.get(cells.text(v)), row["Funding"]),
            "start_date": self.cell(result, "Start", cells.day, row["Start"]),
            "due_date": self.cell(result, "Due", cells.day, row["Due"]),
            "themes": self.cell(result, "Themes", self._themes, row["Themes"]),
        }
        result.label = (action.wording if action else values["wording"]) or ""
        return values

    def _action(self, value):
        number = self.number(value)
        if number is None:
            return None  # a new action
        action = self.actions.get(int(number)) if number == int(number) else None
        if action is None:
            raise CellError(f"There is no action {value} in this partnership’s plans; leave it blank for a new one.")
        return action

    def _priority(self, plan, title):
        if title is None:
            return None
        if plan is None:
            raise CellError("needs the plan it belongs to in the Plan column.")
        return self.priorities[plan.pk].get(title)

    def _organisations(self, value):
        names = [name.strip() for name in (cells.text(value) or "").split(";") if name.strip()]
        return frozenset(self.organisations.get(name) for name in names) if names else None

    def _themes(self, value):
        """The partnership's themes a Themes cell names (issue 25): separated by ";" or, in a cell without
        one, by ","; a whole cell that is one theme's name (commas and all) is that theme. Names match as
        `name_key` matches them (case aside). None for a blank cell (the action's themes are kept); CellError
        naming an unknown theme and the partnership's themes."""
        text = cells.text(value)
        if not text or not text.strip():
            return None
        if name_key(text) in self.themes:
            return frozenset({self.themes[name_key(text)]})
        names = [name.strip() for name in text.split(";" if ";" in text else ",") if name.strip()]
        unknown = [name for name in names if name_key(name) not in self.themes]
        if unknown:
            known = sorted(theme.name for theme in self.themes.values())
            listed = "; ".join(known) if known else "none yet (add them under Settings, Cross-cutting themes)"
            which = "is not one of" if len(unknown) == 1 else "are not among"
            named = ", ".join(f"“{name}”" for name in unknown)
            raise CellError(f"{named} {which} this partnership’s themes, which are: {listed}.")
        return frozenset(self.themes[name_key(name)] for name in names)

    def value_of(self, item, name: str):
        if name in ("leads", "supporters", "themes"):
            return frozenset(getattr(item, name).all())
        return getattr(item, name)

    def key(self, values):
        action = values["action"]
        return ("action", action.pk) if action else ("new", values["plan_priority"], values["wording"])

    def current(self, key):
        return (self.actions[key[1]] if key[0] == "action" else None), None

    def new_fields(self, values, result) -> dict:
        for column, name in (
            ("Priority", "plan_priority"),
            ("Action", "wording"),
            ("Leads", "leads"),
            ("Status", "status"),
        ):
            if values.get(name) is None:
                result.error(column, "is blank; a new action needs a plan, priority, wording, leads and a status.")
        return {name: values.get(name) for _, name in self.compared if values.get(name) is not None}

    def commit(self, access, preview: Preview) -> int:
        return actions_import(access=access, rows=[(row.item, row.fields) for row in preview.to_write])

    @staticmethod
    def export_row(action) -> list:
        return [
            action.pk,
            action.plan_priority.plan.title,
            action.plan_priority.title,
            action.wording,
            "; ".join(sorted(org.name for org in action.leads.all())),
            "; ".join(sorted(org.name for org in action.supporters.all())),
            action.status.name,
            action.funding.name if action.funding else "",
            action.start_date,
            action.due_date,
            "; ".join(theme.name for theme in action.themes.all()),
        ]

    def template_rows(self, access) -> list[list]:
        plan_priority = PlanPriority.objects.visible_to(access).select_related("plan").first()
        if plan_priority is None:
            return []
        organisation = ACTIONS.acting_organisation(access)
        status = Status.objects.in_partnership(access.partnership).first()
        year = year_examples(access.partnership)  # the partnership's year, not always April's (issue 25)
        return [
            [
                "",
                plan_priority.plan.title,
                plan_priority.title,
                "What the action will do.",
                organisation.name if organisation else "",
                "",
                status.name if status else "",
                "",
                year.first,
                year.last,
                "",
            ]
        ]


# Classes, not instances: an importer holds the lookups of one file while it is read.
IMPORTERS = {"readings": ReadingImporter, "updates": UpdateImporter, "actions": ActionImporter}
