"""Reads that turn published readings into what pages show: latest figure, comparison, direction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Prefetch

from .comparisons import Comparison, compare
from .models import ComparabilityNote, Indicator, IndicatorReading


@dataclass
class IndicatorSummary:
    indicator: Indicator
    series: list[IndicatorReading] = field(default_factory=list)
    comparison: Comparison | None = None

    @property
    def latest(self) -> IndicatorReading | None:
        return self.series[-1] if self.series else None


def indicator_summaries(indicators) -> list[IndicatorSummary]:
    """Each indicator's published series at its own geography, and the latest reading compared with
    the same period last year. A fixed number of queries whatever the number of indicators."""
    indicators = list(
        indicators.select_related("geography").prefetch_related(
            Prefetch("comparability_notes", queryset=ComparabilityNote.objects.all())
        )
    )
    readings = (
        IndicatorReading.objects.published()
        .filter(indicator__in=indicators, geography_id=F("indicator__geography_id"))
        .order_by("indicator_id", "period_end")
    )
    by_indicator: dict[int, list[IndicatorReading]] = defaultdict(list)
    for reading in readings:
        by_indicator[reading.indicator_id].append(reading)

    summaries = []
    for indicator in indicators:
        series = by_indicator[indicator.pk]
        for reading in series:
            reading.indicator = indicator  # avoid a query per reading for its period label
        summary = IndicatorSummary(indicator=indicator, series=series)
        if series:
            latest = series[-1]
            baseline_period = latest.period.same_period_last_year()
            baseline = next((r for r in series if r.period_end == baseline_period.end), None)
            if baseline is not None:
                summary.comparison = compare(
                    indicator,
                    period=latest.period,
                    value=latest.value,
                    baseline_period=baseline_period,
                    baseline_value=baseline.value,
                )
        summaries.append(summary)
    return summaries
