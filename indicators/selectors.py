"""Reads that turn published readings into what pages show: figures (suppressed, with rates), the
latest figure compared with its baseline, and the direction of travel.

Each function runs a fixed number of queries whatever the number of indicators or readings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, reduce
from operator import or_

from django.db.models import OuterRef, Q, Subquery

from csa_tracker.text import is_whole

from .chart_series import category_series, time_series
from .comparisons import Comparison, compare, format_value, shown_rate
from .models import Geography, Indicator, IndicatorReading, Target, Unit, stored_period
from .periods import Period
from .rates import Populations
from .suppression import is_suppressed, suppressed_text
from .targets import TargetRating, target_rating

# Figures in a dashboard trend: a monthly series back to the same month last year.
TREND_POINTS = 13


# What a figure needs from a reading: summaries read these as tuples rather than model instances.
READING_FIELDS = (
    "id", "indicator_id", "geography_id", "period_start", "period_end", "value", "approximate",
    "published_year_start", "published_period_type", "published_area_name", "published_unit", "published_rate_per",
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One published reading as every output shows it (pages ask for each property many times): its
    period, area name and unit as it was published with (`IndicatorReading.stamp_published`)."""

    indicator: Indicator
    geography: Geography
    period: Period
    count: Decimal  # the stored value: a count, or a percentage
    rate: Decimal | None  # per `rate_per` people for a rate, else per 1,000, unrounded; None without a population
    approximate: bool = False
    area_name: str = ""
    unit: str = Unit.COUNT
    rate_per: int = 1000

    @cached_property
    def suppressed(self) -> bool:
        return is_suppressed(self.indicator, self.geography, self.count)

    @cached_property
    def value(self) -> Decimal | None:
        """What is shown and compared: the rate for a rate indicator, else the stored value; None if hidden."""
        if self.suppressed:
            return None
        return self.rate if self.unit == Unit.RATE_PER_1000 else self.count

    @cached_property
    def shown_value(self) -> Decimal | None:
        """`value` as `display` shows it (a rate to 2 places), for files and reports; compare with `value`."""
        if self.value is None or self.unit != Unit.RATE_PER_1000:
            return self.value
        return shown_rate(self.value)

    @cached_property
    def shown_rate(self) -> Decimal | None:
        """`rate` as `rate_display` shows it (2 places), for files."""
        return shown_rate(self.rate) if self.rate is not None else None

    @cached_property
    def display(self) -> str:
        if self.suppressed:
            return suppressed_text(self.indicator)
        if self.value is None:
            return "no population figure"
        return ("approx. " if self.approximate else "") + format_value(self.value, self.unit, self.rate_per)

    @cached_property
    def rate_display(self) -> str:
        if self.suppressed:
            return suppressed_text(self.indicator)
        return format_value(self.rate, Unit.RATE_PER_1000) if self.rate is not None else "—"

    @cached_property
    def chart_value(self) -> float | None:
        """Where a chart draws the figure: as shown (a chart is a display)."""
        return float(self.shown_value) if self.value is not None else None


def plain_number(value: Decimal | None) -> int | float | None:
    """A stored decimal as a number for files (CSV, JSON): whole numbers as integers (46036, never
    "46036.00"), others as floats (21.91); None stays None."""
    if value is None:
        return None
    return int(value) if is_whole(value) else float(value)


def to_figure(reading, indicator: Indicator, geography: Geography, populations) -> Figure:
    """A published reading (or a row of READING_FIELDS) as a figure: with the period, area name and unit it
    was published with, or today's where it has none stored."""
    period = stored_period(reading, indicator)
    unit = reading.published_unit or indicator.unit
    rate_per = reading.published_rate_per or indicator.rate_per
    # A rate indicator's own base; a count's rate beside it is always per 1,000 (the tables say so).
    base = rate_per if unit == Unit.RATE_PER_1000 else 1000
    return Figure(
        indicator=indicator,
        geography=geography,
        period=period,
        count=reading.value,
        rate=populations.rate(geography.pk, period, reading.value, base) if unit != Unit.PERCENTAGE else None,
        approximate=reading.approximate,
        area_name=reading.published_area_name or geography.name,
        unit=unit,
        rate_per=rate_per,
    )


