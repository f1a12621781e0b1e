"""What a report shows, read from the live models into plain JSON-ready data.

Built in a fixed number of queries whatever the size of the plan; pages and PDFs render the
result and never the models, which is what freezes a published report.

Format 2 (issue 27) added the plan's dates and layout, the dates of the cycle an action's progress
was published for, each indicator's targets, and period labels as sources write non-April years.
Format 3 (issue 25) added each indicator's latest figure rated against its target (`rating`).
Format 4 (issue 25) added, for an action carried forward from last year's plan, the id of the action it
was carried from (`carried_from`), on which a comparison of reports across two plans pairs them.
Format 5 (issue 25) gives a carried action with no progress published in this plan the last progress
published on the action it was carried from (followed back plan by plan), with that plan's title
(`progress_plan`), so the report says where it was last published.
Reports published in an older format render without what came later (nothing is recomputed for them),
and `snapshot_unchanged` reads an older snapshot as unchanged when only those additions differ.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from functools import cached_property, partial
from operator import itemgetter

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, Subquery
from django.urls import reverse

from actions.history import carried_progress, current_versions
from actions.models import Action, ProgressUpdate
from csa_tracker.accounts.fragments import UNUSED_BODY_SECONDS
from csa_tracker.cache import cache_get_or_build
from csa_tracker.dates import day_in_words, short_date
from cycles.models import ReportingCycle
from evidence.models import Attachment
from indicators.chart_series import month_index, time_series
from indicators.comparisons import format_value
from indicators.figure_cache import cached_report_figures
from indicators.models import Indicator, IndicatorReading, Target
from indicators.periods import Period, PeriodType
from indicators.selectors import IndicatorSummary, add_trends, indicator_summaries
from priorities.models import Note, ReportLayout
from workflow.models import Escalation, EscalationResponse, Flag, GoverningRequest, RequestState, ResponseKind

SNAPSHOT_FORMAT = 5

# Year-long periods that start in neither January nor April are written as their sources write them,
# "year ending September 2017" (the ONS's police-recorded crime years), not "2016/17 (Oct–Sep)": the
# reader of a board paper meets them in that wording in the sources it quotes. Pages keep the
# period's own label, which gives the months as well (indicators.periods).
YEAR_ENDING_TYPES = (PeriodType.OCT_SEP, PeriodType.JUL_JUN)


def build_snapshot(cycle: ReportingCycle) -> dict:
    """The report of `cycle` as JSON-ready data (see the module's docstring), as it reads back from JSON (dates
    are strings), so that it compares equal to a stored one. Reads rows as values, a fixed number of queries
    per plan whatever its size (issue 26: publishing builds it inside the request)."""
    return freeze_snapshot(cycle).data()


class FrozenSnapshot:
    """A report's snapshot as JSON text, made for storing (`text`) and comparing (`digest`) without building
    the data: its indicators (most of it) are kept as text with the published figures and written in where
    each priority's go, so they are neither decoded nor encoded again (issue 26)."""

    def __init__(self, rest: dict, indicators: dict[str, tuple[str, str]]):
        # `rest`: the snapshot with each priority's "indicators" a placeholder, a key of `indicators`, whose
        # value is the list's JSON text as Django writes it and as `snapshot_digest` writes it.
        self._rest = rest
        self._indicators = indicators
        self._placeholder = re.compile('"(' + "|".join(map(re.escape, indicators)) + ')"') if indicators else None

    def _spliced(self, text: str, which: int) -> str:
        if self._placeholder is None:
            return text
        return self._placeholder.sub(lambda found: self._indicators[found[1]][which], text)

    @cached_property
    def text(self) -> str:
        """The JSON text Django's JSONField writes for the snapshot (`json.dumps` with `DjangoJSONEncoder`)."""
        return self._spliced(json.dumps(self._rest, cls=DjangoJSONEncoder), 0)

    @cached_property
    def digest(self) -> str:
        """`snapshot_digest` of the snapshot (64 hex digits)."""
        return hashlib.sha256(self._spliced(_digest_text(self._rest), 1).encode()).hexdigest()

    def data(self) -> dict:
        """The snapshot as `build_snapshot` gives it."""
        return json.loads(self.text)


@dataclass(frozen=True)
class KeptSnapshot:
    """A report's snapshot as `FrozenSnapshot` gives it (`text`, `digest`, `data()`), without what it was
    made from: what the cache keeps (`kept_snapshot`)."""

    text: str
    digest: str

    def data(self) -> dict:
        """The snapshot as `build_snapshot` gives it."""
        return json.loads(self.text)


