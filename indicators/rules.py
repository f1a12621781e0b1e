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


def comparison_reading(indicator_id: int, geography_id: int, period_end):
    """The reading a new figure is compared with for the period ending `period_end`: one submitted in the
    same review round (waiting for review, e.g. imported from the same file or sent in the same week) if
    there is one, as it is the figure about to stand, else the latest published; None when neither exists.
    Issue 25: a comparison figure sent with the current one used to be ignored, so no flag was raised."""
    from workflow.models import ReviewState

    from .models import IndicatorReading

    waiting = IndicatorReading.objects.filter(
        indicator_id=indicator_id, geography_id=geography_id, period_end=period_end, state=ReviewState.SUBMITTED
    )
    return waiting.order_by("-submitted_at").first() or latest_published_reading(indicator_id, geography_id, period_end)


def reading_rule_flags(
    reading, *, latest_published=latest_published_reading, comparison=comparison_reading
) -> list[dict]:
    """The flags raised on `reading` ([{"rule", "message"}], possibly empty). `comparison(indicator_id,
    geography_id, period_end)` gives the figure of the comparison period (`comparison_reading`: the one
    submitted in the same round, else the published one); `latest_published` the published one of the
    reading's own period. Both may be swapped for a lookup in memory when many readings are submitted at
    once (a spreadsheet import)."""
    flags = []
    indicator = reading.indicator
    baseline_period = reading.period.same_period_last_year()
    baseline = comparison(indicator.pk, reading.geography_id, baseline_period.end)
    if baseline is not None and baseline.value and reading.value is not None:
        before = Decimal(str(baseline.value))
        moved = (Decimal(str(reading.value)) - before) / before * 100
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


def compared_with(readings, candidates) -> list:
    """Those of `candidates` (readings waiting for review) whose comparison period is the period of one
    of `readings`: their threshold flag reads that figure, so it is worked out again when one of
    `readings` is submitted after them (issue 25)."""
    keys = {(r.indicator_id, r.geography_id, r.period_end) for r in readings}
    return [
        later
        for later in candidates
        if (later.indicator_id, later.geography_id, later.period.same_period_last_year().end) in keys
    ]
