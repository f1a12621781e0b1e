"""Small-number suppression: a district count below the indicator's threshold is never shown.

Every output (page, chart data, table, CSV, report) takes its figures through `Figure`, which asks
`is_suppressed`, so no output can show what another hides. Percentages carry no count and are not
suppressed; a rate per 1,000 is suppressed when the count it comes from is.
"""

from __future__ import annotations

from decimal import Decimal

from .models import Geography, Unit

SUPPRESSED_KINDS = {Geography.Kind.DISTRICT}


def is_suppressed(indicator, geography, count) -> bool:
    return (
        indicator.unit != Unit.PERCENTAGE
        and geography.kind in SUPPRESSED_KINDS
        and Decimal(count) < indicator.suppress_below
    )


def suppressed_text(indicator) -> str:
    return f"fewer than {indicator.suppress_below}"
