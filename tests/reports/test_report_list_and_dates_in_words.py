"""What a new user read on the reports pages (issue 25): a cycle already published offers "Publish a
correction" on the reports list, as the page it leads to says; the compare dropdowns give the day a
version was published in words ("1 April 2018"), as every other page does."""

import io
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import docx
import pytest
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.dates import day_in_words
from reports.models import Report
from reports.services import report_publish
from tests.factories import ReportingCycleFactory


@pytest.fixture
def published(world):
    report, _ = report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    return report


def test_a_published_cycle_offers_a_correction_and_an_unpublished_one_publishing(world, published, client_as):
    ReportingCycleFactory(plan=world.plan, name="Q1 2018/19")
    page = client_as(world.users["working_group"]).get(reverse("report_list", kwargs={"partnership": "kent-test"}))
    text = page.content.decode()
    assert 'Publish a correction<span class="visually-hidden"> to the Q4 2017/18 report</span>' in text
    assert 'Publish<span class="visually-hidden"> the Q1 2018/19 report</span>' in text
    assert 'Publish<span class="visually-hidden"> the Q4 2017/18 report</span>' not in text


def test_the_compare_dropdowns_say_the_day_in_words(world, published, client_as):
    Report.objects.filter(pk=published.pk).update(published_at=datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("UTC")))
    page = client_as(world.users["working_group"]).get(reverse("report_compare", kwargs={"partnership": "kent-test"}))
    text = page.content.decode()
    assert f"{world.plan.title}, Q4 2017/18, version 1 (7 December 2026)" in text
    assert "(07 Dec 2026)" not in text


@pytest.mark.parametrize(
    ("day", "said"),
    [
        (datetime(2018, 4, 1).date(), "1 April 2018"),
        (datetime(2018, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC")), "1 July 2018"),  # 00:30 in London
    ],
)
def test_a_day_in_words_has_no_leading_zero_and_the_month_in_full(day, said):
    assert day_in_words(day) == said


def test_the_word_document_says_the_day_published_where_the_partnership_is(world, client_as):
    """Published at 23:30 UTC on 30 June 2026 is 00:30 on 1 July in London: the .docx says 1 July, as the page."""
    late_evening = datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    with mock.patch("django.utils.timezone.now", return_value=late_evening):
        report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    response = client_as(world.users["working_group"]).get("/kent-test/reports/2017-18/q4-2017-18/v1.docx")
    facts = [paragraph.text for paragraph in docx.Document(io.BytesIO(response.getvalue())).paragraphs]
    assert "Published: 1 July 2026" in facts
