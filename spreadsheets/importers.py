"""Importing progress updates and indicator readings from a spreadsheet.

`preview` reads every row and says, without writing anything, whether it is new, changed (with old
and new values), unchanged or in error (with the column and a reason). `commit` re-checks the file
against the current data and writes every new or changed row through the review services, as
submitted items, in one transaction: every row is written or none is. Nothing is ever published.

Rules that hold for every column: a blank cell keeps the current value; names (indicators, areas,
organisations, statuses, plans, priorities) match as `csa_tracker.text.name_key` matches them (case,
apostrophe style and repeated spaces aside) and an unknown name is a row error, never a new record, with
the closest name and where it differs; text is compared after `normalise_text`, so line endings are never
a change. A row about something the person may only read (another organisation's published work, as
their own export lists it) is skipped with a note when unchanged, and in error when it would change.
The preview makes every check the commit makes, a locked reporting cycle included.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from actions.models import Action, FundingSource, ProgressUpdate, Status
from actions.policies import ACTIONS
from actions.services import actions_import
from csa_tracker.accounts.models import Organisation
from csa_tracker.notifications.services import notify
from csa_tracker.refusals import Refusal
from csa_tracker.text import name_key, normalise_text
from cycles.models import CycleState, ReportingCycle
from indicators.areas import Coverage
from indicators.models import Geography, Indicator, IndicatorReading, Population, Unit
from indicators.rules import latest_published_reading, reading_rule_flags
from indicators.suppression import is_suppressed, suppressed_text
from priorities.models import Plan, PlanPriority
from workflow.models import OPEN_STATES, ReviewState
from workflow.notifications import working_group
from workflow.services import items_import

from . import parsing
from .parsing import CellError, check_headers

NEW, CHANGED, UNCHANGED, READ_ONLY, ERROR = "new", "changed", "unchanged", "read_only", "error"
STATUS_LABELS = {
    NEW: "New",
    CHANGED: "Changed",
    UNCHANGED: "Unchanged",
    READ_ONLY: "Skipped (yours to read only)",
    ERROR: "Error",
}
BADGES = {
    NEW: "text-bg-primary",
    CHANGED: "text-bg-warning",
    UNCHANGED: "text-bg-secondary",
    READ_ONLY: "text-bg-light",
    ERROR: "text-bg-danger",
}
# Longer than any name of an indicator (200), area (100), organisation, status, plan or priority: a cell
# this long is refused before any matching, so matching work stays small whatever a cell holds.
MAX_NAME_CHARS = 300
# Unknown names get a suggestion (difflib) up to this many distinct names a file; then just the refusal.
MAX_SUGGESTIONS = 200


class ImportRefused(Exception):
    """Nothing was written; the message says which row stopped the import and why."""


@dataclass
class RowResult:
    number: int
    status: str = NEW
    label: str = ""
    changes: list[tuple[str, object, object]] = field(default_factory=list)  # (column, old, new)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)
    item: object = None  # the open item to edit, if any
    fields: dict = field(default_factory=dict)  # the values to write
    read_only: tuple[str, str] | None = None  # (column, reason) when the person may only read this subject

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge_class(self) -> str:
        return BADGES[self.status]

    def error(self, column: str, reason: str) -> None:
        self.errors.append((column, reason))
        self.status = ERROR


@dataclass
class Preview:
    rows: list[RowResult]
    skipped: list[tuple[str, int]] = field(default_factory=list)  # (what, how many), e.g. districts outside Kent

    @property
    def notes(self) -> list[str]:
        """Sentences for the person about rows left alone."""
        count = self.counts[READ_ONLY]
        if not count:
            return []
        rows = "row is" if count == 1 else "rows are"
        return [
            f"{count:,} {rows} about work you may only read (another organisation’s, as your export lists it); "
            "unchanged, so skipped."
        ]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(row.status for row in self.rows)
        return {status: found.get(status, 0) for status in STATUS_LABELS}

    @property
    def has_errors(self) -> bool:
        return any(row.status == ERROR for row in self.rows)

    @property
    def to_write(self) -> list[RowResult]:
        return [row for row in self.rows if row.status in (NEW, CHANGED)]


def where_different(typed: str, known: str) -> str:
    """Where two names first differ, as a clause for a message: "yours is missing “e” after “…casualti”".
    Compared as `name_key` compares them, so a difference of case or apostrophe style is never shown."""
    typed, known = name_key(typed), name_key(known)
    matcher = difflib.SequenceMatcher(None, typed, known, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = typed[max(0, i1 - 15) : i1]
        place = f"after “{'…' if i1 > 15 else ''}{before}”" if before else "at the start"
        if tag == "replace":
            return f"yours has “{typed[i1:i2]}” where it has “{known[j1:j2]}”, {place}"
        if tag == "delete":
            return f"yours has an extra “{typed[i1:i2]}” {place}"
        return f"yours is missing “{known[j1:j2]}” {place}"
    return "they differ only in spaces or punctuation"  # pragma: no cover - equal keys match


class Names:
    """Name matching for one kind of record (`name_key`: case, apostrophe style and repeated spaces
    aside), with the closest name and where it differs when a name is unknown."""

    def __init__(self, noun: str, objects, attribute: str = "name"):
        self.noun = noun
        self.by_key, self.names = {}, {}
        for obj in objects:
            name = getattr(obj, attribute)
            self.by_key.setdefault(name_key(name), obj)
            self.names.setdefault(name_key(name), name)
        self.refusals = {}

    def get(self, name: str | None):
        if name is None:
            return None
        if len(name) > MAX_NAME_CHARS:
            raise CellError(f"is {len(name):,} characters long, longer than any {self.noun} name.")
        key = name_key(name)
        found = self.by_key.get(key)
        if found is None:
            if key not in self.refusals:
                self.refusals[key] = self._refusal(name, key)
            raise CellError(self.refusals[key])
        return found

    def _refusal(self, name: str, key: str) -> str:
        close = difflib.get_close_matches(key, self.names, n=1) if len(self.refusals) < MAX_SUGGESTIONS else []
        if close:
            known = self.names[close[0]]
            where = where_different(name, known)
            return f"No {self.noun} called “{name}”. Did you mean “{known}”? {where[0].upper()}{where[1:]}."
        example = next(iter(sorted(self.names.values())), "")
        hint = f"; write it as the site does, e.g. {example}" if example else ""
        return f"No {self.noun} called “{name}”{hint}."


def _same(old, new) -> bool:
    """Equal as the person sees them: text after `normalise_text` and outer spaces (CRLF is LF)."""
    if isinstance(old, str) and isinstance(new, str):
        return normalise_text(old).strip() == normalise_text(new).strip()
    return old == new


def _shown(value):
    if isinstance(value, frozenset):
        return "; ".join(sorted(str(member) for member in value)) or "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "(blank)"
    return value


class ItemImporter:
    """What every import shares; subclasses say which columns, how a row finds the item it is about
    (for reviewed items: the open one and the latest published one), and which values are compared."""

    model: type
    noun: str
    reviewed = True  # written as submitted items through the review workflow
    title: str
    columns: list[str]  # in template order; all required in the header
    informational: list[str] = []  # exported for people to read, accepted in the header, never imported
    compared: list[tuple[str, str]]  # (column, field) a row may change

    # Hooks for subclasses.
    def load(self, access, rows: list[tuple[int, dict]]) -> None:
        """Fetch everything the rows refer to, in a fixed number of queries."""
        raise NotImplementedError

    def parse(self, access, cells: dict, result: RowResult) -> dict:
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

    @property
    def headers(self) -> list[str]:
        return [*self.columns, *self.informational]

    def preview(self, access, table: parsing.Table) -> Preview:
        check_headers(table.headers, required=self.columns, optional=self.informational)
        rows = list(parsing.rows_as_dicts(table, self.headers))
        self.load(access, rows)
        results, first_row_for = [], {}
        for number, cells in rows:
            result = RowResult(number=number)
            values = self.parse(access, cells, result)
            cell_errors = list(result.errors)
            if result.status != ERROR:
                self._judge(values, result)
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
        return Preview(rows=results)

    def _check_writable(self, result: RowResult) -> None:
        """What the commit would refuse, refused here: rows the person may only read (skipped when they
        change nothing), and open items whose reporting cycle is locked."""
        if result.read_only:
            result.status = READ_ONLY if result.status == UNCHANGED else result.status
            return
        item = result.item
        if result.status in (NEW, CHANGED) and item is not None and not getattr(item, "accepts_submissions", True):
            cycle = getattr(getattr(item, "cycle", None), "name", "")
            result.error(
                "",
                f"The reporting cycle “{cycle}” is locked: the Working Group must reopen it before this "
                f"{self.noun} can change.",
            )

    def _judge(self, values: dict, result: RowResult) -> None:
        open_item, published = self.current(self.key(values))
        base = open_item or published
        if base is None:
            result.status = NEW
            result.fields = self.new_fields(values, result)
            result.changes = [
                (column, None, _shown(result.fields[name])) for column, name in self.compared if name in result.fields
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
            (column, _shown(value(base, name)), _shown(proposed[name]))
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
        if preview.has_errors:
            raise ImportRefused("The file has rows in error; nothing was imported.")
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

    def _cell(self, result: RowResult, column: str, parse, value):
        try:
            return parse(value)
        except CellError as exc:
            result.error(column, str(exc))
            return None


# How an export shows a small district count; read back, it means "the figure recorded", never a figure.
SUPPRESSED_SHOWN = re.compile(r"fewer than \d+", re.IGNORECASE)
SUPPRESSED_REFUSAL = (
    "“fewer than …” is how pages show a small count, not a figure; enter the actual figure (it is hidden "
    "automatically)."
)


def _blank_cell(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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

    def load(self, access, rows) -> None:
        indicators = list(Indicator.objects.visible_to(access).select_related("geography"))
        self.indicators = Names("indicator", indicators)
        self.editable = set(Indicator.objects.editable_by(access).values_list("pk", flat=True))
        geographies = list(Geography.objects.in_partnership(access.partnership))
        self.areas = Names("area", geographies)
        self.coverage = Coverage(geographies)
        named = {_key(cells["Indicator"]) for _, cells in rows}
        wanted = [indicator.pk for indicator in indicators if name_key(indicator.name) in named]
        readings = IndicatorReading.objects.filter(indicator__in=wanted).filter(
            Q(state__in=OPEN_STATES) | Q(state=ReviewState.PUBLISHED)
        )
        self.open, self.published, self.baselines = {}, {}, {}
        self.loaded = set(wanted)  # indicators whose every open and published reading is in the two dicts
        for reading in readings.order_by("published_at"):
            key = (reading.indicator_id, reading.geography_id, reading.period_end)
            (self.open if reading.state in OPEN_STATES else self.published)[key] = reading

    def parse(self, access, cells, result) -> dict:
        indicator = self._cell(result, "Indicator", lambda v: self.indicators.get(parsing.text(v)), cells["Indicator"])
        if indicator is not None and indicator.pk not in self.editable:
            result.read_only = (
                "Indicator",
                f"You cannot submit readings for “{indicator}”: your organisation does not supply it.",
            )
        area = self._cell(result, "Area", lambda v: self.areas.get(parsing.text(v)), cells["Area"])
        if indicator is not None and area is not None and area.pk not in self._reported_ids(indicator):
            result.error("Area", self.coverage.refusal(indicator, area))
        end = self._cell(result, "Period end", parsing.month_or_day, cells["Period end"])
        for column in ("Indicator", "Area", "Period end"):
            if _blank_cell(cells[column]) and not any(c == column for c, _ in result.errors):
                result.error(column, "is blank; every row needs an indicator, an area and a period end.")
        shown_suppressed = isinstance(cells["Value"], str) and SUPPRESSED_SHOWN.fullmatch(cells["Value"].strip())
        values = {
            "value": None if shown_suppressed else self._cell(result, "Value", parsing.number, cells["Value"]),
            "shown_suppressed": bool(shown_suppressed),
            "approximate": self._cell(result, "Approximate", parsing.yes_no, cells["Approximate"]),
            "source_note": self._cell(
                result, "Source note", lambda v: parsing.text(v, max_length=300), cells["Source note"]
            ),
        }
        if indicator is not None and end is not None:
            try:
                period = indicator.period_ending(end)
            except ValueError as exc:
                result.error("Period end", str(exc))
            else:
                values.update(indicator=indicator, geography=area, period=period)
                result.label = f"{indicator}, {area}, {period.label}"
                if area is not None:
                    self._check_area(indicator, area, period, result)
        return values

    def _reported_ids(self, indicator) -> set[int]:
        """The areas `indicator` is reported for: its own, those within it (issue 16) and the others
        chosen for it in Settings (issue 14); read once per indicator per file."""
        if not hasattr(self, "_reported"):
            self._reported = {}
        if indicator.pk not in self._reported:
            chosen = set(indicator.areas.values_list("pk", flat=True))
            self._reported[indicator.pk] = self.coverage.within(indicator.geography) | chosen
        return self._reported[indicator.pk]

    def _check_area(self, indicator, area, period, result) -> None:
        """A rate needs the area's population for the year the period ends in (issue 14); the
        partnership's populations are read once per file."""
        if not hasattr(self, "_populations"):
            self._populations = None
        if indicator.unit == Unit.RATE_PER_1000 and area.pk in self._reported_ids(indicator):
            if self._populations is None:
                held = Population.objects.filter(geography__partnership=indicator.partnership_id)
                self._populations = set(held.values_list("geography_id", "year"))
            if (area.pk, period.end.year) not in self._populations:
                result.error("Area", f"There is no population for {area} in {period.end.year}; add it first.")

    def key(self, values):
        return (values["indicator"].pk, values["geography"].pk, values["period"].end)

    def _judge(self, values: dict, result: RowResult) -> None:
        """As for every import, and a value shown as "fewer than 5" (how the export shows a small district
        count) keeps the current figure only where that figure is indeed one so hidden."""
        super()._judge(values, result)
        if values["shown_suppressed"] and result.status != ERROR:
            open_item, published = self.current(self.key(values))
            base = open_item or published
            if base is None or not is_suppressed(values["indicator"], values["geography"], base.value):
                result.error("Value", SUPPRESSED_REFUSAL)

    def rule_flags(self, item) -> list[dict]:
        """As for one submission, with the published readings looked up in what `load` fetched."""
        return reading_rule_flags(item, latest_published=self._latest_published)

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
            suppressed_text(reading.indicator) if hidden else reading.value,
            "Yes" if reading.approximate else "No",
            reading.source_note,
            reading.period.label,
            reading.get_state_display(),
        ]

    def template_rows(self, access) -> list[list]:
        indicator = Indicator.objects.editable_by(access).select_related("geography").first()
        if indicator is None:
            return []
        return [[indicator.name, indicator.geography.name, "2018-03-31", "1,234", "No", "", "", ""]]