def kept_snapshot(cycle: ReportingCycle) -> KeptSnapshot:
    """The report of `cycle` as `freeze_snapshot` makes it, kept per cycle and the generations of the
    partnership's work (moved by every audited change, in its own transaction) and published figures, as
    read on `cycle.plan.partnership`: publishing right after the preview, or again with nothing changed (two
    tabs, a second click), reads it from the cache rather than building it (issue 26).

    Safe to publish from because the generations are read before the content: what is kept under a
    generation is at least as new as it, and `report_publish` reads them on the partnership's row it has
    locked, which no change can move until it commits, so under that lock the kept content is exactly the
    partnership as it stands. Writes behind the audited services (fixtures, the Django admin) move no
    generation and show on the next audited change, as they do on the work-in-progress pages; a new release
    of the code reads none of an older one's (with Redis the keys carry it: `csa_tracker/release.py`)."""
    return cache_get_or_build(kept_snapshot_key(cycle), partial(_kept, cycle), UNUSED_BODY_SECONDS)


def kept_snapshot_key(cycle: ReportingCycle) -> str:
    """The cache key `kept_snapshot` keeps `cycle`'s snapshot under, by the generations on `cycle.plan.partnership`."""
    partnership = cycle.plan.partnership
    parts = (SNAPSHOT_FORMAT, cycle.pk, partnership.work_generation, partnership.figures_generation)
    return "snapshot:" + ":".join(map(str, parts))


def _kept(cycle: ReportingCycle) -> KeptSnapshot:
    frozen = freeze_snapshot(cycle)
    return KeptSnapshot(text=frozen.text, digest=frozen.digest)


def freeze_snapshot(cycle: ReportingCycle) -> FrozenSnapshot:
    """The report of `cycle` as `build_snapshot` makes it, frozen as JSON text (see `FrozenSnapshot`)."""
    plan = cycle.plan
    # In the plan's order (PlanPriority's Meta ordering), as are the notes and actions below.
    priorities = list(plan.plan_priorities.values("pk", "priority_id", "priority__slug", "title", "context"))
    notes = _grouped(
        Note.objects.filter(plan_priority__plan=plan.pk).values(
            "plan_priority_id", "number", "text", "url", "source_title", "publisher", "published"
        ),
        key=itemgetter("plan_priority_id"),
    )
    actions = _actions(cycle, [priority["pk"] for priority in priorities], slug=plan.partnership.slug)
    priority_ids = sorted({p["priority_id"] for p in priorities})
    # The same for every cycle and whoever publishes: computed once per publication generation (issue 26).
    summaries = cached_report_figures(
        plan.partnership,
        "indicators-json:" + ",".join(map(str, priority_ids)),
        partial(_indicators, plan.partnership_id, priority_ids),
    )
    # A placeholder no text in the plan can hold: its token is new to this build.
    token = secrets.token_hex(16)
    indicators = {f"{token}:{p['priority_id']}": summaries.get(p["priority_id"], _NONE) for p in priorities}
    snapshot = {
        "format": SNAPSHOT_FORMAT,
        "partnership": {"name": plan.partnership.name, "short_name": plan.partnership.short_name},
        # The version label and the action table's columns are the plan's settings (issue 14).
        "plan": {
            "title": plan.title,
            "slug": plan.slug,
            "version": plan.version_label,
            "action_table": plan.action_table,
            "starts": plan.starts,
            "ends": plan.ends,
            # Only when not the default, as themes below: a plan that never chose a layout rebuilds the same.
            **({"layout": plan.report_layout} if plan.report_layout != ReportLayout.FULL else {}),
        },
        "cycle": {"name": cycle.name, "period_start": cycle.period_start, "period_end": cycle.period_end},
        "introduction": plan.introduction,
        "priorities": [
            {
                "slug": plan_priority["priority__slug"],
                "title": plan_priority["title"],
                "context": plan_priority["context"],
                "notes": [_note(note) for note in notes.get(plan_priority["pk"], [])],
                "indicators": f"{token}:{plan_priority['priority_id']}",  # written in as text (FrozenSnapshot)
                "actions": actions.get(plan_priority["pk"], []),
            }
            for plan_priority in priorities
        ],
        "escalations": _escalations(cycle),
        "earlier_responses": _earlier_responses(cycle),
    }
    # Only when there are any, as the layout above: a report published before requests were kept rebuilds the same.
    requests = _governing_requests(cycle)
    if requests:
        snapshot["governing_requests"] = requests
    return FrozenSnapshot(snapshot, indicators)


