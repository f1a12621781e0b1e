"""What a partnership's open data holds: only what it has published, in plain JSON-ready values.

- plan: each plan the partnership has published a report for (a plan becomes public with its first
  published report), with its priorities, notes and actions.
- actions: the actions of those plans, each with its published progress per reporting cycle (the
  latest published version, so a correction replaces what it corrects). Drafts, submitted and
  returned updates are never read: every query starts from `ProgressUpdate.objects.published()`.
- figures: every published indicator reading, through `indicators.selectors.Figure`, so a
  suppressed district count ("fewer than 5") is `null` with `suppressed: true`, never its number;
  a figure at the indicator's own area carries its period's target and its rating
  (`indicators.targets`), never a rating of a suppressed figure.

Numbers are JSON numbers (a whole number has no decimals: 46036, not "46036.00"), dates are ISO 8601,
period labels are the ones the pages show, areas carry their ONS codes. Each function runs a fixed
number of queries whatever the size of the plan. The fields are documented in `opendata/schema/v1/`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from django.db.models import Prefetch

from actions.models import Action, ProgressUpdate
from indicators.models import Geography, Indicator, IndicatorReading, Target, Unit
from indicators.rates import Populations
from indicators.selectors import READING_FIELDS, Figure, one_per_period, plain_number, to_figure
from indicators.targets import target_rating
from priorities.models import Plan, PlanPriority
from reports.models import Report

VERSION = "v1"


def published_plans(access):
    """Plans with at least one published report, newest first."""
    published = Report.objects.visible_to(access).values("plan_id")
    return Plan.objects.for_partnership(access.partnership).filter(pk__in=published).order_by("-starts")


def partnership_data(access) -> dict:
    partnership = access.partnership
    return {"name": partnership.name, "short_name": partnership.short_name, "slug": partnership.slug}


def _action(action: Action) -> dict:
    return {
        "id": action.pk,
        "wording": action.wording,
        "leads": [organisation.name for organisation in action.leads.all()],
        "supporters": [organisation.name for organisation in action.supporters.all()],
        "funding": action.funding.name if action.funding else None,
        "status": action.status.name,
        "start_date": action.start_date.isoformat() if action.start_date else None,
        "due_date": action.due_date.isoformat() if action.due_date else None,
    }


def _actions_queryset():
    return Action.objects.select_related("status", "funding").prefetch_related("leads", "supporters")


def plan_data(access) -> list[dict]:
    """The published plans: [{slug, title, starts, ends, introduction, priorities: [{slug, title,
    order, context, notes: [...], actions: [...]}]}]."""
    plans = published_plans(access).prefetch_related(
        Prefetch(
            "plan_priorities",
            queryset=PlanPriority.objects.select_related("priority").prefetch_related(
                "notes", Prefetch("actions", queryset=_actions_queryset())
            ),
        )
    )
    return [
        {
            "slug": plan.slug,
            "title": plan.title,
            "starts": plan.starts.isoformat(),
            "ends": plan.ends.isoformat(),
            "introduction": plan.introduction,
            "priorities": [
                {
                    "slug": plan_priority.priority.slug,
                    "title": plan_priority.title,
                    "order": plan_priority.order,
                    "context": plan_priority.context,
                    "notes": [
                        {
                            "number": note.number,
                            "text": note.text,
                            "source_title": note.source_title,
                            "publisher": note.publisher,
                            "published": note.published,
                            "url": note.url,
                        }
                        for note in plan_priority.notes.all()
                    ],
                    "actions": [_action(action) for action in plan_priority.actions.all()],
                }
                for plan_priority in plan.plan_priorities.all()
            ],
        }
        for plan in plans
    ]


def published_progress(actions) -> dict[int, list[ProgressUpdate]]:
    """Per action, its published progress: one update per reporting cycle (the latest published, so a
    correction replaces what it corrects), oldest cycle first."""
    updates = (
        ProgressUpdate.objects.published()
        .filter(action__in=actions)
        .select_related("cycle", "status")
        .prefetch_related("attachments")
        .order_by("action_id", "cycle__period_start", "published_at", "pk")
    )
    latest: dict[tuple[int, int], ProgressUpdate] = {}
    for update in updates:
        latest[(update.action_id, update.cycle_id)] = update
    progress: dict[int, list[ProgressUpdate]] = {}
    for update in latest.values():
        progress.setdefault(update.action_id, []).append(update)
    return progress


def _progress(update: ProgressUpdate) -> dict:
    return {
        "cycle": update.cycle.name,
        "period_start": update.cycle.period_start.isoformat(),
        "period_end": update.cycle.period_end.isoformat(),
        "status": update.status.name,
        "text": update.text,
        "published_at": update.published_at.isoformat() if update.published_at else None,
        "corrected": update.corrects_id is not None,
        "correction_reason": update.correction_reason,
        # What evidence the progress has: never its content, which its download page serves to those
        # who may read it (issue 28).
        "evidence": [
            {"name": found.name, "type": found.label, "content_type": found.content_type, "size": found.size}
            for found in update.attachments.all()
        ],
    }


def actions_data(access) -> list[dict]:
    """Every action of the published plans with its published progress: [{id, plan, priority,
    priority_title, wording, leads, supporters, funding, status, start_date, due_date, progress: [...],
    carried_from}]."""
    actions = list(
        _actions_queryset()
        .select_related("plan_priority__priority", "plan_priority__plan")
        .filter(plan_priority__plan__in=published_plans(access))
        .order_by("plan_priority__plan__starts", "plan_priority__order", "order", "pk")
    )
    progress = published_progress(actions)
    return [
        {
            "plan": action.plan_priority.plan.slug,
            "priority": action.plan_priority.priority.slug,
            "priority_title": action.plan_priority.title,
            **_action(action),
            "progress": [_progress(update) for update in progress.get(action.pk, [])],
            # Added to v1 (issue 25): the same action in the previous plan, where its earlier progress is.
            "carried_from": action.carried_from_id,
        }
        for action in actions
    ]


ACTION_COLUMNS = [
    "action_id", "plan", "priority", "priority_title", "wording", "leads", "supporters", "funding", "status",
    "start_date", "due_date", "cycle", "cycle_period_start", "cycle_period_end", "progress_status",
    "progress_text", "progress_published_at", "progress_corrected", "progress_evidence",
    "progress_correction_reason",  # added to v1 at the end (issue 25), as the JSON's correction_reason
    "carried_from",  # added to v1 at the end (issue 25), as the JSON's
]  # fmt: skip


def action_rows(actions: list[dict]):
    """One CSV row per action and cycle with published progress (one row, progress blank, for an
    action with none); lists are joined with "; "; text exactly as published (no spreadsheet escape)."""
    for action in actions:
        fixed = [
            action["id"], action["plan"], action["priority"], action["priority_title"], action["wording"],
            "; ".join(action["leads"]), "; ".join(action["supporters"]), action["funding"] or "", action["status"],
            action["start_date"] or "", action["due_date"] or "",
        ]  # fmt: skip
        carried_from = action["carried_from"] or ""
        for update in action["progress"] or [None]:
            if update is None:
                yield [*fixed, "", "", "", "", "", "", "", "", "", carried_from]
            else:
                yield [
                    *fixed,
                    update["cycle"],
                    update["period_start"],
                    update["period_end"],
                    update["status"],
                    update["text"],
                    update["published_at"] or "",
                    "true" if update["corrected"] else "false",
                    "; ".join(found["name"] for found in update["evidence"]),
                    update["correction_reason"],
                    carried_from,
                ]


@lru_cache(maxsize=4096)
def _period_fields(period) -> dict:
    return {
        "period_type": period.type,
        "period_label": period.label,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
    }


def _figure(figure: Figure, areas: dict[tuple, dict], targets: dict[tuple, Decimal]) -> dict:
    """A figure as open data, with the period, area name and unit it was published with (the stored
    reading's); `areas` holds each area's fields, made once per area and name; `targets` each indicator's
    target by (indicator pk, period end), which rates the figure at the indicator's own area."""
    indicator, hidden = figure.indicator, figure.suppressed
    area = figure.geography
    key = (area.pk, figure.area_name)
    if key not in areas:
        areas[key] = {"area_code": area.code or None, "area_name": figure.area_name, "area_kind": area.kind}
    own_area = area.pk == indicator.geography_id
    rated = target_rating(indicator, figure, targets.get((indicator.pk, figure.period.end))) if own_area else None
    return {
        "indicator": indicator.slug,
        "indicator_name": indicator.name,
        "unit": figure.unit,
        **_period_fields(figure.period),
        **areas[key],
        "value": None if hidden else plain_number(figure.shown_value),
        "count": None if hidden or figure.unit == Unit.PERCENTAGE else plain_number(figure.count),
        "rate_per_1000": None if hidden else plain_number(figure.shown_rate),
        "suppressed": hidden,
        "approximate": figure.approximate,
        "target": plain_number(rated.target) if rated else None,
        "rating": rated.rating if rated and rated.rating else None,
    }


def figures_data(access, *, indicator: str | None = None) -> dict:
    """Every published figure of the partnership's indicators (or of the one with slug `indicator`), in
    every area: {"indicators": [...], "figures": [...]}, indicators in their order, figures by indicator,
    own area first, then by area name and period. Readings are read as tuples, not model instances:
    a large partnership has hundreds of thousands. Raises Indicator.DoesNotExist for an unknown slug."""
    indicators = Indicator.objects.visible_to(access).select_related("geography")
    if indicator is not None:
        indicators = [indicators.get(slug=indicator)]
    indicators = list(indicators)
    by_id = {found.pk: found for found in indicators}
    readings = one_per_period(
        IndicatorReading.objects.published()
        .filter(indicator__in=indicators)
        .order_by()
        .values_list(*READING_FIELDS, named=True)
    )
    area_ids = {reading.geography_id for reading in readings}
    areas = {area.pk: area for area in Geography.objects.filter(pk__in=area_ids)}
    populations = Populations(area_ids)
    figures = [to_figure(r, by_id[r.indicator_id], areas[r.geography_id], populations) for r in readings]
    targets = {
        (indicator_id, end): value
        for indicator_id, end, value in Target.objects.filter(indicator__in=indicators).values_list(
            "indicator_id", "period_end", "value"
        )
    }
    order = {found.pk: position for position, found in enumerate(indicators)}
    area_fields: dict[tuple, dict] = {}
    figures.sort(
        key=lambda f: (
            order[f.indicator.pk],
            f.geography.pk != f.indicator.geography_id,
            f.geography.name,
            f.period.end,
        )
    )
    return {
        "indicators": [
            {
                "slug": found.slug,
                "name": found.name,
                "unit": found.unit,
                "polarity": found.polarity,
                "period_type": found.period_type,
                "source": found.source,
                "area_code": found.geography.code or None,
                "area_name": found.geography.name,
                "suppress_below": found.suppress_below,
                "target_tolerance_pct": plain_number(found.target_tolerance_pct),
            }
            for found in indicators
        ],
        "figures": [_figure(figure, area_fields, targets) for figure in figures],
    }


FIGURE_COLUMNS = [
    "indicator", "indicator_name", "unit", "period_type", "period_label", "period_start", "period_end",
    "area_code", "area_name", "area_kind", "value", "count", "rate_per_1000", "suppressed", "approximate",
    "target", "rating",
]  # fmt: skip


def figure_rows(figures: list[dict]):
    """CSV rows: numbers as written in JSON (no ".00"), an empty cell for null, booleans as true/false."""
    for figure in figures:
        yield [_cell(figure[column]) for column in FIGURE_COLUMNS]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
