"""Changes are worded the way the plan words them; direction of travel knows polarity, the stable
band and comparability breaks."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.comparisons import Direction, compare, format_value
from indicators.models import ComparabilityNote
from indicators.periods import Period
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

Y2016 = Period.ending("calendar_year", date(2016, 12, 31))
Y2017 = Period.ending("calendar_year", date(2017, 12, 31))


def compare_years(indicator, before, after):
    return compare(indicator, period=Y2017, value=after, baseline_period=Y2016, baseline_value=before)


def test_a_fall_is_worded_with_percentage_both_figures_and_the_difference():
    result = compare_years(IndicatorFactory(polarity="lower_is_better"), 46036, 40151)
    assert result.wording == "down 12.8% from 46,036 to 40,151, 5,885 fewer"
    assert result.change == Decimal(-5885)
    assert result.percent_change == Decimal("-12.8")


def test_a_rise_is_worded_with_more():
    result = compare_years(IndicatorFactory(), 34664, 39756)
    assert result.wording == "up 14.7% from 34,664 to 39,756, 5,092 more"


def test_no_change_is_worded_as_unchanged_and_stable():
    result = compare_years(IndicatorFactory(), 120, 120)
    assert result.wording == "unchanged at 120"
    assert result.direction == Direction.STABLE
    assert result.arrow == "→"


@pytest.mark.parametrize(
    ("polarity", "before", "after", "direction", "arrow"),
    [
        ("lower_is_better", 100, 80, Direction.IMPROVING, "↓"),
        ("lower_is_better", 100, 120, Direction.WORSENING, "↑"),
        ("higher_is_better", 100, 120, Direction.IMPROVING, "↑"),
        ("higher_is_better", 100, 80, Direction.WORSENING, "↓"),
        ("neither", 100, 120, Direction.UP, "↑"),
        ("neither", 100, 80, Direction.DOWN, "↓"),
    ],
)
def test_direction_of_travel_follows_polarity(polarity, before, after, direction, arrow):
    result = compare_years(IndicatorFactory(polarity=polarity), before, after)
    assert result.direction == direction
    assert result.arrow == arrow
    assert result.direction_label == Direction(direction).label


@pytest.mark.parametrize(("after", "direction"), [(1030, Direction.STABLE), (1031, Direction.WORSENING)])
def test_changes_within_the_indicators_stable_band_are_stable(after, direction):
    indicator = IndicatorFactory(polarity="lower_is_better", stable_band_pct=Decimal("3.0"))
    assert compare_years(indicator, 1000, after).direction == direction
    assert compare_years(indicator, 1000, 2000 - after).direction == (
        Direction.STABLE if direction == Direction.STABLE else Direction.IMPROVING
    )


def test_a_comparability_note_between_the_periods_makes_them_not_comparable():
    indicator = IndicatorFactory(polarity="lower_is_better", period_type="rolling_12_months")
    ComparabilityNote.objects.create(indicator=indicator, effective_from=date(2016, 1, 1), text="CRASH adopted.")
    later = Period.ending("rolling_12_months", date(2016, 12, 31))
    earlier = later.same_period_last_year()
    result = compare(indicator, period=later, value=6122, baseline_period=earlier, baseline_value=5799)
    assert result.direction == Direction.NOT_COMPARABLE
    assert result.direction_label == "Not comparable"
    assert result.arrow == "≠"
    assert result.note == "CRASH adopted."
    assert result.wording == "up 5.6% from 5,799 to 6,122, 323 more"


def test_a_comparability_note_before_both_periods_does_not_break_the_comparison():
    indicator = IndicatorFactory(polarity="lower_is_better", period_type="rolling_12_months")
    ComparabilityNote.objects.create(indicator=indicator, effective_from=date(2016, 1, 1), text="CRASH adopted.")
    later = Period.ending("rolling_12_months", date(2017, 12, 31))
    result = compare(indicator, period=later, value=5800, baseline_period=later.previous(), baseline_value=6122)
    assert result.direction == Direction.IMPROVING
    assert result.note == ""


def test_percentages_change_by_percentage_points():
    indicator = IndicatorFactory(unit="percentage", polarity="higher_is_better")
    result = compare_years(indicator, Decimal("40.0"), Decimal("41.3"))
    assert result.wording == "up 1.3 percentage points from 40.0% to 41.3%"
    assert result.direction == Direction.IMPROVING


def test_rates_are_worded_per_1000():
    indicator = IndicatorFactory(unit="rate_per_1000", polarity="lower_is_better")
    result = compare_years(indicator, Decimal("25.12"), Decimal("21.9"))
    assert result.wording == "down 12.8% from 25.12 per 1,000 to 21.90 per 1,000"
    assert result.direction == Direction.IMPROVING


def test_a_rise_from_zero_has_no_percentage():
    result = compare_years(IndicatorFactory(), 0, 7)
    assert result.percent_change is None
    assert result.wording == "up from 0 to 7, 7 more"
    assert result.direction == Direction.WORSENING


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("40151"), "count", "40,151"),
        (Decimal("1700000.00"), "count", "1,700,000"),
        (Decimal("12.345"), "percentage", "12.3%"),
        (Decimal("3.935"), "rate_per_1000", "3.94 per 1,000"),
    ],
)
def test_values_are_formatted_for_their_unit(value, unit, text):
    assert format_value(value, unit) == text