def _as_json(data):
    """`data` as it reads back from JSON (dates become strings), so that a fresh snapshot compares equal to a
    stored one."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


# A priority with no indicators, as JSON text written both ways (`FrozenSnapshot`).
_NONE = ("[]", "[]")


def _indicators(partnership_id: int, priority_ids: list[int]) -> dict[int, tuple[str, str]]:
    """{priority id: its indicators as the report shows them, as JSON text written as Django stores it and as
    `snapshot_digest` writes it}: the latest published figure compared, the trend and its chart, the targets
    and the rating, for each of the partnership's indicators of these priorities (retired ones too), in a
    fixed number of queries."""
    found = indicator_summaries(Indicator.objects.filter(partnership=partnership_id, priority__in=priority_ids))
    add_trends(found)
    targets: dict[int, list[Target]] = {}
    for target in Target.objects.filter(indicator__in=[summary.indicator.pk for summary in found]).order_by(
        "period_end"
    ):
        targets.setdefault(target.indicator_id, []).append(target)
    summaries: dict[int, list[dict]] = {}
    for summary in found:
        indicator = _indicator(summary, targets.get(summary.indicator.pk, []))
        summaries.setdefault(summary.indicator.priority_id, []).append(indicator)
    # Written once here, not in every snapshot built from the cache (they are most of it); the digest's
    # text from the data as JSON reads it back, as `snapshot_digest` reads a built snapshot.
    return {priority_id: _texts(_as_json(indicators)) for priority_id, indicators in summaries.items()}


def _texts(data) -> tuple[str, str]:
    """`data` as JSON text, as Django's JSONField writes it and as `snapshot_digest` writes it."""
    return json.dumps(data, cls=DjangoJSONEncoder), _digest_text(data)


def _grouped(rows, key=itemgetter(0)) -> dict:
    """{key(row): [rows]}, each group in the order of `rows` (by default keyed by a row's first item)."""
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    return grouped


def _names_by_action(through, name: str, plan_priority_ids: list[int]) -> dict[int, list[str]]:
    """{action id: names} of a many-to-many of the actions (leads, supporters, themes), in the order of
    the related model (its Meta ordering, as `action.leads.all()` gives them)."""
    ordering = [f"{name}__{field}" for field in through._meta.get_field(name).related_model._meta.ordering]
    pairs = (
        through.objects.filter(action__plan_priority__in=plan_priority_ids)
        .order_by(*ordering)
        .values_list("action_id", f"{name}__name")
    )
    return {action_id: [row[1] for row in rows] for action_id, rows in _grouped(pairs).items()}


def _actions(cycle: ReportingCycle, plan_priority_ids: list[int], *, slug: str) -> dict[int, list[dict]]:
    """{plan priority id: its actions as the report shows them}, in the plan's order, in six queries."""
    rows = Action.objects.filter(plan_priority__in=plan_priority_ids).values_list(
        "pk", "plan_priority_id", "wording", "status__name", "funding__name", "carried_from_id", named=True
    )  # in the plan's order (Action's Meta ordering)
    leads = _names_by_action(Action.leads.through, "organisation", plan_priority_ids)
    supporters = _names_by_action(Action.supporters.through, "organisation", plan_priority_ids)
    themes = _names_by_action(Action.themes.through, "theme", plan_priority_ids)
    progress = _progress_for(cycle, slug=slug)
    rows = list(rows)
    # A carried action with none of its own yet shows what was last published on the one it was carried from.
    carried = carried_progress(
        [row for row in rows if row.carried_from_id and row.pk not in progress], up_to=cycle.period_start
    )
    if carried:
        evidence = _evidence([update.pk for update in carried.values()], slug)
        progress |= {pk: _carried(update, evidence.get(update.pk, [])) for pk, update in carried.items()}
    actions: dict[int, list[dict]] = {}
    for row in rows:
        update = progress.get(row.pk)
        actions.setdefault(row.plan_priority_id, []).append(
            {
                "id": row.pk,
                "wording": row.wording,
                "leads": leads.get(row.pk, []),
                "supporters": supporters.get(row.pk, []),
                "funding": row.funding__name or "",
                "status": update["status"] if update else row.status__name,
                "progress": update["text"] if update else "",
                "progress_cycle": update["cycle"] if update else "",
                # The earlier plan whose action's progress this is, for a carried action with none in this plan yet.
                **({"progress_plan": update["plan"]} if update and "plan" in update else {}),
                # The action it was carried forward from (issue 25), only where there is one, as themes below.
                **({"carried_from": row.carried_from_id} if row.carried_from_id else {}),
                # Which months that cycle covered, so "Progress as published for Q2 2017/18" can say them.
                **(
                    {"progress_cycle_start": update["cycle_start"], "progress_cycle_end": update["cycle_end"]}
                    if update
                    else {}
                ),
                # Cross-cutting themes (issue 14), only where an action has some: a report published before
                # themes existed rebuilds to the same snapshot, so publishing it again is not taken for a
                # correction.
                **({"themes": themes[row.pk]} if row.pk in themes else {}),
                # Evidence of the published progress (issue 28), only where there is some, for the same
                # reason: its name, type and size, and the address of its download page (which asks who may
                # read it).
                **({"evidence": update["evidence"]} if update and update["evidence"] else {}),
            }
        )
    return actions


