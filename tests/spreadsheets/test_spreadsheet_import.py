"""Importing readings and progress: preview says what would change and writes nothing; confirm
submits every row for review or none; names match exactly; a blank cell keeps the current value."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import ProgressUpdate
from csa_tracker.accounts.models import Partnership
from csa_tracker.audit.models import AuditEntry
from cycles.models import CycleState
from indicators.models import IndicatorReading
from spreadsheets.importers import ReadingImporter
from spreadsheets.pipeline import ImportRefused
from tests.audit_entries import entries
from tests.factories import (
    ActionFactory,
    GeographyFactory,
    PublishedUpdateFactory,
    ReadingFactory,
    ReportingCycleFactory,
    StatusFactory,
)
from tests.spreadsheet_files import (
    READING_HEADER,
    UPDATE_HEADER,
    csv_bytes,
    data_rows,
    preview,
    row_errors,
    upload,
    xlsx_bytes,
)
from workflow.models import ReviewState
from workflow.transitions import Transition


def written_counts():
    return IndicatorReading.objects.count(), ProgressUpdate.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", ["actions", "readings", "updates"])
def test_exporting_then_importing_changes_nothing(world, reviewer, name, fmt):
    exported = reviewer.get(
        reverse("export_list", kwargs={"partnership": world.partnership.slug, "name": name, "fmt": fmt})
    )
    before = written_counts()
    page, url = preview(reviewer, world.partnership, exported.content, kind=name, name=f"export.{fmt}")
    counts = page.context["preview"].counts
    rows = data_rows(exported.content, fmt)  # every one the Working Group's to write
    assert counts == {"new": 0, "changed": 0, "unchanged": rows, "read_only": 0, "error": 0}
    assert "Confirm" not in page.content.decode()
    reviewer.post(url)
    assert written_counts() == before


def test_partner_imports_readings_as_submitted_never_published(world, partner, django_capture_on_commit_callbacks):
    data = xlsx_bytes([READING_HEADER, ["Road casualties", "Kent", "31/12/2017", "1,234", "Yes", "Police"]])
    page, url = preview(partner, world.partnership, data, name="new.xlsx")
    assert page.context["preview"].counts["new"] == 1
    assert not IndicatorReading.objects.filter(period_end=date(2017, 12, 31), indicator=world.indicator).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = partner.post(url)
    assert response.status_code == 302
    reading = IndicatorReading.objects.get(period_end=date(2017, 12, 31), indicator=world.indicator)
    assert (reading.state, reading.value, reading.approximate, reading.author) == (
        ReviewState.SUBMITTED,
        1234,
        True,
        world.users["partner"],
    )
    assert reading.organisation == world.own_org
    assert reading.rule_flags  # 2016 was 6,122: the rules run as for a form submission
    assert entries(reading).get().verb == Transition.IMPORT
    (message,) = mail.outbox  # one e-mail for the file, not one per row
    assert message.subject == "For review: 1 indicator reading imported from a spreadsheet"
    assert message.to == ["working_group@example.org"]


def test_changed_reading_shows_old_and_new_and_leaves_the_published_one_alone(world, reviewer):
    published = world.published_readings["own"]  # 2016: 6,122
    data = csv_bytes([READING_HEADER, ["Road casualties", "Kent", "2016-12-31", "6,200", "", ""]])
    page, url = preview(reviewer, world.partnership, data)
    (row,) = page.context["preview"].rows
    assert row.status == "changed"
    assert row.changes == [("Value", "6122", "6200")]
    assert "6122 → 6200" in page.content.decode()
    reviewer.post(url)
    published.refresh_from_db()
    assert published.value == 6122 and published.state == ReviewState.PUBLISHED
    replacement = IndicatorReading.objects.get(period_end=date(2016, 12, 31), state=ReviewState.SUBMITTED)
    assert replacement.value == 6200


def test_a_blank_cell_keeps_the_current_value(world, reviewer):
    ReadingFactory(
        indicator=world.indicator,
        period_end=date(2014, 12, 31),
        period_start=date(2014, 1, 1),
        value=10,
        approximate=True,
        source_note="Annual report",
    )
    data = csv_bytes([READING_HEADER, ["Road casualties", "Kent", "31/12/2014", "12", "", ""]])
    page, url = preview(reviewer, world.partnership, data)
    assert page.context["preview"].rows[0].changes == [("Value", "10", "12")]
    reviewer.post(url)
    new = IndicatorReading.objects.get(period_end=date(2014, 12, 31), state=ReviewState.SUBMITTED)
    assert (new.value, new.approximate, new.source_note) == (12, True, "Annual report")


def test_unknown_names_are_never_created_and_the_suggestion_shows_the_difference(world, reviewer):
    data = csv_bytes(
        [
            READING_HEADER,
            ["Road casualtis", "Kent", "31/12/2017", "1", "", ""],
            ["Road casualties", "Kentt", "31/12/2017", "1", "", ""],
            ["road  CASUALTIES", "kent", "31/12/2017", "1", "", ""],  # case and spaces aside, the same names
        ]
    )
    page, _ = preview(reviewer, world.partnership, data)
    assert row_errors(page) == [
        (
            2,
            "Indicator",
            "No indicator called “Road casualtis”. Did you mean “Road casualties”? "
            "Yours is missing “e” after “road casualti”.",
        ),
        (3, "Area", "No area called “Kentt”. Did you mean “Kent”? Yours has an extra “t” after “kent”."),
    ]
    assert page.context["preview"].rows[-1].number == 4 and page.context["preview"].rows[-1].status == "new"
    assert "Confirm" not in page.content.decode()


def test_partner_cannot_import_readings_for_another_organisations_indicator(world, partner):
    data = csv_bytes([READING_HEADER, ["Other council's figure", "Kent", "31/12/2019", "1", "", ""]])
    page, url = preview(partner, world.partnership, data)
    assert row_errors(page) == [
        (
            2,
            "Indicator",
            "You cannot submit readings for “Other council's figure”: your organisation does not supply it.",
        )
    ]
    before = written_counts()
    assert "Nothing was imported" in partner.post(url).content.decode()
    assert written_counts() == before


def test_rows_with_bad_cells_name_the_row_the_column_and_the_reason(world, reviewer):
    data = csv_bytes(
        [
            READING_HEADER,
            ["Road casualties", "Kent", "2013-12-31", "<5", "", ""],
            ["Road casualties", "Kent", "12/31/2012", "5", "", ""],
            ["Road casualties", "Kent", "31/12/2011", "5", "maybe", ""],
            ["Road casualties", "Kent", "31/12/2010", "", "", ""],
        ]
    )
    page, _ = preview(reviewer, world.partnership, data)
    errors = row_errors(page)
    assert [(number, column) for number, column, _ in errors] == [
        (2, "Value"),
        (3, "Period end"),
        (4, "Approximate"),
        (5, "Value"),
    ]
    assert "suppressed value; enter the actual figure" in errors[0][2]
    assert "a new reading needs a figure" in errors[3][2]
    page_text = page.content.decode()
    assert "12/31/2012" in page_text and "<strong>Period end</strong>" in page_text


def test_text_longer_than_its_field_is_a_row_error_and_nothing_is_written(world, reviewer):
    """PostgreSQL would refuse the row part-way through a commit; SQLite would store it: both must see the error."""
    data = csv_bytes([READING_HEADER, ["Road casualties", "Kent", "31/12/2017", "1", "", "x" * 301]])
    page, url = preview(reviewer, world.partnership, data)
    assert row_errors(page) == [(2, "Source note", "is 301 characters long; the most this column takes is 300.")]
    before = written_counts()
    reviewer.post(url)
    assert written_counts() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not enforce text lengths")
def test_postgresql_would_refuse_the_long_text_that_the_preview_catches(world):
    """Why the check above matters: on PostgreSQL the row would fail inside the commit's transaction."""
    with pytest.raises(DataError), transaction.atomic():
        ReadingFactory(indicator=world.indicator, source_note="x" * 301)


