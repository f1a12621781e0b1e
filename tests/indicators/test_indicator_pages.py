"""The indicator list, page and CSV: full series, notes, rates per 1,000 and the suppressed breakdown."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from csa_tracker.cells import safe_cell
from indicators.comparisons import shown_rate
from indicators.models import ComparabilityNote, Geography, Population
from indicators.periods import Period
from indicators.rates import Populations, rate_per_1000
from tests.conftest import ROLES
from tests.factories import GeographyFactory, IndicatorFactory, ReadingFactory
from tests.pages import chart_values, json_script
from workflow.models import ReviewState


@pytest.fixture
def areas(world):
    kent = GeographyFactory(partnership=world.partnership, name="Kent", kind=Geography.Kind.COUNTY)
    ashford = GeographyFactory(partnership=world.partnership, name="Ashford", kind=Geography.Kind.DISTRICT, parent=kent)
    dover = GeographyFactory(partnership=world.partnership, name="Dover", kind=Geography.Kind.DISTRICT, parent=kent)
    for geography, population in ((kent, 1554600), (ashford, 127600), (dover, 116400)):
        Population.objects.create(geography=geography, year=2017, value=population)
    return {"Kent": kent, "Ashford": ashford, "Dover": dover}


@pytest.fixture
def burglaries(world, areas):
    """A Kent count indicator with a district breakdown for 2017: Ashford's 3 is below the threshold."""
    indicator = IndicatorFactory(
        partnership=world.partnership, slug="burglaries", name="Burglaries", geography=areas["Kent"], unit="count"
    )
    ReadingFactory(indicator=indicator, value=3000, period_start="2016-01-01", period_end="2016-12-31")
    ReadingFactory(indicator=indicator, value=2700, period_start="2017-01-01", period_end="2017-12-31")
    ReadingFactory(indicator=indicator, geography=areas["Ashford"], value=3)
    ReadingFactory(indicator=indicator, geography=areas["Dover"], value=12)
    return indicator


def page_url(indicator, name="indicator_page"):
    return reverse(name, kwargs={"partnership": indicator.partnership.slug, "slug": indicator.slug})


def csv_rows(response):
    assert response.content.startswith("\ufeff".encode())  # a byte-order mark, so Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_rate_per_1000_is_count_per_thousand_people():
    assert shown_rate(rate_per_1000(40151, 1832700)) == Decimal("21.91")
    assert shown_rate(rate_per_1000(5, 127600)) == Decimal("0.04")
    assert rate_per_1000(40151, 1832700) == Decimal(40151000) / Decimal(1832700)  # kept unrounded


def test_population_is_read_for_the_year_the_period_ends_else_the_nearest(areas):
    kent = areas["Kent"]
    Population.objects.create(geography=kent, year=2015, value=1500000)
    populations = Populations([kent.pk])
    assert populations.for_period(kent.pk, Period.ending("calendar_year", date(2015, 12, 31))) == 1500000
    assert populations.for_period(kent.pk, Period.ending("financial_year", date(2018, 3, 31))) == 1554600
    assert populations.for_period(kent.pk, Period.ending("calendar_year", date(2016, 12, 31))) == 1500000
    assert populations.for_period(kent.pk, Period.ending("calendar_year", date(2030, 12, 31))) == 1554600
    assert populations.rate(areas["Dover"].pk + 1000, Period.ending("month", date(2017, 1, 1)), 5) is None


@pytest.mark.parametrize("role", ROLES)
def test_indicator_page_shows_series_comparison_rates_notes_and_source(world, burglaries, client_as, role):
    ComparabilityNote.objects.create(indicator=burglaries, effective_from=date(2014, 4, 1), text="Recording changed.")
    page = client_as(world.users[role]).get(page_url(burglaries)).content.decode()
    assert "<h1>Burglaries</h1>" in page
    assert "2016 (Jan–Dec)" in page and "2017 (Jan–Dec)" in page
    assert "down 10.0% from 3,000 to 2,700, 300 fewer" in page
    assert "Improving" in page
    assert "1.74 per 1,000" in page  # 2,700 / 1,554,600 people
    assert "Recording changed." in page
    assert "Kent Police" in page
    assert chart_values(json_script(page, "series-chart")) == [3000.0, 2700.0]
    assert 'data-chart="series-chart"' in page


