"""A non-zero rate is never shown as 0 (a tester's find: 5 incidents in Kent, population about 1.5 million,
were "0.00 per 1,000" on the indicator page and "0" in its CSV). A figure smaller than its step keeps 2
significant digits (`indicators.comparisons.shown_number`), the one rule for the page, the CSV and open data."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.comparisons import format_value, shown_number, shown_rate
from indicators.models import Geography, Population
from tests.factories import GeographyFactory, IndicatorFactory, ReadingFactory
from tests.indicators.test_indicator_pages import csv_rows


@pytest.fixture
def rare(world):
    """A Kent rate per 1,000 with 5 incidents in 2017 among 1,554,600 people: 0.003216… per 1,000."""
    kent = GeographyFactory(partnership=world.partnership, name="Kent", kind=Geography.Kind.COUNTY)
    Population.objects.create(geography=kent, year=2017, value=1_554_600)
    indicator = IndicatorFactory(
        partnership=world.partnership, slug="rare-incidents", name="Rare", geography=kent, unit="rate_per_1000"
    )
    ReadingFactory(indicator=indicator, value=5, period_start=date(2017, 1, 1), period_end=date(2017, 12, 31))
    return indicator


def test_the_indicator_page_shows_a_small_rate_with_two_significant_digits(world, rare, client_as):
    url = reverse("indicator_page", kwargs={"partnership": world.partnership.slug, "slug": rare.slug})
    page = client_as(world.users["governing"]).get(url).content.decode()
    assert "0.0032 per 1,000" in page
    assert "0.00 per 1,000" not in page


def test_the_indicators_csv_writes_the_small_rate_not_zero(world, rare, client_as):
    url = reverse("indicator_csv", kwargs={"partnership": world.partnership.slug, "slug": rare.slug})
    (row,) = csv_rows(client_as(world.users["partner"]).get(url))
    assert (row["Value"], row["Rate per 1,000"]) == ("0.0032", "0.0032")


def test_open_data_writes_the_small_rate_not_zero(world, rare, client_as):
    url = reverse("opendata_figures_json", kwargs={"partnership": world.partnership.slug})
    figures = client_as(world.users["partner"]).get(url).json()["figures"]
    (figure,) = [f for f in figures if f["indicator"] == rare.slug]
    assert (figure["value"], figure["rate_per_1000"]) == (0.0032, 0.0032)


def test_the_rule_keeps_two_significant_digits_only_below_the_step():
    assert shown_rate(Decimal(5) / Decimal(1_554_600) * 1000) == Decimal("0.0032")
    assert shown_rate(Decimal("0.006")) == Decimal("0.0060")
    assert shown_rate(Decimal("21.9083")) == Decimal("21.91")
    assert shown_rate(Decimal("0.012")) == Decimal("0.01")
    assert shown_rate(Decimal(0)) == Decimal("0.00")
    assert shown_number(Decimal("0.04"), "percentage") == Decimal("0.040")
    assert format_value(Decimal("0.00333"), "rate_per_1000", 1000) == "0.0033 per 1,000"