def test_the_same_reading_twice_in_a_file_is_an_error(world, reviewer):
    row = ["Road casualties", "Kent", "31/12/2017", "1", "", ""]
    page, _ = preview(reviewer, world.partnership, csv_bytes([READING_HEADER, row, [*row[:3], "2", "", ""]]))
    assert row_errors(page) == [(3, "", "The same indicator reading is also on row 2.")]


def test_a_submitted_reading_cannot_be_changed_by_import(world, reviewer):
    data = csv_bytes([READING_HEADER, ["Road casualties", "Kent", "31/12/2018", "151", "", ""]])
    page, _ = preview(reviewer, world.partnership, data)
    assert "already submitted and waiting for review" in row_errors(page)[0][2]


def ten_thousand_rows(bad_row: int):
    """Readings for two areas (Kent and a district in it) over 5,000 years far from the world's own."""
    kent_test = Partnership.objects.get(slug="kent-test")
    kent = GeographyFactory(partnership=kent_test, name="Kent")
    GeographyFactory(partnership=kent_test, name="Maidstone", kind="district", parent=kent)
    rows = [READING_HEADER]
    for area in ("Kent", "Maidstone"):
        for year in range(3000, 8000):
            value = "<5" if len(rows) == bad_row - 1 else str(year)
            rows.append(["Road casualties", area, f"31/12/{year}", value, "", ""])
    return rows