def _progress_for(cycle: ReportingCycle, *, slug: str) -> dict[int, dict]:
    """Per action, the progress published for this cycle: its own latest published update (a
    correction included), else the latest from an earlier cycle; as {action id: {"text", "status",
    "cycle", "cycle_start", "cycle_end", "evidence"}}, in two queries."""
    published = ProgressUpdate.objects.published().filter(
        action__plan_priority__plan=cycle.plan_id,
        cycle__plan=cycle.plan_id,
        cycle__period_start__lte=cycle.period_start,
    )
    updates = published.order_by("action_id", "cycle__period_start", "published_at", "pk").values_list(
        "action_id", "pk", "text", "status__name", "cycle__name", "cycle__period_start", "cycle__period_end"
    )
    latest = {row[0]: row for row in updates}  # the last of each action's wins
    # The evidence of every update read, through a subquery rather than a list of ids as long as the plan (issue
    # 26: preparing 300 ids cost more than the query); an earlier update's files are read and left out below.
    evidence = _evidence(published.values("pk"), slug) if latest else {}
    return {
        action_id: {
            "text": text,
            "status": status,
            "cycle": cycle_name,
            "cycle_start": cycle_start,
            "cycle_end": cycle_end,
            "evidence": evidence.get(pk, []),
        }
        for action_id, (_, pk, text, status, cycle_name, cycle_start, cycle_end) in latest.items()
    }


def _carried(update: ProgressUpdate, evidence: list[dict]) -> dict:
    """A carried action's progress from an earlier plan (`actions.history.carried_progress`), shaped as
    `_progress_for` gives an action's own, with the plan it was published in."""
    return {
        "text": update.text,
        "status": update.status.name,
        "cycle": update.cycle.name,
        "cycle_start": update.cycle.period_start,
        "cycle_end": update.cycle.period_end,
        "evidence": evidence,
        "plan": update.cycle.plan.title,
    }


def _note(note: dict) -> dict:
    return {key: note[key] for key in ("number", "text", "url", "source_title", "publisher", "published")}


def _evidence(update_ids, slug: str) -> dict[int, list[dict]]:
    """{progress update id: its attachments as the report lists them}, in their order (Attachment's Meta), for
    the updates `update_ids` (ids, or a query of them)."""
    rows = Attachment.objects.filter(update__in=update_ids).values_list("update_id", "pk", "name", "label", "size")
    return {
        update_id: [
            {
                "name": name,
                "type": label,
                "size": size,
                "path": reverse("evidence_download", kwargs={"partnership": slug, "pk": pk}),
            }
            for _, pk, name, label, size in attachments
        ]
        for update_id, attachments in _grouped(rows).items()
    }


def period_wording(period: Period) -> str:
    """How a report names `period`: "year ending September 2017" for a year of YEAR_ENDING_TYPES, else
    the period's own label ("2017/18 (Apr–Mar)", "Q3 2017/18", "12 months to December 2017")."""
    if period.type in YEAR_ENDING_TYPES:
        return f"year ending {period.end:%B %Y}"
    return period.label


