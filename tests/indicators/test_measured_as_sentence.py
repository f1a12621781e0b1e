"""The indicator page says how the indicator is measured as a sentence (a tester read "Measured as
Percentage, by financial year (apr–mar)"): "a percentage, by financial year (Apr–Mar)", month names
capitalised, a phrase for each unit (`Indicator.measured_as`, `periods.period_type_phrase`)."""

import re

import pytest
from django.urls import reverse

from indicators.periods import PeriodType, period_type_phrase
from tests.factories import IndicatorFactory


def measured_as(client, indicator) -> str:
    url = reverse("indicator_page", kwargs={"partnership": indicator.partnership.slug, "slug": indicator.slug})
    page = client.get(url).content.decode()
    (found,) = re.findall(r"<dt[^>]*>Measured as</dt><dd[^>]*>(.*?)</dd>", page)
    return found


@pytest.mark.parametrize(
    ("unit", "rate_per", "period_type", "expected"),
    [
        ("percentage", 1000, "financial_year", "a percentage, by financial year (Apr–Mar)"),
        ("count", 1000, "calendar_year", "a count, by calendar year (Jan–Dec)"),
        ("rate_per_1000", 100000, "jul_jun", "a rate per 100,000 population, by July–June year"),
        ("count", 1000, "quarter", "a count, by quarter of the partnership&#x27;s year"),
    ],
)
def test_the_indicator_page_says_how_it_is_measured_as_a_sentence(
    world, client_as, unit, rate_per, period_type, expected
):
    indicator = IndicatorFactory(
        partnership=world.partnership, slug="measured", unit=unit, rate_per=rate_per, period_type=period_type
    )
    assert measured_as(client_as(world.users["governing"]), indicator) == expected


def test_every_period_type_has_a_phrase_with_capitalised_months():
    phrases = [period_type_phrase(value) for value in PeriodType.values]
    assert len(phrases) == len(PeriodType.values)
    assert not any(re.search(r"\b(jan|apr|mar|dec|jul|oct)\w*", phrase) for phrase in phrases)
