"""Comparing two readings the way the plan words it, with a direction of travel that knows polarity."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db import models

from .periods import Period


class Direction(models.TextChoices):
    IMPROVING = "improving", "Improving"
    WORSENING = "worsening", "Worsening"
    STABLE = "stable", "Stable"
    UP = "up", "Up"
    DOWN = "down", "Down"
    NOT_COMPARABLE = "not_comparable", "Not comparable"


# The step a figure is shown to: a percentage to 0.1, anything else to 0.01. Only shown so: figures are
# compared unrounded (issue 23).
SHOWN_STEP = {"percentage": Decimal("0.1")}
DEFAULT_STEP = Decimal("0.01")


# A figure smaller than its step keeps this many significant digits, so a non-zero figure is never shown
# as 0 (a tester's find: 5 incidents in Kent, 0.0033 per 1,000, were shown as "0.00 per 1,000" and "0").
SMALL_SIGNIFICANT_DIGITS = 2


def shown_number(value: Decimal, unit: str = "count") -> Decimal:
    """`value` of `unit` as pages, reports and files show it, halves rounded up (12.46 % → 12.5,
    21.9083 per 1,000 → 21.91); a non-zero figure smaller than its step keeps 2 significant digits, never
    0 (0.003216 per 1,000 → 0.0032, 0.04 % → 0.04). The one rule for pages, CSV, reports and open data."""
    value = Decimal(value)
    step = SHOWN_STEP.get(unit, DEFAULT_STEP)
    if value and abs(value) < step:
        step = Decimal(1).scaleb(value.adjusted() - SMALL_SIGNIFICANT_DIGITS + 1)
    return value.quantize(step, ROUND_HALF_UP)


def shown_rate(rate: Decimal) -> Decimal:
    """A rate as pages, reports and files show it: 2 decimal places, or 2 significant digits below 0.01
    (`shown_number`: 0.0033 per 1,000, never 0)."""
    return shown_number(rate, "rate_per_1000")


def format_value(value: Decimal, unit: str = "count", per: int = 1000) -> str:
    """ "40,151", "12.5%", or for a rate "3.21 per 1,000" (`per`: the population the rate is per)."""
    value = Decimal(value)
    if unit == "percentage":
        return f"{shown_number(value, unit)}%"
    if unit == "rate_per_1000":
        return f"{shown_number(value, unit):,} per {per:,}"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{shown_number(value, unit):,}"


@dataclass(frozen=True)
class Comparison:
    period: Period
    value: Decimal
    baseline_period: Period
    baseline_value: Decimal
    direction: str
    unit: str = "count"
    note: str = ""
    per: int = 1000  # a rate's population base

    @cached_property
    def direction_label(self) -> str:
        return Direction(self.direction).label

    @cached_property
    def baseline_display(self) -> str:
        return format_value(self.baseline_value, self.unit, self.per)

    @cached_property
    def change(self) -> Decimal:
        return self.value - self.baseline_value

    @cached_property
    def percent_change(self) -> Decimal | None:
        if not self.baseline_value:
            return None
        return (self.change / self.baseline_value * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @cached_property
    def arrow(self) -> str:
        if self.direction == Direction.NOT_COMPARABLE:
            return "≠"
        if self.direction == Direction.STABLE or self.change == 0:
            return "→"
        return "↑" if self.change > 0 else "↓"

    @cached_property
    def wording(self) -> str:
        """E.g. "down 12.8% from 46,036 to 40,151, 5,885 fewer"."""
        before = format_value(self.baseline_value, self.unit, self.per)
        after = format_value(self.value, self.unit, self.per)
        if self.change == 0:
            return f"unchanged at {after}"
        way = "up" if self.change > 0 else "down"
        pct = f" {abs(self.percent_change)}%" if self.percent_change is not None else ""
        if self.unit == "rate_per_1000" and before == after:  # moved less than its rounding: still told
            return f"{way}{pct}, though both round to {after}"
        if self.unit == "percentage":
            points = abs(self.change).quantize(Decimal("0.1"), ROUND_HALF_UP)
            return f"{way} {points} percentage points from {before} to {after}"
        if self.unit == "count":
            more = "more" if self.change > 0 else "fewer"
            return f"{way}{pct} from {before} to {after}, {format_value(abs(self.change))} {more}"
        return f"{way}{pct} from {before} to {after}"


def direction_of_travel(
    *, change_pct: Decimal | None, change: Decimal, polarity: str, stable_band_pct: Decimal, comparable: bool
) -> str:
    if not comparable:
        return Direction.NOT_COMPARABLE
    moved = abs(change_pct) if change_pct is not None else (Decimal(100) if change else Decimal(0))
    if moved <= Decimal(stable_band_pct):
        return Direction.STABLE
    rising = change > 0
    if polarity == "higher_is_better":
        return Direction.IMPROVING if rising else Direction.WORSENING
    if polarity == "lower_is_better":
        return Direction.WORSENING if rising else Direction.IMPROVING
    return Direction.UP if rising else Direction.DOWN


def compare(
    indicator, *, period: Period, value, baseline_period: Period, baseline_value, unit=None, per=None
) -> Comparison:
    """Compare `value` with `baseline_value` for `indicator`, honouring its polarity, band and comparability
    notes; worded in `unit` per `per` (the unit the figures were published in) or else the indicator's.
    Give a rate unrounded (`rates.rate_per_1000`): the change, its percentage and the direction of travel
    are worked out from the values as given, and rounded only in the wording."""
    value, baseline_value = Decimal(value), Decimal(baseline_value)
    earlier, later = sorted([period, baseline_period])
    breaks = [note for note in indicator.comparability_notes.all() if note.separates(earlier, later)]
    change = value - baseline_value
    pct = (change / baseline_value * 100) if baseline_value else None
    direction = direction_of_travel(
        change_pct=pct,
        change=change,
        polarity=indicator.polarity,
        stable_band_pct=indicator.stable_band_pct,
        comparable=not breaks,
    )
    return Comparison(
        period=period,
        value=value,
        baseline_period=baseline_period,
        baseline_value=baseline_value,
        direction=direction,
        unit=unit or indicator.unit,
        note=breaks[0].text if breaks else "",
        per=per or getattr(indicator, "rate_per", 1000),
    )
