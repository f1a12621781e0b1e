"""A reading moving past its indicator's threshold is flagged even when the figure it is compared with
(the same period a year earlier) is submitted in the same round: through the form in either order, or
in the same spreadsheet in either order (issue 25)."""

from datetime import date

import pytest
from django.urls import reverse

from indicators.models import IndicatorReading
from tests.audit_entries import entries
from tests.factories import IndicatorFactory
from tests.spreadsheet_files import READING_HEADER, csv_bytes, preview

MOVED = {
    "rule": "moved_beyond_threshold",
    "message": "Moved +50.0% against 2020 (Jan–Dec) (more than the 10.0% threshold).",
}


@pytest.fixture
def burglaries(world):
    """An indicator with no figures yet, supplied by the partner's organisation."""
    indicator = IndicatorFactory(
        partnership=world.partnership,
        priority=world.plan_priority.priority,
        name="Burglaries",
        slug="burglaries",
        geography=world.indicator.geography,
    )
    indicator.leads.set([world.own_org])
    return indicator


def reading(indicator, year: int) -> IndicatorReading:
    return IndicatorReading.objects.get(indicator=indicator, period_end=date(year, 12, 31))


def submit_by_form(client, indicator, year: int, value: str) -> None:
    url = reverse("reading_start", kwargs={"partnership": "kent-test", "indicator": indicator.slug})
    data = {"geography": indicator.geography_id, "period_end": f"{year}-12-31", "value": value, "submit": "1"}
    assert client.post(url, data).status_code == 302


def test_comparison_figure_submitted_first_flags_the_later_one(world, client_as, burglaries):
    partner = client_as(world.users["partner"])
    submit_by_form(partner, burglaries, 2020, "100")
    submit_by_form(partner, burglaries, 2021, "150")
    assert reading(burglaries, 2020).state == "submitted"  # nothing published: the same review round
    assert reading(burglaries, 2021).rule_flags == [MOVED]
    assert reading(burglaries, 2021).flagged is True


def test_comparison_figure_submitted_second_flags_the_one_already_waiting(world, client_as, burglaries):
    partner = client_as(world.users["partner"])
    submit_by_form(partner, burglaries, 2021, "150")
    assert reading(burglaries, 2021).rule_flags == []  # nothing to compare with yet
    submit_by_form(partner, burglaries, 2020, "100")
    later = reading(burglaries, 2021)
    assert (later.rule_flags, later.flagged) == ([MOVED], True)
    assert entries(later).last().summary == "Flags worked out again: the figure it is compared with was submitted"
    assert reading(burglaries, 2020).rule_flags == []


def test_a_move_within_the_threshold_stays_unflagged(world, client_as, burglaries):
    partner = client_as(world.users["partner"])
    submit_by_form(partner, burglaries, 2021, "105")
    submit_by_form(partner, burglaries, 2020, "100")
    assert reading(burglaries, 2021).rule_flags == []
    assert entries(reading(burglaries, 2021)).count() == 2  # started and submitted; no flags worked out again


@pytest.mark.parametrize("years", [(2020, 2021), (2021, 2020)], ids=["comparison-first", "comparison-second"])
def test_one_file_with_both_figures_flags_the_later_one(world, client_as, burglaries, years):
    partner = client_as(world.users["partner"])
    values = {2020: "100", 2021: "150"}
    rows = [["Burglaries", burglaries.geography.name, f"{year}-12-31", values[year], "", ""] for year in years]
    page, url = preview(partner, world.partnership, csv_bytes([READING_HEADER, *rows]))
    assert page.context["preview"].counts["new"] == 2
    assert partner.post(url).status_code == 302
    assert reading(burglaries, 2021).rule_flags == [MOVED]
    assert reading(burglaries, 2021).flagged is True
    assert reading(burglaries, 2020).rule_flags == []
