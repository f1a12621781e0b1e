"""The report's snapshot kept between the preview and publishing (issue 26: `reports.snapshot.kept_snapshot`).

The preview keeps what it built per cycle and generation, so publishing right after it, or again with nothing
changed, reads it rather than building it; any audited change in between shows in what is published; and
publishing holds the partnership's row, so no change commits while it freezes (PostgreSQL row locks)."""

import threading
from datetime import date
from functools import partial

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from csa_tracker.accounts.access import access_for
from reports.models import Report
from reports.services import report_publish
from reports.snapshot import build_snapshot
from tests.factories import ReportingCycleFactory
from tests.plan_changes import introduction_changed

WG = "working_group"
BASE = "/kent-test/reports/2017-18/q4-2017-18"
# Every build of the snapshot reads the plan's notes; nothing else in publishing does.
BUILD = '"priorities_note"'


@pytest.fixture
def working_group(world, client_as):
    return client_as(world.users[WG])


def test_publishing_right_after_the_preview_reads_the_snapshot_it_kept(world, working_group):
    working_group.get(f"{BASE}/preview/")
    with CaptureQueriesContext(connection) as captured:
        working_group.post(f"{BASE}/publish/")
    assert not [query for query in captured if BUILD in query["sql"]]
    assert Report.objects.get().snapshot == build_snapshot(world.cycle)


def test_publishing_with_nothing_kept_builds_the_snapshot(world, working_group):
    with CaptureQueriesContext(connection) as captured:
        working_group.post(f"{BASE}/publish/")
    assert [query for query in captured if BUILD in query["sql"]]
    assert Report.objects.get().snapshot == build_snapshot(world.cycle)


def test_a_change_made_after_the_preview_is_in_the_report_published_next(world, working_group):
    working_group.get(f"{BASE}/preview/")
    introduction_changed(world, "Written after the preview.")
    assert "Written after the preview." in working_group.get(f"{BASE}/preview/").content.decode()
    working_group.post(f"{BASE}/publish/")
    assert Report.objects.get().snapshot["introduction"] == "Written after the preview."


def test_a_change_after_publishing_makes_publishing_again_a_correction(world, working_group):
    working_group.post(f"{BASE}/publish/")
    again = working_group.post(f"{BASE}/publish/", follow=True).content.decode()
    assert "Nothing has changed since version 1 was published" in again
    introduction_changed(world, "Written after version 1.")
    refused = working_group.post(f"{BASE}/publish/").content.decode()
    assert "give the reason for publishing a correction" in refused
    working_group.post(f"{BASE}/publish/", {"reason": "The introduction was reworded."})
    assert Report.objects.get(version=2).snapshot["introduction"] == "Written after version 1."


def test_a_correction_without_a_reason_asks_for_it_on_the_reason_box(world, working_group):
    working_group.post(f"{BASE}/publish/")
    introduction_changed(world, "Written after version 1.")
    refused = working_group.post(f"{BASE}/publish/", {"reason": "   "})
    assert refused.context["form"].errors == {
        "reason": [
            "Version 1 of this report is already published and its content has changed since: "
            "give the reason for publishing a correction."
        ]
    }
    page = refused.content.decode()
    assert 'href="#id_reason"' in page  # the error summary leads to the box
    assert refused.context["form"]["reason"].help_text in page
    assert refused.context["form"]["reason"].help_text.startswith("Say what changed and why")


def test_the_preview_ends_with_the_way_to_publish_it(working_group):
    page = working_group.get(f"{BASE}/preview/").content.decode()
    publish = f'href="{BASE}/publish/"'
    assert page.count(publish) == 2 and page.rindex(publish) > page.index('class="report"')


def test_each_cycle_publishes_its_own_snapshot(world, working_group):
    earlier = ReportingCycleFactory(
        plan=world.plan, name="Q3 2017/18", period_start=date(2017, 10, 1), period_end=date(2017, 12, 31)
    )
    working_group.get(f"{BASE}/preview/")  # Q4's kept
    working_group.post("/kent-test/reports/2017-18/q3-2017-18/publish/")
    (report,) = Report.objects.filter(cycle=earlier)
    assert report.snapshot["cycle"]["name"] == "Q3 2017/18"
    assert report.snapshot == build_snapshot(earlier)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_no_change_commits_while_a_report_is_being_published(world):
    """Publishing freezes what the generations it read say, so it holds the partnership's row from the start,
    before it writes anything: here publishing again with nothing changed, which writes nothing at all."""
    publish = partial(report_publish, access=access_for(world.users[WG], world.partnership), cycle=world.cycle)
    publish()
    outcomes = []

    def change():
        try:
            with transaction.atomic():
                connection.cursor().execute("SET LOCAL lock_timeout = '300ms'")
                introduction_changed(world, "Written while publishing.")
            outcomes.append("committed")
        except OperationalError:
            outcomes.append("waited")
        finally:
            connections.close_all()

    with transaction.atomic():
        assert publish()[1] is False
        during = threading.Thread(target=change)
        during.start()
        during.join(timeout=30)
    after = threading.Thread(target=change)
    after.start()
    after.join(timeout=30)
    assert outcomes == ["waited", "committed"]
