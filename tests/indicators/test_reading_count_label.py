"""The reading form names the figure for what it is (issue 25, "Also seen": a rate indicator's field said
"Figure", and a typed rate, 1.79, was saved as the count). A rate is worked out from a count and the
area's population, so its form asks for the count, says the rate is worked out, and refuses a number that
is not whole, naming the field; the readings import refuses the same in its Value column."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from indicators.models import IndicatorReading
from tests.factories import IndicatorFactory, PopulationFactory
from tests.spreadsheet_files import READING_HEADER, csv_bytes, preview

RATE_LABEL = "Count (the number, not the rate per 1,000 population)"


@pytest.fixture
def rate(world):
    indicator = IndicatorFactory(
        partnership=world.partnership,
        slug="violent-crime-rate",
        name="Violent crime rate",
        unit="rate_per_1000",
        rate_per=1000,
        geography=world.indicator.geography,
    )
    indicator.leads.set([world.own_org])
    PopulationFactory(geography=indicator.geography, year=2017, value=1_554_600)
    return indicator


@pytest.fixture
def partner(world, client):
    client.force_login(world.users["partner"])
    return client


def start_url(world, indicator) -> str:
    return reverse("reading_start", kwargs={"partnership": world.partnership.slug, "indicator": indicator.slug})


def send(partner, world, indicator, value: str):
    data = {"geography": indicator.geography_id, "period_end": "2017-12-31", "value": value, "save": "1"}
    return partner.post(start_url(world, indicator), data)


def test_a_rate_indicators_form_asks_for_the_count_and_says_the_rate_is_worked_out(world, partner, rate):
    page = html.unescape(partner.get(start_url(world, rate)).content.decode())
    (label,) = re.findall(r'<label\s+for="id_value"[^>]*>\s*(.*?)\s*<', page)
    assert label == RATE_LABEL
    assert (
        "The number counted, e.g. 2,786. The rate per 1,000 population is worked out from it and the area's "
        "population for the year the period ends in." in page
    )
    assert ">Figure<" not in page


def test_a_typed_rate_is_refused_naming_the_field_and_kept(world, partner, rate):
    answer = send(partner, world, rate, "1.79")
    assert answer.status_code == 200
    assert answer.context["form"].errors["value"] == [
        "Count (the number, not the rate per 1,000 population) takes the count the rate per 1,000 population "
        "of “Violent crime rate” is worked out from, a whole number; 1.79 is not (enter the count, not the rate)."
    ]
    assert 'value="1.79"' in answer.content.decode()
    assert not IndicatorReading.objects.filter(indicator=rate).exists()


def test_the_count_is_saved_as_typed(world, partner, rate):
    assert send(partner, world, rate, "2,786").status_code == 302
    reading = IndicatorReading.objects.get(indicator=rate)
    assert (reading.value, reading.period_end) == (2786, date(2017, 12, 31))


def test_a_count_indicator_is_labelled_count_and_refuses_a_fraction(world, partner):
    page = partner.get(start_url(world, world.indicator))
    assert page.context["form"]["value"].label == "Count"
    answer = send(partner, world, world.indicator, "12.5")
    assert answer.context["form"].errors["value"] == ["Count is a whole number for “Road casualties”; 12.5 is not."]
    assert send(partner, world, world.indicator, "").context["form"].errors["value"] == ["Enter the count."]
    assert send(partner, world, world.indicator, "<5").context["form"].errors["value"] == [
        "Enter the actual count; small numbers are hidden automatically when shown."
    ]


def test_the_readings_import_refuses_a_rate_in_the_value_column(world, partner, rate):
    data = csv_bytes([READING_HEADER, ["Violent crime rate", "Kent", "31/12/2017", "1.79", "No", ""]])
    page, _ = preview(partner, world.partnership, data)
    errors = [(row.number, column, reason) for row in page.context["preview"].rows for column, reason in row.errors]
    assert errors == [
        (
            2,
            "Value",
            "Value takes the count the rate per 1,000 population of “Violent crime rate” is worked out from, a "
            "whole number; 1.79 is not (enter the count, not the rate).",
        )
    ]
