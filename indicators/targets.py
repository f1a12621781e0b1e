"""A figure rated against the partnership's target for its period (issues 14 and 25).

The rule is `rate_against_target`, in one place: every page, report and file takes its rating from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from .comparisons import format_value, shown_number
from .models import Polarity, Unit


class Rating(models.TextChoices):
    MET = "met", "Met"
    WITHIN_TOLERANCE = "within_tolerance", "Within tolerance"
    MISSED = "missed", "Missed"


def rate_against_target(
    *, value: Decimal, target: Decimal, polarity: str, tolerance_pct: Decimal, unit: str = Unit.COUNT
) -> Rating | None:
    """Rate a figure against its target (issue 25).

    `value` and `target` are in the indicator's unit (a count, a percentage 0–100, or a rate per the
    indicator's `rate_per` people); `value` is compared as it is shown (a percentage to 0.1, else to
    0.01), so a figure shown equal to its target meets it. `tolerance_pct` is a percentage of the target
    (`Indicator.target_tolerance_pct`, 0 or more): the allowance is |target| × tolerance_pct / 100.

    - "higher is better": met when value ≥ target; within tolerance when value ≥ target − allowance;
      else missed.
    - "lower is better": met when value ≤ target; within tolerance when value ≤ target + allowance;
      else missed.
    - "neither": None, since no side of the target is better.

    A boundary counts on the better side: exactly at the target is met, exactly at the allowance's edge
    is within tolerance."""
    if polarity not in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
        return None
    value = shown_number(value, unit)
    target = Decimal(target)
    allowance = abs(target) * Decimal(tolerance_pct) / 100
    # Short of the target by this much (0 or less: met), whichever side is better.
    shortfall = target - value if polarity == Polarity.HIGHER_IS_BETTER else value - target
    if shortfall <= 0:
        return Rating.MET
    return Rating.WITHIN_TOLERANCE if shortfall <= allowance else Rating.MISSED


@dataclass(frozen=True)
class TargetRating:
    """A figure's target, as the figure is shown, and its rating (None when the indicator has no better
    direction, or the figure is hidden by suppression)."""

    target: Decimal
    display: str  # the target as the figure is shown, e.g. "3.20 per 1,000"
    rating: Rating | None

    @property
    def rating_label(self) -> str:
        """The rating in words: "Met", "Within tolerance", "Missed" or "Not rated"."""
        return Rating(self.rating).label if self.rating else "Not rated"

    @property
    def label(self) -> str:
        """E.g. "Target 6,000: missed"; "Target 6,000: not rated" when there is no rating."""
        return f"Target {self.display}: {self.rating_label.lower()}"


def target_rating(indicator, figure, target: Decimal | None) -> TargetRating | None:
    """`figure` (an `indicators.selectors.Figure`, or None) rated against `target` (the indicator's
    target for the figure's period, in its unit; None when there is none) by `rate_against_target`.
    None without a target or a figure; a suppressed figure or one without a population (no value)
    shows its target but is not rated, so a rating never reveals a hidden count."""
    if figure is None or target is None:
        return None
    rating = None
    if figure.value is not None:
        rating = rate_against_target(
            value=figure.value,
            target=target,
            polarity=indicator.polarity,
            tolerance_pct=indicator.target_tolerance_pct,
            unit=indicator.unit,
        )
    return TargetRating(target, format_value(target, indicator.unit, indicator.rate_per), rating)
