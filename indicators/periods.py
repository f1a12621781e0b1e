"""Reporting periods as partnerships write them, and the periods they are compared with.

A period is fully determined by its type and its last day, so readings store both ends but every
label and comparison is computed here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

from django.db import models


class PeriodType(models.TextChoices):
    CALENDAR_YEAR = "calendar_year", "Calendar year (Jan–Dec)"
    FINANCIAL_YEAR = "financial_year", "Financial year (Apr–Mar)"
    JUL_JUN = "jul_jun", "July–June"
    OCT_SEP = "oct_sep", "October–September"
    QUARTER = "quarter", "Quarter (financial)"
    MONTH = "month", "Month"
    ROLLING_12_MONTHS = "rolling_12_months", "Rolling 12 months"
    YEAR_TO_DATE = "year_to_date", "Financial year to date"
    THREE_YEARS_POOLED = "three_years_pooled", "Three calendar years pooled"


# Months covered by each fixed-length type.
_LENGTH_IN_MONTHS = {
    PeriodType.CALENDAR_YEAR: 12,
    PeriodType.FINANCIAL_YEAR: 12,
    PeriodType.JUL_JUN: 12,
    PeriodType.OCT_SEP: 12,
    PeriodType.QUARTER: 3,
    PeriodType.MONTH: 1,
    PeriodType.ROLLING_12_MONTHS: 12,
    PeriodType.THREE_YEARS_POOLED: 36,
}

# The month a period of each year-long type must end in (None: any month).
_END_MONTH = {
    PeriodType.CALENDAR_YEAR: 12,
    PeriodType.FINANCIAL_YEAR: 3,
    PeriodType.JUL_JUN: 6,
    PeriodType.OCT_SEP: 9,
    PeriodType.THREE_YEARS_POOLED: 12,
}


# How long after a period ends its figure may go without a newer one before the source counts as
# stale: the period's own length (the next one has to end) plus time for the source to publish.
_STALE_AFTER_MONTHS = {
    PeriodType.CALENDAR_YEAR: 18,
    PeriodType.FINANCIAL_YEAR: 18,
    PeriodType.JUL_JUN: 18,
    PeriodType.OCT_SEP: 18,
    PeriodType.QUARTER: 6,
    PeriodType.MONTH: 2,
    PeriodType.ROLLING_12_MONTHS: 18,
    PeriodType.YEAR_TO_DATE: 3,
    PeriodType.THREE_YEARS_POOLED: 18,
}


class Baseline(models.TextChoices):
    """What a period's figure is compared with."""

    SAME_PERIOD_LAST_YEAR = "same_period_last_year", "The same period last year"
    PREVIOUS_PERIOD = "previous_period", "The previous period"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def financial_year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _short_year_span(first: int) -> str:
    return f"{first}/{str(first + 1)[-2:]}"


@dataclass(frozen=True, order=True)
class Period:
    end: date
    type: str
    start: date

    @classmethod
    def ending(cls, period_type: str, end: date) -> Period:
        """The period of `period_type` whose last day is `end` (any day of the last month will do)."""
        return _ending(period_type, end)

    @cached_property
    def label(self) -> str:
        t, s, e = PeriodType(self.type), self.start, self.end
        if t == PeriodType.CALENDAR_YEAR:
            return f"{e.year} (Jan–Dec)"
        if t == PeriodType.FINANCIAL_YEAR:
            return f"{_short_year_span(s.year)} (Apr–Mar)"
        if t == PeriodType.JUL_JUN:
            return f"{_short_year_span(s.year)} (Jul–Jun)"
        if t == PeriodType.OCT_SEP:
            return f"{_short_year_span(s.year)} (Oct–Sep)"
        if t == PeriodType.QUARTER:
            fy = financial_year_start(s).year
            number = (s.month - 4) % 12 // 3 + 1
            return f"Q{number} {_short_year_span(fy)}"
        if t == PeriodType.MONTH:
            return f"{e:%B %Y}"
        if t == PeriodType.ROLLING_12_MONTHS:
            return f"12 months to {e:%B %Y}"
        if t == PeriodType.YEAR_TO_DATE:
            return f"{_short_year_span(s.year)} year to date (Apr–{e:%b} {e.year})"
        return f"{s.year}–{str(e.year)[-2:]}"

    def same_period_last_year(self) -> Period:
        return Period.ending(self.type, month_end(self.end.year - 1, self.end.month))

    def previous(self) -> Period:
        """The period immediately before this one (for year-long types, last year's)."""
        if self.type == PeriodType.YEAR_TO_DATE:
            return self.same_period_last_year()
        year, month = add_months(self.start.year, self.start.month, -1)
        return Period.ending(self.type, month_end(year, month))

    def baseline(self, basis: str = Baseline.SAME_PERIOD_LAST_YEAR) -> Period:
        if basis == Baseline.PREVIOUS_PERIOD:
            return self.previous()
        return self.same_period_last_year()

    def is_stale(self, today: date) -> bool:
        """Whether a source whose latest figure is for this period is overdue a newer one on `today`."""
        year, month = add_months(self.end.year, self.end.month, _STALE_AFTER_MONTHS[PeriodType(self.type)])
        return today > month_end(year, month)

    def __str__(self) -> str:
        return self.label


# Pages label thousands of figures from a few hundred distinct periods; periods are immutable.
@lru_cache(maxsize=16384)
def _ending(period_type: str, end: date) -> Period:
    period_type = PeriodType(period_type)
    end = month_end(end.year, end.month)
    if period_type in _END_MONTH and end.month != _END_MONTH[period_type]:
        raise ValueError(f"A {period_type.label} period cannot end in {end:%B}.")
    if period_type == PeriodType.QUARTER and end.month % 3 != 0:
        raise ValueError("A quarter ends in March, June, September or December.")
    if period_type == PeriodType.YEAR_TO_DATE:
        start = financial_year_start(end)
    else:
        year, month = add_months(end.year, end.month, 1 - _LENGTH_IN_MONTHS[period_type])
        start = date(year, month, 1)
    return Period(end=end, type=period_type.value, start=start)