def test_breakdown_suppresses_small_district_counts_on_page_chart_and_table(world, burglaries, client_as):
    page = client_as(world.users["governing"]).get(page_url(burglaries)).content.decode()
    chart = json_script(page, "breakdown-chart")
    assert chart["labels"] == ["Ashford", "Dover"]
    assert chart["datasets"][0]["data"] == [None, 12.0]
    ashford_row = page[page.index(">Ashford</th>") : page.index("</tr>", page.index(">Ashford</th>"))]
    assert "fewer than 5" in ashford_row
    assert "0.02 per 1,000" not in page  # Ashford's rate would reveal its count
    assert "0.10 per 1,000" in page  # Dover: 12 / 116,400


def test_csv_has_every_area_with_small_counts_suppressed(world, burglaries, client_as):
    response = client_as(world.users["partner"]).get(page_url(burglaries, "indicator_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="burglaries.csv"' in response["Content-Disposition"]
    rows = {(row["Area"], row["Period"]): row for row in csv_rows(response)}
    assert set(rows) == {("Kent", "2016 (Jan–Dec)"), ("Kent", "2017 (Jan–Dec)"), ("Ashford", "2017 (Jan–Dec)"),
                         ("Dover", "2017 (Jan–Dec)")}  # fmt: skip
    assert rows[("Ashford", "2017 (Jan–Dec)")]["Value"] == "fewer than 5"
    assert rows[("Ashford", "2017 (Jan–Dec)")]["Rate per 1,000"] == "fewer than 5"
    assert rows[("Dover", "2017 (Jan–Dec)")]["Value"] == "12"  # a count, never "12.00"
    assert rows[("Kent", "2017 (Jan–Dec)")]["Rate per 1,000"] == "1.74"


def test_suppression_threshold_is_set_per_indicator(world, burglaries, client_as):
    burglaries.suppress_below = 20
    burglaries.save()
    client = client_as(world.users["governing"])
    page = client.get(page_url(burglaries)).content.decode()
    assert json_script(page, "breakdown-chart")["datasets"][0]["data"] == [None, None]
    assert page.count("<td>fewer than 20</td>") == 4  # each district's value and rate
    rows = csv_rows(client.get(page_url(burglaries, "indicator_csv")))
    assert {row["Value"] for row in rows if row["Area"] == "Dover"} == {"fewer than 20"}


def test_a_district_indicators_own_series_is_suppressed_on_page_list_and_dashboard(world, areas, client_as):
    indicator = IndicatorFactory(
        partnership=world.partnership, slug="ashford-arson", name="Arson in Ashford", geography=areas["Ashford"]
    )
    indicator.priority = world.plan_priority.priority
    indicator.save()
    ReadingFactory(indicator=indicator, value=9, period_start="2016-01-01", period_end="2016-12-31")
    ReadingFactory(indicator=indicator, value=2, period_start="2017-01-01", period_end="2017-12-31")
    client = client_as(world.users["governing"])
    page = client.get(page_url(indicator)).content.decode()
    assert chart_values(json_script(page, "series-chart")) == [9.0, None]
    assert "fewer than 5" in page
    assert "from 9 to" not in page  # no comparison that would reveal the hidden count
    listing = client.get(reverse("indicator_list", kwargs={"partnership": "kent-test"})).content.decode()
    assert "fewer than 5" in listing and "from 9 to" not in listing
    dashboard = client.get(reverse("dashboard", kwargs={"partnership": "kent-test"})).content.decode()
    assert "fewer than 5" in dashboard and "from 9 to" not in dashboard
    assert chart_values(json_script(dashboard, "trend-road-safety")) == [9.0, None]


def test_rate_indicator_shows_and_compares_rates_from_stored_counts(world, areas, client_as):
    indicator = IndicatorFactory(
        partnership=world.partnership, slug="asb-rate", name="ASB rate", geography=areas["Kent"], unit="rate_per_1000"
    )
    Population.objects.create(geography=areas["Kent"], year=2016, value=1540000)
    ReadingFactory(indicator=indicator, value=46036, period_start="2016-01-01", period_end="2016-12-31")
    ReadingFactory(indicator=indicator, value=40151, period_start="2017-01-01", period_end="2017-12-31")
    page = client_as(world.users["partner"]).get(page_url(indicator)).content.decode()
    assert "25.83 per 1,000" in page  # 40,151 / 1,554,600
    assert "29.89 per 1,000" in page  # 46,036 / 1,540,000
    assert "down 13.6% from 29.89 per 1,000 to 25.83 per 1,000" in page
    assert chart_values(json_script(page, "series-chart")) == [29.89, 25.83]


def test_page_compares_with_the_previous_period_when_the_indicator_says_so(world, areas, client_as):
    indicator = IndicatorFactory(
        partnership=world.partnership, slug="monthly", period_type="month", geography=areas["Kent"],
        compare_with="previous_period",
    )  # fmt: skip
    for end, value in (("2017-04-30", 100), ("2017-05-31", 150), ("2016-05-31", 50)):
        ReadingFactory(indicator=indicator, value=value, period_start=end[:8] + "01", period_end=end)
    page = client_as(world.users["partner"]).get(page_url(indicator)).content.decode()
    assert "up 50.0% from 100 to 150, 50 more since April 2017" in page


def test_drafts_and_other_partnerships_figures_are_not_shown(world, burglaries, client_as):
    ReadingFactory(
        indicator=burglaries, value=9999, period_start="2018-01-01", period_end="2018-12-31", state=ReviewState.DRAFT
    )
    page = client_as(world.users["working_group"]).get(page_url(burglaries)).content.decode()
    assert "9,999" not in page and "2018 (Jan–Dec)" not in page
    response = client_as(world.users["working_group"]).get(
        reverse("indicator_page", kwargs={"partnership": "elsewhere", "slug": "burglaries"})
    )
    assert response.status_code == 404


def test_indicator_list_links_each_indicator_with_its_latest_figure(world, burglaries, client_as):
    page = client_as(world.users["partner"]).get(reverse("indicator_list", kwargs={"partnership": "kent-test"}))
    text = page.content.decode()
    assert page_url(burglaries) in text
    assert "2,700" in text and "Road casualties" in text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Kent Police", "Kent Police"),
        (Decimal("-5"), Decimal("-5")),
    ],
)
def test_safe_cell_neutralises_formulas(value, written):
    assert safe_cell(value) == written