def test_one_bad_row_in_ten_thousand_writes_nothing(world, reviewer):
    before = written_counts()
    page, url = preview(reviewer, world.partnership, csv_bytes(ten_thousand_rows(bad_row=10_001)))
    assert page.context["preview"].counts == {"new": 9_999, "changed": 0, "unchanged": 0, "read_only": 0, "error": 1}
    assert row_errors(page)[0][:2] == (10_001, "Value")
    response = reviewer.post(url)
    assert "Nothing was imported" in response.content.decode()
    assert written_counts() == before


def test_a_row_that_fails_while_writing_undoes_the_rows_before_it(world):
    """Between preview and commit someone starts a reading for the last row: the commit stops and the
    earlier rows are rolled back with it."""
    from csa_tracker.accounts.access import access_for

    access = access_for(world.users["working_group"], world.partnership)
    data = csv_bytes(
        [
            READING_HEADER,
            ["Road casualties", "Kent", "31/12/2012", "1", "", ""],
            ["Road casualties", "Kent", "31/12/2013", "2", "", ""],
        ]
    )
    importer = ReadingImporter()
    result = importer.preview(access, importer.read(access, data, {})[0])
    ReadingFactory(
        indicator=world.indicator, period_end=date(2013, 12, 31), period_start=date(2013, 1, 1), state="draft"
    )
    before = written_counts()
    with pytest.raises(ImportRefused, match="Nothing was imported"):
        importer.commit(access, result)
    assert written_counts() == before


def test_partner_imports_progress_for_their_action(world, partner):
    action = ActionFactory(plan_priority=world.plan_priority, wording="Speed watch", leads=[world.own_org])
    PublishedUpdateFactory(action=action, cycle=world.cycle, text="Started.")
    delayed = StatusFactory(partnership=world.partnership, name="Delayed", order=3, severity=2)
    progress = "- Volunteers recruited\n- Signs ordered"
    page, url = preview(
        partner, world.partnership, csv_bytes([UPDATE_HEADER, [action.pk, "Delayed", progress]]), kind="updates"
    )
    assert [row.changes for row in page.context["preview"].rows] == [
        [("Status", str(action.status), str(delayed)), ("Progress", "Started.", progress)]
    ]
    partner.post(url)
    update = action.updates.get(state=ReviewState.SUBMITTED)
    assert (update.status, update.text, update.cycle, update.author) == (
        delayed,
        progress,
        world.cycle,
        world.users["partner"],
    )


def test_partner_cannot_import_progress_on_another_organisations_action(world, partner):
    data = csv_bytes([UPDATE_HEADER, [world.other_action.pk, "", "Done."], [999_999, "", "Done."]])
    page, _ = preview(partner, world.partnership, data, kind="updates")
    assert row_errors(page) == [
        (2, "Action ID", f"Your organisation does not lead or support action {world.other_action.pk}."),
        (3, "Action ID", "There is no action 999999 in this partnership’s plans."),
    ]


@pytest.mark.parametrize("role", ["governing", "admin"])
def test_readers_cannot_import(world, client, role):
    client.force_login(world.users[role])
    data = csv_bytes([READING_HEADER, ["Road casualties", "Kent", "31/12/2017", "1", "", ""]])
    assert upload(client, world.partnership, data).status_code == 403


