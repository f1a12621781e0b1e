"""What a report shows, read from the live models into plain JSON-ready data.

Built in a fixed number of queries whatever the size of the plan; pages and PDFs render the
result and never the models, which is what freezes a published report.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch

from actions.models import Action, ProgressUpdate
from cycles.models import ReportingCycle
from indicators.models import Indicator
from indicators.selectors import IndicatorSummary, add_trends, indicator_summaries
from reviews.models import Escalation, Flag

SNAPSHOT_FORMAT = 1


def build_snapshot(cycle: ReportingCycle) -> dict:
    plan = cycle.agreement
    priorities = list(
        plan.plan_priorities.select_related("priority").prefetch_related(
            "notes",
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("status", "funding").prefetch_related("leads", "supporters"),
            ),
        )
    )
    progress = _progress_for(cycle)
    indicators = Indicator.objects.filter(
        partnership=plan.partnership_id, priority__in=[p.priority_id for p in priorities]
    )
    summaries: dict[int, list[dict]] = {}
    found = indicator_summaries(indicators)
    add_trends(found)
    for summary in found:
        summaries.setdefault(summary.indicator.priority_id, []).append(_indicator(summary))
    snapshot = {
        "format": SNAPSHOT_FORMAT,
        "partnership": {"name": plan.partnership.name, "short_name": plan.partnership.short_name},
        # The version label and the action table's columns are the plan's settings (issue 14).
        "plan": {
            "title": plan.title,
            "slug": plan.slug,
            "version": plan.version_label,
            "action_table": plan.action_table,
        },
        "cycle": {"name": cycle.name, "period_start": cycle.period_start, "period_end": cycle.period_end},
        "introduction": plan.introduction,
        "priorities": [
            {
                "slug": plan_priority.priority.slug,
                "title": plan_priority.title,
                "context": plan_priority.context,
                "notes": [_note(note) for note in plan_priority.notes.all()],
                "indicators": summaries.get(plan_priority.priority_id, []),
                "actions": [_action(action, progress.get(action.pk)) for action in plan_priority.actions.all()],
            }
            for plan_priority in priorities
        ],
        "escalations": _escalations(cycle),
    }
    # Round-trip so a fresh snapshot compares equal to a stored one (dates become strings).
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def _progress_for(cycle: ReportingCycle) -> dict[int, ProgressUpdate]:
    """Per action, the progress published for this cycle: its own latest published update (a
    correction included), else the latest from an earlier cycle."""
    updates = (
        ProgressUpdate.objects.published()
        .filter(
            action__plan_priority__agreement=cycle.agreement_id,
            cycle__agreement=cycle.agreement_id,
            cycle__period_start__lte=cycle.period_start,
        )
        .select_related("cycle", "status")
        .order_by("action_id", "cycle__period_start", "published_at", "pk")
    )
    return {update.action_id: update for update in updates}


def _note(note) -> dict:
    return {
        "number": note.number,
        "text": note.text,
        "url": note.url,
        "source_title": note.source_title,
        "publisher": note.publisher,
        "published": note.published,
    }


def _action(action: Action, update: ProgressUpdate | None) -> dict:
    return {
        "id": action.pk,
        "wording": action.wording,
        "leads": [org.name for org in action.leads.all()],
        "supporters": [org.name for org in action.supporters.all()],
        "funding": action.funding.name if action.funding else "",
        "status": (update.status if update else action.status).name,
        "progress": update.text if update else "",
        "progress_cycle": update.cycle.name if update else "",
    }


def _indicator(summary: IndicatorSummary) -> dict:
    indicator, latest, comparison = summary.indicator, summary.latest, summary.comparison
    return {
        "slug": indicator.slug,
        "name": indicator.name,
        "source": indicator.source,
        "geography": indicator.geography.name,
        # `display` already says "approx." and hides small district counts.
        "latest": latest and {"value": latest.display, "period": latest.period.label},
        "comparison": comparison
        and {
            "baseline": comparison.baseline_display,
            "baseline_period": comparison.baseline_period.label,
            "wording": comparison.wording,
            "direction": comparison.direction,
            "direction_label": comparison.direction_label,
            "arrow": comparison.arrow,
            "note": comparison.note,
        },
        "series": [
            {"period": figure.period.label, "value": str(figure.value), "display": figure.display}
            for figure in summary.trend
            if figure.value is not None
        ],
    }


def _escalations(cycle: ReportingCycle) -> list[dict]:
    escalations = (
        Escalation.objects.filter(cycle=cycle)
        .select_related("update__action__plan_priority", "reading__indicator__partnership", "reading__geography")
        .order_by("escalated_at", "pk")
    )
    rows = []
    for escalation in escalations:
        item = escalation.item
        row = {
            "note": escalation.note,
            "flag": Flag(item.flag).label if item.flag else "",
            "flag_reason": item.flag_reason,
        }
        if escalation.update_id:
            update = escalation.update
            row |= {
                "kind": "Progress update",
                "subject": update.action.wording,
                "priority": update.action.plan_priority.title,
                "text": update.text,
            }
        else:
            reading = escalation.reading
            row |= {
                "kind": "Indicator reading",
                "subject": reading.indicator.name,
                "priority": "",
                "text": f"{reading.geography.name}, {reading.period.label}: {reading.display_value}",
            }
        rows.append(row)
    return rows
