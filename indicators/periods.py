"""Reporting periods as partnerships write them, and the periods they are compared with.

A period being entered is determined by its type, its last day and the partnership's year; once a
reading is published its period is what it stored (`Period.stored`): both ends and the year's start
month of the day it was published, so later settings never relabel it (issue 23).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache

from django.db import models


class PeriodType(models.TextChoices):
    CALENDAR_YEAR = "calendar_year", "Calendar year (Jan–Dec)"
    FINANCIAL_YEAR = "financial_year", "Financial year (Apr–Mar)"
    JUL_JUN = "jul_jun", "July–June"
    OCT_SEP = "oct_sep", "October–September"
    PARTNERSHIP_YEAR = "partnership_year", "The partnership's year"
    QUARTER = "quarter", "Quarter of the partnership's year"
    MONTH = "month", "Month"
    ROLLING_12_MONTHS = "rolling_12_months", "Rolling 12 months"
    YEAR_TO_DATE = "year_to_date", "The partnership's year to date"
    THREE_YEARS_POOLED = "three_years_pooled", "Three calendar years pooled"


# How a sentence names each type after "by" ("Measured as a count, by financial year (Apr–Mar)"): month names
# keep their capitals; the choices' labels are for lists, starting with a capital.
_BY_PHRASE = {
    PeriodType.CALENDAR_YEAR: "calendar year (Jan–Dec)",
    PeriodType.FINANCIAL_YEAR: "financial year (Apr–Mar)",
    PeriodType.JUL_JUN: "July–June year",
    PeriodType.OCT_SEP: "October–September year",
    PeriodType.PARTNERSHIP_YEAR: "the partnership's year",
    PeriodType.QUARTER: "quarter of the partnership's year",
    PeriodType.MONTH: "month",
    PeriodType.ROLLING_12_MONTHS: "rolling 12 months",
    PeriodType.YEAR_TO_DATE: "the partnership's year to date",
    PeriodType.THREE_YEARS_POOLED: "three calendar years pooled",
}


def period_type_phrase(period_type: str) -> str:
    """How a sentence names `period_type` after "by": "financial year (Apr–Mar)", "July–June year", "month";
    month names capitalised, never the list label lower-cased ("apr–mar", a tester's find). KeyError for an
    unknown type."""
    return _BY_PHRASE[PeriodType(period_type)]


# Types whose periods (and labels) follow the month the partnership's year starts.
FOLLOW_THE_YEAR = (PeriodType.PARTNERSHIP_YEAR, PeriodType.QUARTER, PeriodType.YEAR_TO_DATE)

# The month a partnership's year starts in when it has not said otherwise: April, the financial year.
# Quarters, years to date and the partnership's year follow `Partnership.year_start_month`.
FINANCIAL_YEAR_START = 4


# Months covered by each fixed-length type.
_LENGTH_IN_MONTHS = {
    PeriodType.CALENDAR_YEAR: 12,
    PeriodType.FINANCIAL_YEAR: 12,
    PeriodType.JUL_JUN: 12,
    PeriodType.OCT_SEP: 12,
    PeriodType.PARTNERSHIP_YEAR: 12,
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
    PeriodType.PARTNERSHIP_YEAR: 18,
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
    return year_start(day, FINANCIAL_YEAR_START)


def year_start(day: date, start_month: int) -> date:
    """The first day of the year (starting in `start_month`, 1–12) that `day` falls in."""
    return date(day.year if day.month >= start_month else day.year - 1, start_month, 1)


def _short_year_span(first: int) -> str:
    return f"{first}/{str(first + 1)[-2:]}"


def year_label(first: int, start_month: int) -> str:
    """ "2017" for a calendar year, "2017/18" for a year that starts in any other month."""
    return str(first) if start_month == 1 else _short_year_span(first)


def _month_abbr(month: int) -> str:
    return calendar.month_abbr[month]


def quarter_end_months(start_month: int) -> list[int]:
    """The months quarters of a year starting in `start_month` end in, in calendar order."""
    return sorted((start_month + 2 + 3 * n - 1) % 12 + 1 for n in range(4))


@dataclass(frozen=True, order=True)
class Period:
    end: date
    type: str
    start: date
    # The month the partnership's year starts (1–12); quarters, years to date and partnership years follow it.
    year_start: int = FINANCIAL_YEAR_START

    @classmethod
    def ending(cls, period_type: str, end: date, year_start: int = FINANCIAL_YEAR_START) -> Period:
        """The period of `period_type` whose last day is `end` (any day of the last month will do), in a
        partnership whose year starts in month `year_start` (April unless given). Raises ValueError when
        no period of that type ends in that month (the message says which months it may end in)."""
        return _ending(period_type, end, year_start)

    @classmethod
    def stored(cls, period_type: str, start: date, end: date, year_start: int) -> Period:
        """The period a published reading stored: its first and last days and the month (1–12) the
        partnership's year started in when it was published. Not checked against today's settings:
        a published figure keeps the period, and the label, it was published with."""
        return cls(end=end, type=PeriodType(period_type).value, start=start, year_start=year_start)

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
        if t == PeriodType.PARTNERSHIP_YEAR:
            return f"{year_label(s.year, s.month)} ({_month_abbr(s.month)}–{_month_abbr(e.month)})"
        if t == PeriodType.QUARTER:
            first = year_start(s, self.year_start).year
            number = (s.month - self.year_start) % 12 // 3 + 1
            return f"Q{number} {year_label(first, self.year_start)}"
        if t == PeriodType.MONTH:
            return f"{e:%B %Y}"
        if t == PeriodType.ROLLING_12_MONTHS:
            return f"12 months to {e:%B %Y}"
        if t == PeriodType.YEAR_TO_DATE:
            return f"{year_label(s.year, s.month)} year to date ({_month_abbr(s.month)}–{e:%b} {e.year})"
        return f"{s.year}–{str(e.year)[-2:]}"

    def same_period_last_year(self) -> Period:
        return Period.ending(self.type, month_end(self.end.year - 1, self.end.month), self.year_start)

    def previous(self) -> Period:
        """The period immediately before this one (for year-long types, last year's)."""
        if self.type == PeriodType.YEAR_TO_DATE:
            return self.same_period_last_year()
        year, month = add_months(self.start.year, self.start.month, -1)
        return Period.ending(self.type, month_end(year, month), self.year_start)

    def baseline(self, basis: str = Baseline.SAME_PERIOD_LAST_YEAR) -> Period:
        if basis == Baseline.PREVIOUS_PERIOD:
            return self.previous()
        return self.same_period_last_year()

    def stale_from(self) -> date:
        """The first day on which a source whose latest figure is for this period is overdue a newer one:
        the month the next period's figure is due by (the next period's length plus time to publish) is over."""
        year, month = add_months(self.end.year, self.end.month, _STALE_AFTER_MONTHS[PeriodType(self.type)])
        return month_end(year, month) + timedelta(days=1)

    def is_stale(self, today: date) -> bool:
        """Whether a source whose latest figure is for this period is overdue a newer one on `today`."""
        return today >= self.stale_from()

    def __str__(self) -> str:
        return self.label


# Pages label thousands of figures from a few hundred distinct periods; periods are immutable.
@lru_cache(maxsize=16384)
def _ending(period_type: str, end: date, start_month: int = FINANCIAL_YEAR_START) -> Period:
    period_type = PeriodType(period_type)
    if not 1 <= start_month <= 12:
        raise ValueError("The partnership's year must start in a month from January (1) to December (12).")
    end = month_end(end.year, end.month)
    if period_type in _END_MONTH and end.month != _END_MONTH[period_type]:
        raise ValueError(f"A {period_type.label} period cannot end in {end:%B}.")
    if period_type == PeriodType.PARTNERSHIP_YEAR and end.month != (start_month - 2) % 12 + 1:
        last = calendar.month_name[(start_month - 2) % 12 + 1]
        raise ValueError(f"The partnership's year ends in {last}, so a year cannot end in {end:%B}.")
    if period_type == PeriodType.QUARTER and end.month not in quarter_end_months(start_month):
        months = [calendar.month_name[month] for month in quarter_end_months(start_month)]
        raise ValueError(f"A quarter ends in {', '.join(months[:-1])} or {months[-1]}.")
    if period_type == PeriodType.YEAR_TO_DATE:
        start = year_start(end, start_month)
    else:
        year, month = add_months(end.year, end.month, 1 - _LENGTH_IN_MONTHS[period_type])
        start = date(year, month, 1)
    return Period(end=end, type=period_type.value, start=start, year_start=start_month)
