"""Honest charts on pages: periods placed by time, gaps for missing months, a break at a comparability
note, value axes from zero with their unit, and a single reading shown as a figure, not a chart."""

from datetime import date

import pytest
from django.urls import reverse

from indicators.chart_series import month_index
from indicators.models import ComparabilityNote, Geography
from indicators.periods import month_end
from tests.factories import GeographyFactory, IndicatorFactory, ReadingFactory
from tests.pages import chart_values, json_script
from workflow.models import ReviewState


@pytest.fixture
def kent(db):
    return GeographyFactory(name="Kent", kind=Geography.Kind.COUNTY)


def monthly(world, kent, months, **fields):
    """A monthly count indicator with a published reading for each (year, month, value)."""
    indicator = IndicatorFactory(
        partnership=world.partnership,
        priority=world.plan_priority.priority,
        slug="asb",
        name="Anti-social behaviour incidents",
        period_type="month",
        geography=kent,
        **fields,
    )
    for year, month, value in months:
        ReadingFactory(
            indicator=indicator, value=value, period_start=date(year, month, 1), period_end=month_end(year, month)
        )
    return indicator


def series_chart(client, indicator) -> dict:
    page = client.get(reverse("indicator_page", kwargs={"partnership": "kent-test", "slug": indicator.slug}))
    assert page.status_code == 200
    return json_script(page.content.decode(), "series-chart")


def test_a_missing_month_is_a_gap_at_its_own_place_on_the_time_axis(world, kent, client_as):
    indicator = monthly(world, kent, [(2017, 1, 410), (2017, 2, 395), (2017, 4, 420)])
    chart = series_chart(client_as(world.users["governing"]), indicator)
    points = chart["datasets"][0]["data"]
    assert [point["x"] for point in points] == [24204, 24205, 24206, 24207]  # January to April 2017
    assert chart_values(chart) == [410.0, 395.0, None, 420.0]  # March: a gap, not a joined line
    assert [point["label"] for point in points] == ["January 2017", "February 2017", "", "April 2017"]
    assert chart["ticks"] == {"24204": "Jan 2017", "24205": "Feb 2017", "24207": "Apr 2017"}
    assert chart["kind"] == "time" and chart["breaks"] == []


def test_periods_are_spaced_by_time_not_evenly(world, kent, client_as):
    indicator = monthly(world, kent, [(2017, 1, 410), (2017, 2, 395), (2018, 1, 380)])
    points = series_chart(client_as(world.users["partner"]), indicator)["datasets"][0]["data"]
    published = [point for point in points if point["y"] is not None]
    assert [point["x"] for point in published] == [month_index(date(2017, 1, 1)), 24205, 24216]
    assert published[2]["x"] - published[1]["x"] == 11  # eleven months, not one step
    assert [point["y"] for point in points].count(None) == 10  # March to December 2017


def test_the_line_breaks_and_is_marked_at_a_comparability_note(world, kent, client_as):
    indicator = monthly(world, kent, [(2017, 1, 410), (2017, 2, 395), (2017, 3, 610), (2017, 4, 640)])
    ComparabilityNote.objects.create(indicator=indicator, effective_from=date(2017, 3, 1), text="New crime recording.")
    chart = series_chart(client_as(world.users["working_group"]), indicator)
    assert chart["breaks"] == [{"x": 24205.5, "label": "Not comparable", "note": "New crime recording."}]
    points = chart["datasets"][0]["data"]
    assert [(point["x"], point["y"]) for point in points] == [
        (24204, 410.0),
        (24205, 395.0),
        (24205.5, None),  # the line stops between February and March
        (24206, 610.0),
        (24207, 640.0),
    ]


def test_a_note_outside_the_series_does_not_break_it(world, kent, client_as):
    indicator = monthly(world, kent, [(2017, 1, 410), (2017, 2, 395)])
    ComparabilityNote.objects.create(indicator=indicator, effective_from=date(2014, 4, 1), text="Old change.")
    chart = series_chart(client_as(world.users["admin"]), indicator)
    assert chart["breaks"] == [] and chart_values(chart) == [410.0, 395.0]


