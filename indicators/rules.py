"""Flags raised when an indicator reading is submitted: a move beyond the indicator's threshold
against the same period last year, and a figure that replaces a published one.

Each rule returns {"rule": code, "message": words for the reviewer} when it fires.
"""

from __future__ import annotations

from decimal import Decimal


def flag(rule: str, message: str) -> dict:
    return {"rule": rule, "message": message}


def latest_published_reading(indicator_id: int, geography_id: int, period_end):
    from .models import IndicatorReading  # the model calls this module: import at call time

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
                flag(
                    "moved_beyond_threshold",
                    f"Moved {moved:+.1f}% against {baseline_period.label} "
                    f"(more than the {indicator.change_threshold_pct}% threshold).",
                )
            )
    if latest_published(indicator.pk, reading.geography_id, reading.period_end) is not None:
        flags.append(flag("replaces_published", "A figure for this period is already published."))
    return flags
