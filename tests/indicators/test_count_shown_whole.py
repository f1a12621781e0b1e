"""A count is a whole number wherever it is shown (a tester saw "Value: 3200.00 → 3450" in the readings import
preview and "1234.00" in the reading form): a stored figure is shown as a person writes it
(`csa_tracker.text.typed_number`); a percentage keeps its decimals ("12.5")."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import IndicatorReading
from spreadsheets.pipeline import shown
from tests.factories import IndicatorFactory, ReadingFactory
from tests.spreadsheet_files import READING_HEADER, csv_bytes, preview
from workflow.models import ReviewState


@pytest.fixture
def partner(world, client):
    client.force_login(world.users["partner"])
    return client


def draft(world, indicator, value) -> IndicatorReading:
    return ReadingFactory(
        indicator=indicator,
        state=ReviewState.DRAFT,
        author=world.users["partner"],
        organisation=world.own_org,
        value=Decimal(value),
        period_start=date(2019, 1, 1),
        period_end=date(2019, 12, 31),
        published_at=None,
    )


def field_value(page) -> str:
    (found,) = re.findall(r'<input[^>]*name="value"[^>]*>', page.content.decode())
    return re.search(r'value="([^"]*)"', found).group(1)


def edit(partner, world, reading):
    return partner.get(reverse("reading_edit", kwargs={"partnership": world.partnership.slug, "pk": reading.pk}))


def test_the_reading_form_shows_a_stored_count_as_a_whole_number(world, partner):
    reading = draft(world, world.indicator, "1234.00")
    assert field_value(edit(partner, world, reading)) == "1234"


def test_the_reading_form_keeps_a_percentages_decimals(world, partner):
    share = IndicatorFactory(partnership=world.partnership, unit="percentage", name="Repeat victims share")
    share.leads.set([world.own_org])
    reading = draft(world, share, "12.50")
    assert field_value(edit(partner, world, reading)) == "12.5"


def test_the_count_saved_unchanged_changes_nothing(world, partner):
    reading = draft(world, world.indicator, "1234.00")
    url = reverse("reading_edit", kwargs={"partnership": world.partnership.slug, "pk": reading.pk})
    data = {
        "geography": reading.geography_id,
        "period_end": "31/12/2019",
        "value": field_value(edit(partner, world, reading)),
        "approximate": "",
        "source_note": "",
        "version": reading.version,
        "save": "1",
    }
    assert partner.post(url, data).status_code == 302
    reading.refresh_from_db()
    assert reading.value == Decimal("1234")


def test_the_import_preview_shows_a_stored_count_as_a_whole_number(world, partner):
    ReadingFactory(
        indicator=world.indicator,
        state=ReviewState.PUBLISHED,
        value=Decimal("3200.00"),
        period_start=date(2019, 1, 1),
        period_end=date(2019, 12, 31),
    )
    rows = [READING_HEADER, [world.indicator.name, world.indicator.geography.name, "31/12/2019", "3450", "No", ""]]
    page, _ = preview(partner, world.partnership, csv_bytes(rows))
    (row,) = page.context["preview"].rows
    assert row.changes == [("Value", "3200", "3450")]
    assert "3200.00" not in page.content.decode()


def test_a_preview_shows_numbers_without_padding():
    assert [shown(Decimal("3200.00")), shown(Decimal("12.50")), shown(Decimal("0.05")), shown(Decimal("40"))] == [
        "3200",
        "12.5",
        "0.05",
        "40",
    ]