def _indicator(summary: IndicatorSummary, targets: list[Target]) -> dict:
    indicator, latest, comparison = summary.indicator, summary.latest, summary.comparison
    return {
        "slug": indicator.slug,
        "name": indicator.name,
        "source": indicator.source,
        "geography": indicator.geography.name,
        # `display` already says "approx." and hides small district counts.
        "latest": latest and {"value": latest.display, "period": period_wording(latest.period)},
        "comparison": comparison
        and {
            "baseline": comparison.baseline_display,
            "baseline_period": period_wording(comparison.baseline_period),
            "wording": comparison.wording,
            "direction": comparison.direction,
            "direction_label": comparison.direction_label,
            "arrow": comparison.arrow,
            "note": comparison.note,
        },
        "series": [
            {"period": period_wording(figure.period), "value": str(figure.shown_value), "display": figure.display}
            for figure in summary.trend
            if figure.value is not None
        ],
        # The trend on a time axis, with gaps and comparability breaks (reports/charts.py draws it).
        "chart": _worded_chart(time_series(summary.trend, indicator), summary.trend) if summary.trend else None,
        # The partnership's targets (indicators.targets), drawn on the chart and listed with the figures.
        "targets": [_target(indicator, target) for target in targets],
        "rating": _rating(summary),
    }


def _rating(summary: IndicatorSummary) -> dict | None:
    """The latest figure's target and its rating in words (`indicators.targets`); None without a target.
    `rating` is None (and `rating_label` "Not rated") for a figure hidden by suppression or an indicator
    with no better direction."""
    rated = summary.target_rating
    if rated is None:
        return None
    return {"target": rated.display, "rating": rated.rating, "rating_label": rated.rating_label}


def _worded_chart(chart: dict, trend: list) -> dict:
    """The chart with its periods named as `period_wording` names them; a year-ending period's tick is
    its last month ("Sep 2017"), which the time axis ("Period ending") reads rightly."""
    worded = {figure.period.label: period_wording(figure.period) for figure in trend}
    for point in chart["datasets"][0]["data"]:
        point["label"] = worded.get(point["label"], point["label"])
    for figure in trend:
        if figure.period.type in YEAR_ENDING_TYPES:
            chart["ticks"][str(month_index(figure.period.end))] = f"{figure.period.end:%b %Y}"
    return chart


def _target(indicator: Indicator, target: Target) -> dict:
    try:
        period = period_wording(indicator.period_ending(target.period_end))
    except ValueError:  # a target set for a day no period of the indicator's type ends on
        period = f"period ending {day_in_words(target.period_end)}"
    return {
        "x": month_index(target.period_end),
        "period": period,
        "value": float(target.value),
        "display": format_value(target.value, indicator.unit, indicator.rate_per),
    }


# Keys each format added, by where they sit; `snapshot_unchanged` leaves them out of a fresh snapshot
# compared with an older one. A compact layout is a choice made since, so it does count as a change.
_ADDED_KEYS = {
    2: {
        "plan": ("starts", "ends"),
        "action": ("progress_cycle_start", "progress_cycle_end"),
        "indicator": ("targets",),
    },
    3: {"indicator": ("rating",)},
    4: {"action": ("carried_from",)},
    5: {"action": ("progress_plan",)},
}


def snapshot_digest(snapshot: dict) -> str:
    """The SHA-256 of `snapshot`'s content as 64 hex digits, whatever the order of its keys (JSON as stored
    reads back in another). Equal digests mean equal snapshots; unequal ones may still be equal content
    (a number spelt otherwise, an older format), which `snapshot_unchanged` decides."""
    return hashlib.sha256(_digest_text(snapshot).encode()).hexdigest()


def _digest_text(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)


def snapshot_unchanged(stored: dict, fresh: dict) -> bool:
    """Whether `fresh` (just built) holds what the published `stored` holds, so that publishing again
    makes no new version. A snapshot of an older format is compared without what later formats added;
    a carried action's progress from last year (format 5) is new content, so it does count as a change."""
    stored_format = stored.get("format", 1)
    if stored_format >= SNAPSHOT_FORMAT:
        return stored == fresh
    return stored == _as_format(fresh, stored_format)


def _as_format(snapshot: dict, number: int) -> dict:
    """`snapshot` without the keys added by formats after `number`."""
    dropped: dict[str, set] = {}
    for added_in, places in _ADDED_KEYS.items():
        if added_in > number:
            for place, keys in places.items():
                dropped.setdefault(place, set()).update(keys)

    def without(item: dict, kind: str) -> dict:
        return {key: value for key, value in item.items() if key not in dropped.get(kind, ())}

    return {
        **snapshot,
        "format": number,
        "plan": without(snapshot["plan"], "plan"),
        "priorities": [
            {
                **priority,
                "actions": [without(action, "action") for action in priority["actions"]],
                "indicators": [without(indicator, "indicator") for indicator in priority["indicators"]],
            }
            for priority in snapshot["priorities"]
        ],
    }