def test_csv_neutralises_formula_text_from_the_database(world, burglaries, client_as):
    burglaries.source = "=cmd|' /C calc'!A0"
    burglaries.save()
    rows = csv_rows(client_as(world.users["partner"]).get(page_url(burglaries, "indicator_csv")))
    assert {row["Source"] for row in rows} == {"'=cmd|' /C calc'!A0"}


def test_indicator_page_query_count_does_not_grow_with_readings(
    world, burglaries, areas, client_as, django_assert_max_num_queries
):
    client = client_as(world.users["partner"])
    with django_assert_max_num_queries(11) as before:
        client.get(page_url(burglaries))
    for year in range(2000, 2016):
        ReadingFactory(indicator=burglaries, value=year, period_start=f"{year}-01-01", period_end=f"{year}-12-31")
    for number in range(10):
        area = GeographyFactory(partnership=world.partnership, name=f"District {number}", kind=Geography.Kind.DISTRICT)
        ReadingFactory(indicator=burglaries, geography=area, value=number)
        ComparabilityNote.objects.create(indicator=burglaries, effective_from=date(2000 + number, 1, 1), text="x")
    with django_assert_max_num_queries(len(before)):
        client.get(page_url(burglaries))
    with django_assert_max_num_queries(len(before)):
        client.get(page_url(burglaries, "indicator_csv"))