@pytest.mark.parametrize(
    ("unit", "title"), [("count", "Count"), ("percentage", "%"), ("rate_per_1000", "Rate per 1,000 population")]
)
def test_value_axis_starts_at_zero_and_is_titled_with_its_unit(world, kent, client_as, unit, title):
    indicator = monthly(world, kent, [(2017, 1, 46036), (2017, 2, 52800)], unit=unit)
    chart = series_chart(client_as(world.users["governing"]), indicator)
    assert chart["begin_at_zero"] is True
    assert chart["axis_title"] == title and chart["unit"] == unit


def test_drafts_and_submitted_readings_are_not_in_the_chart(world, kent, client_as):
    indicator = monthly(world, kent, [(2017, 1, 410), (2017, 3, 420)])
    ReadingFactory(
        indicator=indicator,
        value=999,
        period_start=date(2017, 2, 1),
        period_end=date(2017, 2, 28),
        state=ReviewState.SUBMITTED,
    )
    chart = series_chart(client_as(world.users["working_group"]), indicator)
    assert chart_values(chart) == [410.0, None, 420.0]


def test_a_single_reading_is_shown_as_a_figure_not_a_chart(world, kent, client_as):
    indicator = monthly(world, kent, [(2017, 5, 46036)])
    client = client_as(world.users["governing"])
    page = client.get(reverse("indicator_page", kwargs={"partnership": "kent-test", "slug": indicator.slug}))
    html = page.content.decode()
    assert '<span class="single-figure-value">46,036</span>' in html
    assert '<span class="single-figure-period">May 2017</span>' in html
    assert 'data-chart="series-chart"' not in html and 'id="series-chart"' not in html
    assert "<svg" not in html
    assert "Published figures by period" in html  # the table is still there


def test_the_dashboard_trend_of_one_reading_is_a_figure_too(world, kent, client_as):
    indicator = monthly(world, kent, [(2017, 5, 46036)])
    world.indicator.readings.all().delete()  # the priority's only headline indicator with a figure is this one
    page = client_as(world.users["governing"]).get(reverse("dashboard", kwargs={"partnership": "kent-test"}))
    html = page.content.decode()
    assert indicator.name in html
    assert 'data-chart="trend-road-safety"' not in html
    assert '<span class="single-figure-value">46,036</span>' in html


def test_the_dashboard_trend_has_the_time_axis_and_its_unit(world, client_as):
    page = client_as(world.users["governing"]).get(reverse("dashboard", kwargs={"partnership": "kent-test"}))
    html = page.content.decode()
    chart = json_script(html, "trend-road-safety")
    assert chart_values(chart) == [5799.0, 6122.0]
    assert [point["x"] for point in chart["datasets"][0]["data"]] == [2015 * 12 + 11, 2016 * 12 + 11]
    assert chart["ticks"] == {"24191": "2015", "24203": "2016"}
    assert 'aria-label="Line chart of recent figures for Road casualties, values in Count' in html


def test_the_area_breakdown_bar_chart_starts_at_zero_with_its_unit(world, kent, client_as):
    indicator = monthly(world, kent, [(2017, 1, 410)])
    for name, value in (("Ashford", 40), ("Dover", 55)):
        area = GeographyFactory(name=name, kind=Geography.Kind.DISTRICT, parent=kent)
        ReadingFactory(
            indicator=indicator,
            geography=area,
            value=value,
            period_start=date(2017, 1, 1),
            period_end=date(2017, 1, 31),
        )
    page = client_as(world.users["partner"]).get(
        reverse("indicator_page", kwargs={"partnership": "kent-test", "slug": indicator.slug})
    )
    chart = json_script(page.content.decode(), "breakdown-chart")
    assert chart["labels"] == ["Ashford", "Dover"] and chart["datasets"][0]["data"] == [40.0, 55.0]
    assert chart["begin_at_zero"] is True and chart["axis_title"] == "Count"