class UpdateImporter(ItemImporter):
    model = ProgressUpdate
    noun = "progress update"
    title = "Progress updates"
    columns = ["Action ID", "Status", "Progress"]
    informational = ["Action", "Cycle", "State"]
    compared = [("Status", "status"), ("Progress", "text")]

    def load(self, access, rows) -> None:
        self.actions = {a.pk: a for a in Action.objects.visible_to(access).select_related("plan_priority__plan")}
        self.editable = set(Action.objects.editable_by(access).values_list("pk", flat=True))
        self.statuses = Names("status", Status.objects.in_partnership(access.partnership))
        updates = ProgressUpdate.objects.filter(action_id__in=self.actions).select_related("status", "cycle")
        self.open, self.published = {}, {}
        for update in updates.filter(Q(state__in=OPEN_STATES) | Q(state=ReviewState.PUBLISHED)).order_by(
            "published_at"
        ):
            (self.open if update.state in OPEN_STATES else self.published)[update.action_id] = update
        self.cycles = {}

    def parse(self, access, cells, result) -> dict:
        action = self._cell(result, "Action ID", self._action, cells["Action ID"])
        values = {
            "action": action,
            "status": self._cell(result, "Status", lambda v: self.statuses.get(parsing.text(v)), cells["Status"]),
            "text": self._cell(result, "Progress", lambda v: parsing.text(v, max_length=20_000), cells["Progress"]),
        }
        if action is not None:
            result.label = action.wording
            if action.pk not in self.editable:
                result.read_only = ("Action ID", f"Your organisation does not lead or support action {action.pk}.")
        return values

    def _action(self, value):
        number = parsing.number(value)
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

    def new_fields(self, values, result) -> dict:
        action = values["action"]
        plan = action.plan_priority.plan
        if plan.pk not in self.cycles:
            self.cycles[plan.pk] = ReportingCycle.objects.current_for(plan)
        cycle = self.cycles[plan.pk]
        if cycle is None or cycle.state != CycleState.OPEN:
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
            update.action.wording,
            update.cycle.name,
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
    informational = ["Themes"]  # themes are chosen on the action's page (issue 14)
    compared = [
        ("Priority", "plan_priority"),
        ("Action", "wording"),
        ("Leads", "leads"),
        ("Supporters", "supporters"),
        ("Status", "status"),
        ("Funding", "funding"),
        ("Start", "start_date"),
        ("Due", "due_date"),
    ]

    def load(self, access, rows) -> None:
        actions = Action.objects.visible_to(access).select_related("plan_priority__plan", "status", "funding")
        self.actions = {action.pk: action for action in actions.prefetch_related("leads", "supporters")}
        plans = Plan.objects.for_partnership(access.partnership).prefetch_related("plan_priorities")
        self.plans = Names("plan", plans, attribute="title")
        self.priorities = {
            plan.pk: Names(f"priority in “{plan}”", plan.plan_priorities.all(), "title") for plan in plans
        }
        self.organisations = Names("organisation", Organisation.objects.filter(partnership=access.partnership))
        self.statuses = Names("status", Status.objects.in_partnership(access.partnership))
        self.funding = Names("funding source", FundingSource.objects.in_partnership(access.partnership))

    def parse(self, access, cells, result) -> dict:
        action = self._cell(result, "Action ID", self._action, cells["Action ID"])
        plan = self._cell(result, "Plan", lambda v: self.plans.get(parsing.text(v)), cells["Plan"])
        if plan is None and action is not None:
            plan = action.plan_priority.plan
        values = {
            "action": action,
            "plan_priority": self._cell(
                result, "Priority", lambda v: self._priority(plan, parsing.text(v)), cells["Priority"]
            ),
            "wording": self._cell(result, "Action", lambda v: parsing.text(v, max_length=5_000), cells["Action"]),
            "leads": self._cell(result, "Leads", self._organisations, cells["Leads"]),
            "supporters": self._cell(result, "Supporters", self._organisations, cells["Supporters"]),
            "status": self._cell(result, "Status", lambda v: self.statuses.get(parsing.text(v)), cells["Status"]),
            "funding": self._cell(result, "Funding", lambda v: self.funding.get(parsing.text(v)), cells["Funding"]),
            "start_date": self._cell(result, "Start", parsing.day, cells["Start"]),
            "due_date": self._cell(result, "Due", parsing.day, cells["Due"]),
        }
        result.label = (action.wording if action else values["wording"]) or ""
        return values

    def _action(self, value):
        number = parsing.number(value)
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
        names = [name.strip() for name in (parsing.text(value) or "").split(";") if name.strip()]
        return frozenset(self.organisations.get(name) for name in names) if names else None

    def value_of(self, item, name: str):
        if name in ("leads", "supporters"):
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
        if preview.has_errors:
            raise ImportRefused("The file has rows in error; nothing was imported.")
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
                "2018-04-01",
                "2019-03-31",
                "",
            ]
        ]


# Classes, not instances: an importer holds the lookups of one file while it is read.
IMPORTERS = {"readings": ReadingImporter, "updates": UpdateImporter, "actions": ActionImporter}
