"""The latest figure rated against the partnership's target for its period (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .comparisons import format_value
from .models import Polarity, Target


@dataclass(frozen=True)
class TargetRating:
    target: Decimal
    display: str  # the target as the figure is shown, e.g. "3.20 per 1,000"
    met: bool | None  # None: the indicator has no better direction, so the figure is neither on nor off target

    @property
    def label(self) -> str:
        if self.met is None:
            return f"Target {self.display}"
        return f"On target ({self.display})" if self.met else f"Off target ({self.display})"


def target_rating(indicator, figure) -> TargetRating | None:
    """Rate `figure` (an `indicators.selectors.Figure`, or None) against the indicator's target for its
    period: met when at or below the target for "lower is better", at or above for "higher is better".
    None when there is no figure, no target for that period, or the figure is hidden (suppressed)."""
    if figure is None or figure.value is None:
        return None
    target = Target.objects.filter(indicator=indicator, period_end=figure.period.end).first()
    if target is None:
        return None
    met = None
    if indicator.polarity == Polarity.LOWER_IS_BETTER:
        met = figure.value <= target.value
    elif indicator.polarity == Polarity.HIGHER_IS_BETTER:
        met = figure.value >= target.value
    return TargetRating(target.value, format_value(target.value, indicator.unit, indicator.rate_per), met)