def test_benchmark_reports_time_and_memory_and_keeps_nothing(db, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    before = written_counts()
    # Its own results file: a test never writes into a real run's bench-results.json.
    call_command("bench_import", rows=120, output=str(tmp_path / "bench-results.json"), stdout=out)
    assert "import of 120 readings" in out.getvalue() and "peak memory" in out.getvalue()
    assert written_counts() == before


ACTION_HEADER = ["Action ID", "Plan", "Priority", "Action", "Leads", "Supporters", "Status", "Funding", "Start", "Due"]


def test_working_group_adds_and_changes_actions_by_name(world, reviewer):
    status = world.own_action.status.name
    data = xlsx_bytes(
        [
            ACTION_HEADER,
            [
                "",
                "Test Agreement 2017/18",
                "Road Safety",
                "New speed checks",
                "Own District Council",
                "",
                status,
                "",
                "",
                "31/03/2019",
            ],
            [world.own_action.pk, "", "", "", "Own District Council; Other Council", "", "", "", "", ""],
        ]
    )
    page, url = preview(reviewer, world.partnership, data, kind="actions", name="actions.xlsx")
    new, changed = page.context["preview"].rows
    assert (new.status, changed.status) == ("new", "changed")
    assert changed.changes == [("Leads", "Own District Council", "Other Council; Own District Council")]
    reviewer.post(url)
    created = world.plan_priority.actions.get(wording="New speed checks")
    assert list(created.leads.all()) == [world.own_org] and created.due_date == date(2019, 3, 31)
    world.own_action.refresh_from_db()
    assert set(world.own_action.leads.all()) == {world.own_org, world.other_org}
    assert world.own_action.wording == "Own council's action"  # blank cells kept it


def test_unknown_organisation_is_an_error_not_a_new_organisation(world, reviewer):
    data = csv_bytes([ACTION_HEADER, [world.own_action.pk, "", "", "", "Own Distrct Council", "", "", "", "", ""]])
    page, _ = preview(reviewer, world.partnership, data, kind="actions")
    assert row_errors(page) == [
        (
            2,
            "Leads",
            "No organisation called “Own Distrct Council”. Did you mean “Own District Council”? "
            "Yours is missing “i” after “own distr”.",
        )
    ]


def test_partners_cannot_import_actions(world, partner):
    data = csv_bytes([ACTION_HEADER, [world.own_action.pk, "", "", "Reworded", "", "", "", "", "", ""]])
    response = upload(partner, world.partnership, data, kind="actions")
    assert "kind" in response.context["form"].errors
    template = reverse(
        "import_template", kwargs={"partnership": world.partnership.slug, "kind": "actions", "fmt": "csv"}
    )
    assert partner.get(template).status_code == 403


def test_a_readings_commit_asks_for_no_previous_figure_one_row_at_a_time(world, django_assert_max_num_queries):
    """The rule flags compare each reading with the same period a year before; the importer's `load`
    has read every published figure of the file's indicators, so rows with no such figure cost no query
    (a 10,000-row commit spent 24 of its 31 s asking, issue 18)."""
    from csa_tracker.accounts.access import access_for

    access = access_for(world.users["working_group"], world.partnership)

    def commit_queries(years):
        rows = [READING_HEADER] + [["Road casualties", "Kent", f"31/12/{year}", "5", "", ""] for year in years]
        importer = ReadingImporter()
        result = importer.preview(access, importer.read(access, csv_bytes(rows), {})[0])
        with CaptureQueriesContext(connection) as queries:
            importer.commit(access, result)
        return len(queries)

    commit_queries([1980])  # the first write of a run also reads what Django caches (content types)
    few, many = commit_queries(range(1990, 1993)), commit_queries(range(1950, 1962))
    # The bulk insert and audit write are per statement, not per row: twelve rows cost what three do.
    assert many == few


# A partner's export lists every cycle's update of their actions; its Cycle column says which. A row of an
# earlier, locked cycle edited and imported once landed in the open cycle's update (found re-running case 19).
EXPORT_HEADER = [*UPDATE_HEADER, "Cycle", "Action", "State"]


@pytest.fixture
def speed_watch(world):
    """An action of the partner's organisation published in Q4 (the open cycle) and in Q3 (locked)."""
    action = ActionFactory(plan_priority=world.plan_priority, wording="Speed watch", leads=[world.own_org])
    q3 = ReportingCycleFactory(
        plan=world.plan,
        name="Q3 2017/18",
        period_start=date(2017, 10, 1),
        period_end=date(2017, 12, 31),
        update_deadline=date(2017, 11, 16),
        state=CycleState.LOCKED,
    )
    earlier = timezone.now() - timedelta(days=90)
    PublishedUpdateFactory(action=action, cycle=q3, text="Q3 as published.", status=action.status, published_at=earlier)
    PublishedUpdateFactory(action=action, cycle=world.cycle, text="Q4 as published.", status=action.status)
    return action


def _export_row(action, text, cycle):
    return [action.pk, action.status.name, text, cycle, action.wording, "Published"]


def test_an_earlier_cycles_row_changed_is_refused_not_written_into_the_open_cycle(world, partner, speed_watch):
    before = written_counts()
    data = csv_bytes([EXPORT_HEADER, _export_row(speed_watch, "Q3 as published, and more.", "Q3 2017/18")])
    page, url = preview(partner, world.partnership, data, kind="updates")
    assert row_errors(page) == [
        (
            2,
            "Cycle",
            "is “Q3 2017/18”, but progress can be imported only for the open cycle, “Q4 2017/18”: put this "
            "change on that cycle’s row, or leave Cycle blank.",
        )
    ]
    partner.post(url)
    assert written_counts() == before


def test_an_earlier_cycles_row_unchanged_is_skipped_beside_the_open_cycles_change(world, partner, speed_watch):
    data = csv_bytes(
        [
            EXPORT_HEADER,
            _export_row(speed_watch, "Q3 as published.", "Q3 2017/18"),
            _export_row(speed_watch, "Q4 progress, new.", "Q4 2017/18"),
        ]
    )
    page, url = preview(partner, world.partnership, data, kind="updates")
    assert page.context["preview"].counts == {"new": 0, "changed": 1, "unchanged": 1, "read_only": 0, "error": 0}
    partner.post(url)
    update = speed_watch.updates.get(state=ReviewState.SUBMITTED)
    assert (update.cycle, update.text) == (world.cycle, "Q4 progress, new.")
    assert speed_watch.updates.get(cycle__name="Q3 2017/18").text == "Q3 as published."