def compare_figures(indicator: Indicator, latest: Figure, baseline: Figure | None) -> Comparison | None:
    """The latest figure against its baseline; None when either is missing or hidden, or when they were
    published in different units (a count is not compared with a percentage)."""
    if baseline is None or latest.value is None or baseline.value is None:
        return None
    if (latest.unit, latest.rate_per) != (baseline.unit, baseline.rate_per):
        return None
    return compare(
        indicator,
        period=latest.period,
        value=latest.value,
        baseline_period=baseline.period,
        baseline_value=baseline.value,
        unit=latest.unit,
        per=latest.rate_per,
    )


def chart_data(figures: list[Figure], indicator: Indicator) -> dict:
    """What static/js/charts.js draws on a time axis (see `indicators.chart_series.time_series`);
    the page shows the same figures in a table."""
    return time_series(figures, indicator)


def one_per_period(readings):
    """The newest published reading for each indicator, geography and period: a correction is
    entered after what it corrects, so the later row supersedes."""
    kept = {}
    for reading in sorted(readings, key=lambda r: r.id):
        kept[(reading.indicator_id, reading.geography_id, reading.period_end)] = reading
    return sorted(kept.values(), key=lambda r: (r.indicator_id, r.geography_id, r.period_end))


@dataclass
class IndicatorSummary:
    indicator: Indicator
    latest: Figure | None = None
    comparison: Comparison | None = None
    trend: list[Figure] = field(default_factory=list)  # filled by `add_trends` or the indicator page
    target: Decimal | None = None  # the target for the latest figure's period, in the indicator's unit

    @cached_property
    def target_rating(self) -> TargetRating | None:
        """The latest figure against its target (`indicators.targets`); None without a target."""
        return target_rating(self.indicator, self.latest, self.target)

    @cached_property
    def chart(self) -> dict:
        """The trend's chart data (`chart_data`), worked out once: read after `trend` is filled, and kept
        with the summary where it is cached (the governing dashboard's headline cards; issue 26)."""
        return chart_data(self.trend, self.indicator)

    @property
    def single_figure(self) -> Figure | None:
        """The one figure of a trend that has only one: shown as a figure, not as a chart."""
        return self.trend[0] if len(self.trend) == 1 else None


def _own_area(indicators, period_ends: dict | None = None, since: dict | None = None) -> Q:
    """Readings of these indicators at their own geographies (and, if given, only the periods in
    `period_ends[indicator.pk]`, only those ending on or after `since[indicator.pk]`), as one condition
    per group of indicators alike, so the database uses the (indicator, geography, period_end) index."""
    groups = defaultdict(list)
    for indicator in indicators:
        key = (indicator.geography_id, (period_ends or {}).get(indicator.pk), (since or {}).get(indicator.pk))
        groups[key].append(indicator.pk)
    conditions = []
    for (geography_id, ends, start), ids in groups.items():
        condition = Q(indicator_id__in=ids, geography_id=geography_id)
        if ends:
            condition &= Q(period_end__in=ends)
        if start:
            condition &= Q(period_end__gte=start)
        conditions.append(condition)
    return reduce(or_, conditions)


def indicator_summaries(indicators) -> list[IndicatorSummary]:
    """Each indicator's latest published figure at its own geography, compared with its baseline
    (the same period last year unless the indicator says the previous period). Reads only those two
    figures per indicator, in four queries whatever the number of indicators or readings."""
    indicators = list(indicators.with_details().with_latest_end().with_latest_target())
    wanted = {}  # indicator -> the periods read: latest and baseline
    for indicator in indicators:
        if indicator.latest_end:
            latest = indicator.latest_period
            ends = (indicator.latest_end, latest.baseline(indicator.compare_with).end)
            wanted[indicator.pk] = ends
    readable = [indicator for indicator in indicators if indicator.pk in wanted]
    rows = (
        IndicatorReading.objects.published()
        .order_by()
        .filter(_own_area(readable, wanted))
        .values_list(*READING_FIELDS, named=True)
        if readable
        else []
    )
    populations = Populations(indicator.geography_id for indicator in indicators)

    by_id = {indicator.pk: indicator for indicator in indicators}
    found = {}
    for row in one_per_period(rows):
        indicator = by_id[row.indicator_id]
        found[(indicator.pk, row.period_end)] = to_figure(row, indicator, indicator.geography, populations)
    summaries = []
    for indicator in indicators:
        latest = found.get((indicator.pk, indicator.latest_end))
        summary = IndicatorSummary(indicator=indicator, latest=latest, target=indicator.latest_target)
        if summary.latest:
            baseline_end = summary.latest.period.baseline(indicator.compare_with).end
            summary.comparison = compare_figures(indicator, summary.latest, found.get((indicator.pk, baseline_end)))
        summaries.append(summary)
    return summaries


