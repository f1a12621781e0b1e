"""The example dates and periods the import page and its templates show, following the partnership's year
(`Partnership.year_start_month`; README "The reporting year and its boundaries"). Issue 25: the templates'
examples followed an April year whatever month the partnership's year starts in.

Every example is of the partnership's year that today falls in, so it is a date the person recognises
and one the import reads back as the same period (`cells.period`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from indicators.periods import add_months, month_end, year_label
from indicators.periods import year_start as first_day_of_year


@dataclass(frozen=True)
class YearExamples:
    """The partnership's year as examples: its first and last days, its label ("2026/27", or "2026" for a
    calendar year) and its first quarter as the import reads it ("Q1 2026/27")."""

    first: date
    last: date
    label: str

    @property
    def quarter(self) -> str:
        return f"Q1 {self.label}"

    @property
    def quarter_end(self) -> date:
        """The last day of the year's first quarter."""
        year, month = add_months(self.first.year, self.first.month, 2)
        return month_end(year, month)


def year_examples(partnership, today: date | None = None) -> YearExamples:
    """The partnership's year that `today` (by default the local date) falls in, as examples."""
    start_month = partnership.year_start_month
    first = first_day_of_year(today or timezone.localdate(), start_month)
    year, month = add_months(first.year, first.month, 11)
    return YearExamples(first=first, last=month_end(year, month), label=year_label(first.year, start_month))


def example_period_end(indicator, today: date | None = None) -> date:
    """The last day of the latest period of `indicator` that ends within the partnership's year `today`
    falls in (a calendar-year indicator of an April partnership: the December in it; a quarter: its last
    quarter). Raises ValueError only for a period type no month ends (none does)."""
    examples = year_examples(indicator.partnership, today)
    year, month = examples.last.year, examples.last.month
    for _ in range(12):
        try:
            return indicator.period_ending(month_end(year, month)).end
        except ValueError:
            year, month = add_months(year, month, -1)
    raise ValueError(f"No period of “{indicator}” ends in the year {examples.label}.")
