"""What a reading's figure may be, as stored: one rule for every way a figure arrives."""

from __future__ import annotations

from decimal import Decimal

from .models import Unit

# IndicatorReading.value keeps 2 decimal places; a figure with more would be rounded without a word.
PLACES = 2


def reading_value_refusal(indicator, value: Decimal) -> str | None:
    """Why `value` cannot be stored as a reading of `indicator` exactly as written, or None when it can:
    a count (and the count a rate is made from) is a whole number; any figure keeps at most 2 decimal
    places, so nothing is rounded silently."""
    if indicator.unit != Unit.PERCENTAGE and value != value.to_integral_value():
        return f"{value:f} is not a whole number; “{indicator}” counts, and a count is a whole number."
    if value.as_tuple().exponent < -PLACES and value != round(value, PLACES):
        return f"{value:f} has more than {PLACES} decimal places; a reading keeps {PLACES}. Round it in the sheet."
    return None
