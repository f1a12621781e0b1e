"""Periods label themselves as partnerships write them and know what they are compared with."""

from datetime import date

import pytest

from indicators.periods import Baseline, Period, PeriodType

LABELS = [
    (PeriodType.CALENDAR_YEAR, date(2017, 12, 31), "2017 (Jan–Dec)", date(2017, 1, 1)),
    (PeriodType.FINANCIAL_YEAR, date(2018, 3, 31), "2017/18 (Apr–Mar)", date(2017, 4, 1)),
    (PeriodType.JUL_JUN, date(2017, 6, 30), "2016/17 (Jul–Jun)", date(2016, 7, 1)),
    (PeriodType.OCT_SEP, date(2017, 9, 30), "2016/17 (Oct–Sep)", date(2016, 10, 1)),
    (PeriodType.QUARTER, date(2017, 12, 31), "Q3 2017/18", date(2017, 10, 1)),
    (PeriodType.QUARTER, date(2018, 3, 31), "Q4 2017/18", date(2018, 1, 1)),
    (PeriodType.QUARTER, date(2017, 6, 30), "Q1 2017/18", date(2017, 4, 1)),
    (PeriodType.MONTH, date(2016, 2, 29), "February 2016", date(2016, 2, 1)),
    (PeriodType.ROLLING_12_MONTHS, date(2016, 12, 31), "12 months to December 2016", date(2016, 1, 1)),
    (PeriodType.ROLLING_12_MONTHS, date(2017, 5, 31), "12 months to May 2017", date(2016, 6, 1)),
    (PeriodType.YEAR_TO_DATE, date(2018, 2, 28), "2017/18 year to date (Apr–Feb 2018)", date(2017, 4, 1)),
    (PeriodType.THREE_YEARS_POOLED, date(2016, 12, 31), "2014–16", date(2014, 1, 1)),
]


@pytest.mark.parametrize(("period_type", "end", "label", "start"), LABELS)
def test_each_period_type_labels_itself_as_partnerships_write_it(period_type, end, label, start):
    period = Period.ending(period_type, end)
    assert period.label == label
    assert str(period) == label
    assert period.start == start
    assert period.end == end


def test_any_day_of_the_last_month_names_the_same_period():
    assert Period.ending("month", date(2016, 2, 3)) == Period.ending("month", date(2016, 2, 29))


@pytest.mark.parametrize(
    ("period_type", "end"),
    [
        (PeriodType.CALENDAR_YEAR, date(2017, 6, 30)),
        (PeriodType.FINANCIAL_YEAR, date(2017, 12, 31)),
        (PeriodType.JUL_JUN, date(2017, 12, 31)),
        (PeriodType.OCT_SEP, date(2017, 12, 31)),
        (PeriodType.QUARTER, date(2017, 11, 30)),
    ],
)
def test_a_period_cannot_end_in_a_month_its_type_does_not_end_in(period_type, end):
    with pytest.raises(ValueError, match="end"):
        Period.ending(period_type, end)


def test_financial_year_crossing_the_calendar_year_compares_with_the_year_before():
    period = Period.ending("financial_year", date(2018, 3, 31))
    last_year = period.same_period_last_year()
    assert (last_year.start, last_year.end, last_year.label) == (
        date(2016, 4, 1),
        date(2017, 3, 31),
        "2016/17 (Apr–Mar)",
    )
    assert period.previous() == last_year


def test_leap_year_february_compares_with_a_28_day_february():
    february = Period.ending("month", date(2016, 2, 29))
    assert february.same_period_last_year().end == date(2015, 2, 28)
    assert february.previous().label == "January 2016"
    assert Period.ending("month", date(2017, 2, 28)).same_period_last_year().end == date(2016, 2, 29)


def test_rolling_12_months_ending_in_a_leap_february_spans_march_to_february():
    period = Period.ending("rolling_12_months", date(2016, 2, 29))
    assert (period.start, period.end, period.label) == (
        date(2015, 3, 1),
        date(2016, 2, 29),
        "12 months to February 2016",
    )
    assert period.same_period_last_year().label == "12 months to February 2015"
    assert period.same_period_last_year().start == date(2014, 3, 1)


def test_rolling_12_months_previous_period_is_the_twelve_months_before():
    period = Period.ending("rolling_12_months", date(2016, 12, 31))
    assert period.previous().label == "12 months to December 2015"
    assert period.previous().end == date(2015, 12, 31)


def test_quarter_previous_crosses_into_the_last_financial_year():
    q1 = Period.ending("quarter", date(2017, 6, 30))
    assert q1.previous().label == "Q4 2016/17"
    assert q1.same_period_last_year().label == "Q1 2016/17"


def test_year_to_date_compares_with_the_same_months_last_year():
    ytd = Period.ending("year_to_date", date(2018, 2, 28))
    assert ytd.same_period_last_year().label == "2016/17 year to date (Apr–Feb 2017)"
    assert ytd.previous() == ytd.same_period_last_year()
    assert Period.ending("year_to_date", date(2018, 4, 30)).start == date(2018, 4, 1)


def test_calendar_year_previous_is_last_year():
    year = Period.ending("calendar_year", date(2017, 12, 31))
    assert year.previous().label == "2016 (Jan–Dec)"


def test_baseline_is_the_same_period_last_year_unless_the_previous_period_is_asked_for():
    month = Period.ending("month", date(2017, 5, 31))
    assert month.baseline().label == "May 2016"
    assert month.baseline(Baseline.SAME_PERIOD_LAST_YEAR).label == "May 2016"
    assert month.baseline(Baseline.PREVIOUS_PERIOD).label == "April 2017"


@pytest.mark.parametrize(
    ("period_type", "end", "fresh_until", "stale_from"),
    [
        ("month", date(2017, 5, 31), date(2017, 7, 31), date(2017, 8, 1)),
        ("quarter", date(2017, 6, 30), date(2017, 12, 31), date(2018, 1, 1)),
        ("calendar_year", date(2016, 12, 31), date(2018, 6, 30), date(2018, 7, 1)),
        ("financial_year", date(2017, 3, 31), date(2018, 9, 30), date(2018, 10, 1)),
    ],
)
def test_a_source_is_stale_when_its_latest_period_is_older_than_its_type_implies(
    period_type, end, fresh_until, stale_from
):
    period = Period.ending(period_type, end)
    assert not period.is_stale(fresh_until)
    assert period.is_stale(stale_from)


def test_periods_sort_by_their_end():
    periods = [Period.ending("month", date(2017, m, 1)) for m in (5, 1, 3)]
    assert [p.label for p in sorted(periods)] == ["January 2017", "March 2017", "May 2017"]
