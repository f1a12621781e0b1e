"""Flags raised by rules when something is submitted, so reviewers see more than partners flag.

Each rule returns {"rule": code, "message": words for the reviewer} when it fires.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone


def _flag(rule: str, message: str) -> dict:
    return {"rule": rule, "message": message}


def update_rule_flags(update) -> list[dict]:
    from actions.models import ProgressUpdate

    flags = []
    last = ProgressUpdate.objects.published().filter(action_id=update.action_id).select_related("status")
    last = last.order_by("-published_at").first()
    if last is None:
        flags.append(_flag("first_update", "First update of a new action."))
    elif update.status.severity > last.status.severity:
        flags.append(_flag("status_worsened", f"Status worsened from “{last.status}” to “{update.status}”."))
    action = update.action
    if action.due_date and action.due_date < timezone.localdate() and not update.status.is_complete:
        flags.append(_flag("overdue", f"Past its due date ({action.due_date:%-d %B %Y}) and not complete."))
    return flags


def latest_published_reading(indicator_id: int, geography_id: int, period_end):
    from indicators.models import IndicatorReading

    published = IndicatorReading.objects.published().filter(
        indicator_id=indicator_id, geography_id=geography_id, period_end=period_end
    )
    return published.order_by("-published_at").first()


def reading_rule_flags(reading, *, latest_published=latest_published_reading) -> list[dict]:
    """`latest_published(indicator_id, geography_id, period_end)` may be swapped for a lookup in memory
    when many readings are submitted at once (a spreadsheet import)."""
    flags = []
    indicator = reading.indicator
    baseline_period = reading.period.same_period_last_year()
    baseline = latest_published(indicator.pk, reading.geography_id, baseline_period.end)
    if baseline is not None and baseline.value:
        moved = (Decimal(reading.value) - baseline.value) / baseline.value * 100
        if abs(moved) > indicator.change_threshold_pct:
            flags.append(
                _flag(
                    "moved_beyond_threshold",
                    f"Moved {moved:+.1f}% against {baseline_period.label} "
                    f"(more than the {indicator.change_threshold_pct}% threshold).",
                )
            )
    if latest_published(indicator.pk, reading.geography_id, reading.period_end) is not None:
        flags.append(_flag("replaces_published", "A figure for this period is already published."))
    return flags


def rule_flags_for(item) -> list[dict]:
    return update_rule_flags(item) if item.review_link_name == "update" else reading_rule_flags(item)
