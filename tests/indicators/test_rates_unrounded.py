"""Rates are compared unrounded (issue 23, kind 9): a rate's change, direction of travel and target are
worked out from count ÷ population and rounded only where shown. Two rates that both show "1.80 per
1,000" can still have moved; two that show 1.83 and 1.84 may have barely moved."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.comparisons import Direction, shown_rate
from indicators.models import Geography, Population, Target
from indicators.periods import Period
from indicators.rates import Populations
from tests.conftest import ROLES
from tests.factories import GeographyFactory, IndicatorFactory, ReadingFactory
from tests.indicators.test_indicator_pages import csv_rows


def rate_indicator(world, *, population: int, counts: tuple[int, int], **extra):
    """A Kent rate per 1,000 (lower is better, stable within 0.25%) with the counts of 2016 and 2017."""
    kent = GeographyFactory(partnership=world.partnership, name="Kent", kind=Geography.Kind.COUNTY)
    for year in (2016, 2017):
        Population.objects.create(geography=kent, year=year, value=population)
    indicator = IndicatorFactory(
        partnership=world.partnership,
        slug="repeat-callers",
        name="Repeat callers",
        geography=kent,
        unit="rate_per_1000",
        stable_band_pct=Decimal("0.25"),
        **extra,
    )
    for year, count in zip((2016, 2017), counts, strict=True):
        ReadingFactory(indicator=indicator, value=count, period_start=date(year, 1, 1), period_end=date(year, 12, 31))
    return indicator


def pages(client, indicator) -> tuple[str, str]:
    """(the indicator's page, its row in the indicator list) as the person sees them."""
    kwargs = {"partnership": indicator.partnership.slug}
    page = client.get(reverse("indicator_page", kwargs={**kwargs, "slug": indicator.slug})).content.decode()
    listing = client.get(reverse("indicator_list", kwargs=kwargs)).content.decode()
    return page, row_of(listing, indicator.name)


def row_of(page: str, name: str) -> str:
    """The one table row of `page` that names `name`."""
    [row] = re.findall(rf"<tr>(?:(?!</tr>).)*{name}(?:(?!</tr>).)*</tr>", page, re.S)
    return row


def test_a_rate_is_kept_unrounded_and_rounded_only_to_show(world):
    kent = GeographyFactory(partnership=world.partnership, name="Kent", kind=Geography.Kind.COUNTY)
    Population.objects.create(geography=kent, year=2017, value=1_000_000)
    rate = Populations([kent.pk]).rate(kent.pk, Period.ending("calendar_year", date(2017, 12, 31)), 1804)
    assert rate == Decimal("1.804")
    assert shown_rate(rate) == Decimal("1.80")


@pytest.mark.parametrize("role", ROLES)
def test_two_rates_both_shown_as_1_80_that_rose_are_worsening(world, client_as, role):
    indicator = rate_indicator(world, population=1_000_000, counts=(1796, 1804))  # 1.796 and 1.804
    page, listing = pages(client_as(world.users[role]), indicator)
    assert "1.80 per 1,000 (2017 (Jan–Dec)): up 0.4%, though both round to 1.80 per 1,000 since 2016" in page
    assert f"{Direction.WORSENING.label}</span>" in page
    assert "Worsening" in listing
    assert "Stable" not in page + listing


@pytest.mark.parametrize("role", ROLES)
def test_rates_shown_as_1_83_and_1_84_that_barely_moved_are_stable(world, client_as, role):
    indicator = rate_indicator(world, population=10_000_000, counts=(18349, 18351))  # 1.8349 and 1.8351
    page, listing = pages(client_as(world.users[role]), indicator)
    assert "up 0.0% from 1.83 per 1,000 to 1.84 per 1,000" in page
    assert f"{Direction.STABLE.label}</span>" in page
    assert "Stable" in listing
    assert "Worsening" not in page + listing


@pytest.mark.parametrize("role", ["governing", "working_group", "admin"])
def test_the_governing_dashboard_compares_a_headline_rate_unrounded(world, client_as, role):
    indicator = rate_indicator(
        world, population=1_000_000, counts=(1796, 1804), priority=world.plan_priority.priority, headline=True
    )
    page = client_as(world.users[role]).get(reverse("dashboard", kwargs={"partnership": "kent-test"}))
    row = row_of(page.content.decode(), indicator.name)
    assert "up 0.4%, though both round to 1.80 per 1,000" in row
    assert '<span aria-hidden="true">↑</span> Worsening' in row


def test_a_target_is_rated_on_the_rate_as_shown_while_its_change_is_not_rounded(world, client_as):
    # The rating compares what the reader sees (indicators.targets.rate_against_target): 1.804 is shown
    # as 1.80, the target; the direction of travel still comes from the unrounded rates.
    indicator = rate_indicator(world, population=1_000_000, counts=(1796, 1804))
    Target.objects.create(indicator=indicator, period_end=date(2017, 12, 31), value=Decimal("1.80"))
    page, _ = pages(client_as(world.users["governing"]), indicator)
    assert '<span class="target-rating">Target 1.80 per 1,000: met.</span>' in page
    assert '<span aria-hidden="true">↑</span> Worsening' in page


def test_files_give_the_rate_as_shown(world, client_as):
    indicator = rate_indicator(world, population=1_000_000, counts=(1796, 1804))
    client = client_as(world.users["working_group"])
    kwargs = {"partnership": world.partnership.slug}
    rows = csv_rows(client.get(reverse("indicator_csv", kwargs={**kwargs, "slug": indicator.slug})))
    assert [(row["Period"], row["Value"]) for row in rows] == [("2016 (Jan–Dec)", "1.8"), ("2017 (Jan–Dec)", "1.8")]
    figures = client.get(reverse("opendata_figures_json", kwargs=kwargs)).json()["figures"]
    assert [(f["period_end"], f["value"], f["rate_per_1000"]) for f in figures if f["indicator"] == indicator.slug] == [
        ("2016-12-31", 1.8, 1.8),
        ("2017-12-31", 1.8, 1.8),
    ]