def _escalations(cycle: ReportingCycle) -> list[dict]:
    """The cycle's escalations, each quoting the current version of its item (after any correction,
    marked with the reason) and the governing group's responses recorded so far."""
    escalations = list(
        Escalation.objects.filter(cycle=cycle)
        .select_related("update__action__plan_priority", "reading__indicator__partnership", "reading__geography")
        .prefetch_related("responses")
        .order_by("escalated_at", "pk")
    )
    updates = current_versions(ProgressUpdate, [e.update for e in escalations if e.update_id])
    readings = current_versions(IndicatorReading, [e.reading for e in escalations if e.reading_id])
    rows = []
    for escalation in escalations:
        escalated = escalation.item
        item = (updates if escalation.update_id else readings)[escalated.pk]
        row = {
            "note": escalation.note,
            "flag": Flag(item.flag).label if item.flag else "",
            "flag_reason": item.flag_reason,
            "corrected": item.correction_reason if item.pk != escalated.pk else "",
            "responses": [
                _response(answer.kind, answer.note, answer.responded_at) for answer in escalation.responses.all()
            ],
        }
        if escalation.update_id:
            row |= {
                "kind": "Progress update",
                "subject": escalated.action.wording,
                "priority": escalated.action.plan_priority.title,
                "text": item.text,
            }
        else:
            row |= {
                "kind": "Indicator reading",
                "subject": escalated.indicator.name,
                "priority": "",
                "text": f"{item.area_name}, {item.period.label}: {item.shown_value}",
            }
        rows.append(row)
    return rows


def _response(kind: str, note: str, responded_at) -> dict:
    """A governing group's response as the report quotes it: its kind in words, its note and its day."""
    return {"kind": _RESPONSE_KINDS.get(kind, kind), "note": note, "at": short_date(responded_at)}


# Labels as `get_FOO_display` gives them, for the rows read as values below.
_RESPONSE_KINDS = {value: str(label) for value, label in ResponseKind.choices}
_REQUEST_STATES = {value: str(label) for value, label in RequestState.choices}


def _earlier_responses(cycle: ReportingCycle) -> list[dict]:
    """The governing group's responses to the previous cycle's escalations (of any plan of the
    partnership): they are made after that cycle's report, so this report carries them. Read as values, in
    one query (the previous cycle a subquery)."""
    previous = (
        ReportingCycle.objects.filter(plan__partnership=cycle.plan.partnership_id, period_start__lt=cycle.period_start)
        .order_by("-period_start", "-pk")
        .values("pk")[:1]
    )
    responses = (
        EscalationResponse.objects.filter(escalation__cycle=Subquery(previous))
        .order_by("responded_at", "pk")
        .values_list(
            "kind",
            "note",
            "responded_at",
            "escalation__cycle__name",
            "escalation__note",
            "escalation__update_id",
            "escalation__update__action__wording",
            "escalation__reading__indicator__name",
            named=True,
        )
    )
    return [
        {
            **_response(row.kind, row.note, row.responded_at),
            "cycle": row.escalation__cycle__name,
            "subject": row.escalation__update__action__wording
            if row.escalation__update_id
            else row.escalation__reading__indicator__name,
            "escalation": row.escalation__note,
        }
        for row in responses
    ]


def _governing_requests(cycle: ReportingCycle) -> list[dict]:
    """The governing group's requests for action (issue 25) on escalations of this cycle or an earlier
    one of the partnership, still open when the report is made or closed since the cycle's period began:
    what was asked of whom, by when, where it stands, the answer and the close. Read as values."""
    requests = (
        GoverningRequest.objects.filter(
            escalation__cycle__plan__partnership=cycle.plan.partnership_id,
            escalation__cycle__period_start__lte=cycle.period_start,
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=cycle.period_start))
        .order_by("due", "pk")
        .values_list(
            "escalation__update_id",
            "escalation__update__action__wording",
            "escalation__reading__indicator__name",
            "escalation__cycle__name",
            "response__note",
            "owner__name",
            "due",
            "state",
            "answer",
            "close_note",
            named=True,
        )
    )
    return [
        {
            "subject": row.escalation__update__action__wording
            if row.escalation__update_id
            else row.escalation__reading__indicator__name,
            "cycle": row.escalation__cycle__name,
            "asked": row.response__note,
            "owner": row.owner__name,
            "due": day_in_words(row.due),
            "state": _REQUEST_STATES.get(row.state, row.state),
            "answer": row.answer,
            "close_note": row.close_note,
        }
        for row in requests
    ]
