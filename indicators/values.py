"""What a reading's figure may be, as stored: one rule for every way a figure arrives."""

from __future__ import annotations

from decimal import Decimal

from .models import Unit

# IndicatorReading.value keeps 2 decimal places; a figure with more would be rounded without a word.
PLACES = 2


def reading_value_refusal(indicator, value: Decimal, *, label: str | None = None) -> str | None:
    """Why `value` cannot be stored as a reading of `indicator` exactly as written, or None when it can:
    a count (and the count a rate is made from) is a whole number; any figure keeps at most 2 decimal
    places, so nothing is rounded silently. `label`: the reading form's label of the figure, which a form's
    message names (issue 25: a typed rate, 1.79, was saved as the count); None for an import's Value cell."""
    if indicator.unit != Unit.PERCENTAGE and value != value.to_integral_value():
        if indicator.unit == Unit.RATE_PER_1000:
            what = label[:1].upper() + label[1:] if label else "Value"
            return (
                f"{what} takes the count the rate per {indicator.rate_per:,} population of “{indicator}” is "
                f"worked out from, a whole number; {value:f} is not (enter the count, not the rate)."
            )
        if label:
            return f"{label[:1].upper()}{label[1:]} is a whole number for “{indicator}”; {value:f} is not."
        return f"{value:f} is not a whole number; “{indicator}” counts, and a count is a whole number."
    if value.as_tuple().exponent < -PLACES and value != round(value, PLACES):
        if label:
            return f"{label[:1].upper()}{label[1:]} keeps {PLACES} decimal places; round {value:f} to {PLACES}."
        return f"{value:f} has more than {PLACES} decimal places; a reading keeps {PLACES}. Round it in the sheet."
    return None


def count_label(indicator) -> str:
    """What the reading form calls the figure of `indicator` (issue 25): "Count" for a count, "Percentage"
    for a percentage, and for a rate the count it is worked out from, "Count (the number, not the rate per
    1,000 population)"."""
    if indicator.unit == Unit.RATE_PER_1000:
        return f"Count (the number, not the rate per {indicator.rate_per:,} population)"
    if indicator.unit == Unit.PERCENTAGE:
        return "Percentage"
    return "Count"