def trend_starts(indicator_ids) -> dict[int, date]:
    """{indicator id: the end of its TREND_POINTS-th latest published period at its own geography}, for
    the indicators with at least that many (a trend takes every period of the others), in one query: each
    indicator's few latest periods read backwards from the (indicator, geography, period_end) index."""
    periods = (
        IndicatorReading.objects.published()
        .filter(indicator=OuterRef("pk"), geography=OuterRef("geography"))
        .order_by("-period_end")
        .values("period_end")
        .distinct()
    )
    return dict(
        Indicator.objects.filter(pk__in=indicator_ids)
        .order_by()
        .annotate(trend_from=Subquery(periods[TREND_POINTS - 1 : TREND_POINTS]))
        .filter(trend_from__isnull=False)
        .values_list("pk", "trend_from")
    )


def add_trends(summaries: list[IndicatorSummary]) -> None:
    """Give these summaries their latest TREND_POINTS figures, in three queries: where each trend starts
    (`trend_starts`), then only the readings from there on (issue 26: not every reading ranked)."""
    indicators = {summary.indicator.pk: summary.indicator for summary in summaries}
    if not indicators:
        return
    recent = (
        IndicatorReading.objects.published()
        .order_by()
        .filter(_own_area(indicators.values(), since=trend_starts(indicators)))
        .values_list(*READING_FIELDS, named=True)
    )
    populations = Populations(indicator.geography_id for indicator in indicators.values())
    trends = defaultdict(list)
    for row in one_per_period(recent):
        indicator = indicators[row.indicator_id]
        trends[indicator.pk].append(to_figure(row, indicator, indicator.geography, populations))
    for summary in summaries:
        summary.trend = trends[summary.indicator.pk]


@dataclass
class IndicatorDetail:
    summary: IndicatorSummary
    breakdown: list[Figure]

    @property
    def with_rate(self) -> bool:
        """A count also shows its rate per 1,000; a rate or percentage already is one."""
        return self.summary.indicator.unit == Unit.COUNT

    @property
    def breakdown_chart(self) -> dict:
        labels = [figure.area_name for figure in self.breakdown]
        return category_series(self.breakdown, self.summary.indicator, labels)


def indicator_detail(indicator: Indicator) -> IndicatorDetail:
    """The whole published series at the indicator's geography, compared as on the dashboard, and
    every other area's figure for the latest period (the district breakdown), and the target for the
    latest period. Expects an indicator read `with_details()`."""
    published = IndicatorReading.objects.published().filter(indicator=indicator).order_by()
    series = one_per_period(published.filter(geography=indicator.geography))
    latest_end = series[-1].period_end if series else None
    areas = list(
        published.filter(period_end=latest_end).exclude(geography=indicator.geography).select_related("geography")
    )
    populations = Populations([indicator.geography_id, *(r.geography_id for r in areas)])

    figures = [to_figure(r, indicator, indicator.geography, populations) for r in series]
    latest = figures[-1] if figures else None
    target = Target.objects.filter(indicator=indicator, period_end=latest.period.end).first() if latest else None
    summary = IndicatorSummary(indicator=indicator, latest=latest, trend=figures, target=target and target.value)
    if summary.latest:
        baseline_end = summary.latest.period.baseline(indicator.compare_with).end
        baseline = next((f for f in figures if f.period.end == baseline_end), None)
        summary.comparison = compare_figures(indicator, summary.latest, baseline)
    breakdown = [to_figure(r, indicator, r.geography, populations) for r in one_per_period(areas)]
    breakdown.sort(key=lambda f: (f.geography.kind == Geography.Kind.DISTRICT, f.geography.name))
    return IndicatorDetail(summary=summary, breakdown=breakdown)


def indicator_figures(indicator: Indicator) -> list[Figure]:
    """Every published figure of the indicator, in every area, for export."""
    readings = one_per_period(
        IndicatorReading.objects.published().filter(indicator=indicator).select_related("geography").order_by()
    )
    populations = Populations({r.geography_id for r in readings})
    figures = [to_figure(r, indicator, r.geography, populations) for r in readings]
    return sorted(figures, key=lambda f: (f.geography.pk != indicator.geography_id, f.geography.name, f.period.end))
