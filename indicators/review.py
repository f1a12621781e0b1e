"""What the review page shows of a submitted reading: the figure beside the published one for the same
period and the comparison with the same period a year before (`indicators.kinds` names it)."""

from __future__ import annotations

from .comparisons import compare as compare_figures


def reading_review_context(item, published, compare: str | None) -> dict:
    """{"comparison": the change from the same period last year (None without a published figure
    then), "baseline_period": that period}; `compare` is not used (readings have one comparison)."""
    baseline_period = item.period.same_period_last_year()
    baseline = (
        type(item)
        .objects.published()
        .filter(indicator=item.indicator, geography=item.geography, period_end=baseline_period.end)
        .order_by("-published_at")
        .first()
    )
    comparison = None
    if baseline is not None:
        comparison = compare_figures(
            item.indicator,
            period=item.period,
            value=item.value,
            baseline_period=baseline_period,
            baseline_value=baseline.value,
        )
    return {"comparison": comparison, "baseline_period": baseline_period}
