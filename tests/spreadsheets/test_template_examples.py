"""The import templates' example dates and the import page's examples follow the partnership's year
(issue 25, "Also seen": they followed an April year whatever month the partnership's year starts in)."""

import html
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from spreadsheets.examples import example_period_end, year_examples
from tests.spreadsheet_files import csv_rows, preview, xlsx_rows


def october_year(today: date) -> tuple[date, date]:
    """The first and last day of the October–September year `today` falls in."""
    first = date(today.year if today.month >= 10 else today.year - 1, 10, 1)
    return first, date(first.year + 1, 9, 30)


@pytest.fixture
def october(world):
    world.partnership.year_start_month = 10
    world.partnership.save()
    return october_year(timezone.localdate())


def template(client, world, kind: str, fmt: str = "csv") -> list[list]:
    kwargs = {"partnership": world.partnership.slug, "kind": kind, "fmt": fmt}
    content = client.get(reverse("import_template", kwargs=kwargs)).content
    return csv_rows(content) if fmt == "csv" else xlsx_rows(content)


def test_the_actions_template_starts_and_ends_with_the_partnerships_year(world, client_as, october):
    first, last = october
    reviewer = client_as(world.users["working_group"])
    header, row = template(reviewer, world, "actions")
    assert (row[header.index("Start")], row[header.index("Due")]) == (first.isoformat(), last.isoformat())
    header, row = template(reviewer, world, "actions", "xlsx")
    assert (row[header.index("Start")].date(), row[header.index("Due")].date()) == (first, last)


def test_the_readings_template_gives_a_period_of_the_indicator_in_that_year(world, client_as, october):
    first, last = october
    partner = client_as(world.users["partner"])
    header, row = template(partner, world, "readings")
    assert row[header.index("Period end")] == date(first.year, 12, 31).isoformat()  # a calendar-year indicator
    world.indicator.period_type = "quarter"
    world.indicator.save()
    header, row = template(partner, world, "readings")
    assert row[header.index("Period end")] == last.isoformat()  # the year's last quarter, July–September


def test_the_readings_template_reads_back_as_the_period_it_shows(world, client_as, october):
    world.indicator.period_type = "quarter"
    world.indicator.save()
    partner = client_as(world.users["partner"])
    kwargs = {"partnership": world.partnership.slug, "kind": "readings", "fmt": "csv"}
    content = partner.get(reverse("import_template", kwargs=kwargs)).content
    page, _ = preview(partner, world.partnership, content)
    (row,) = page.context["preview"].rows
    first, _last = october
    assert (row.status, row.label) == ("new", f"Road casualties, Kent, Q4 {first.year}/{str(first.year + 1)[-2:]}")


def test_the_import_page_examples_follow_the_year(world, client_as, october):
    first, last = october
    span = f"{first.year}/{str(first.year + 1)[-2:]}"
    answer = client_as(world.users["partner"]).get(reverse("import_start", args=[world.partnership.slug]))
    page = html.unescape(answer.content.decode())
    assert (
        f"Dates: {last:%Y-%m-%d}, {last:%d/%m/%Y} or {last:%d-%b-%y}; months: {first:%Y-%m}, {first:%b %Y} or "
        f"{first:%b-%y}; quarters of the partnership's year: Q1 {span} (October to December {first.year})."
    ) in page


def test_a_calendar_year_partnership_writes_its_quarter_as_one_year(world):
    world.partnership.year_start_month = 1
    examples = year_examples(world.partnership, date(2026, 12, 7))
    assert (examples.first, examples.last, examples.quarter) == (date(2026, 1, 1), date(2026, 12, 31), "Q1 2026")
    world.partnership.year_start_month = 4
    world.indicator.period_type = "financial_year"
    assert example_period_end(world.indicator, date(2026, 12, 7)) == date(2027, 3, 31)
