"""Published reports: what they hold and in which order, that publishing freezes them, corrections,
comparisons and who sees what."""

import html as html_module
import importlib
import io
import re
from datetime import date

import pypdf
import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from csa_tracker.accounts.access import access_for
from cycles.models import CycleState
from priorities.models import Note, Plan
from reports.compare import compare_snapshots
from reports.models import Report
from reports.rendering import StaticFilesFetcher, render_pdf
from reports.services import NeedsReason, report_publish
from reports.snapshot import SNAPSHOT_FORMAT, build_snapshot, snapshot_digest, snapshot_unchanged
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    NoteFactory,
    PlanPriorityFactory,
    PublishedUpdateFactory,
    ReadingFactory,
    ReportingCycleFactory,
)
from tests.plan_changes import introduction_changed
from tests.reviewing import corrected_and_published
from workflow.services import item_escalate, item_publish

WG, GOV = "working_group", "governing"
BASE = "/kent-test/reports/2017-18/q4-2017-18"


def publish(world, reason=""):
    return report_publish(access=access_for(world.users[WG], world.partnership), cycle=world.cycle, reason=reason)


def report_body(response) -> str:
    page = response.content.decode()
    return page[page.index('<article class="report"') : page.index("</article>")]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def headings(html: str) -> list[tuple[str, str]]:
    return [
        (level, html_module.unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for level, text in re.findall(r"<h([1-3])[^>]*>(.*?)</h\1>", html, re.S)
    ]


@pytest.fixture
def reader(world, client_as):
    return lambda role: client_as(world.users[role])


def test_report_sections_come_in_the_published_order(world, reader):
    PlanPriorityFactory(
        plan=world.plan,
        title="Domestic Abuse",
        priority__slug="domestic-abuse",
        order=world.plan_priority.order + 1,
    )
    report, _ = publish(world)
    found = headings(report_body(reader(GOV).get(f"{BASE}/v1/")))
    assert found == [
        ("1", "Test Agreement 2017/18: Action Plan & Performance Summary"),
        ("2", "Introduction"),
        ("2", "Contents"),
        ("2", "Priority: Road Safety"),
        ("3", "Context"),
        ("3", "Performance summary"),
        ("3", "Trends"),
        ("3", "Notes and sources"),
        ("3", "Actions and progress"),
        ("2", "Priority: Domestic Abuse"),
        ("3", "Context"),
        ("3", "Actions and progress"),
        ("2", "Significant changes and areas of concern"),
    ]


def test_report_holds_actions_progress_figures_notes_and_escalations(world, reader):
    update = world.published_updates["own"]
    item_escalate(access=access_for(world.users[WG], world.partnership), item=update, note="Two chairs withdrew.")
    publish(world)
    body = report_body(reader(GOV).get(f"{BASE}/v1/"))
    assert "Own council&#x27;s action" in body and "Own published progress." in body
    assert "Lead</dt><dd>Own District Council" in body
    assert "6,122" in body and "up 5.6% from 5,799 to 6,122, 323 more" in body and "Worsening" in body
    assert 'id="road-safety-note-1"' in body and 'href="#road-safety-ref-1"' in body
    assert 'role="img"' in body and "<title id=" in body
    assert '<th scope="row">2016 (Jan–Dec)</th><td>6,122</td>' in body  # the chart's figures, as a table
    escalations = body[body.index('id="escalations"') :]
    assert "Two chairs withdrew." in escalations and "Own published progress." in escalations


def test_report_shows_the_progress_published_for_its_cycle(world, reader):
    later = ReportingCycleFactory(
        plan=world.plan, name="Q1 2018/19", period_start=date(2018, 4, 1), period_end=date(2018, 6, 30)
    )
    PublishedUpdateFactory(action=world.own_action, cycle=later, text="Progress from a later cycle.")
    earlier = ReportingCycleFactory(
        plan=world.plan, name="Q3 2017/18", period_start=date(2017, 10, 1), period_end=date(2017, 12, 31)
    )
    publish(world)
    body = report_body(reader(GOV).get(f"{BASE}/v1/"))
    assert "Own published progress." in body and "later cycle" not in body
    assert all(action["progress"] == "" for action in build_snapshot(earlier)["priorities"][0]["actions"])
    later_actions = build_snapshot(later)["priorities"][0]["actions"]
    assert later_actions[1]["progress"] == "Other published progress."
    assert later_actions[1]["progress_cycle"] == "Q4 2017/18"


def test_edits_after_publishing_do_not_change_the_report(world, reader):
    publish(world)
    client = reader(GOV)
    html_before, pdf_before = report_body(client.get(f"{BASE}/v1/")), pdf_text(client.get(f"{BASE}/v1.pdf").getvalue())
    as_wg = access_for(world.users[WG], world.partnership)
    corrected_and_published(
        access=as_wg, item=world.published_updates["own"], fields={"text": "Rewritten."}, reason="Typo"
    )
    Action.objects.filter(pk=world.own_action.pk).update(wording="Renamed action")
    Note.objects.filter(plan_priority=world.plan_priority).update(text="A different note")
    Plan.objects.filter(pk=world.plan.pk).update(introduction="A new introduction.")
    ReadingFactory(indicator=world.indicator, value=9999, period_start=date(2017, 1, 1), period_end=date(2017, 12, 31))
    assert report_body(client.get(f"{BASE}/v1/")) == html_before
    assert pdf_text(client.get(f"{BASE}/v1.pdf").getvalue()) == pdf_before
    assert "Rewritten." in report_body(reader(WG).get(f"{BASE}/preview/"))


def test_publishing_sets_the_cycle_published_and_twice_makes_no_duplicate(world, reader):
    client = reader(WG)
    response = client.post(f"{BASE}/publish/", follow=True)
    assert response.redirect_chain[-1][0] == f"{BASE}/v1/"
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.PUBLISHED
    again = client.post(f"{BASE}/publish/", follow=True).content.decode()
    assert "Nothing has changed since version 1 was published: no new version made." in again
    assert Report.objects.count() == 1


def test_publish_page_warns_of_unreviewed_updates_and_lists_them(world, reader):
    page = reader(WG).get(f"{BASE}/publish/").content.decode()
    assert "Warning: 2 updates of this cycle are not reviewed" in page
    assert "Own council&#x27;s action" in page and "Other council&#x27;s action" in page and "Submitted" in page


def test_preview_is_built_fresh_and_stores_nothing(world, reader):
    page = reader(WG).get(f"{BASE}/preview/").content.decode()
    assert "Draft preview, not published" in page and "Own published progress." in page
    assert Report.objects.count() == 0


def test_a_reading_published_after_a_preview_is_in_the_next_preview_and_report(world, reader):
    """The report's figures are kept per publication generation (issue 26), which publishing a reading moves."""
    client = reader(WG)
    assert "6,122" in report_body(client.get(f"{BASE}/preview/"))  # the report's figures are now cached
    reading = world.submitted_readings["own"]  # 150 for 2018, the indicator's latest period now
    item_publish(access=access_for(world.users[WG], world.partnership), item=reading, version=reading.version)
    assert "up 5.6% from 5,799 to 6,122" not in report_body(client.get(f"{BASE}/preview/"))
    client.post(f"{BASE}/publish/")
    (shown,) = [
        indicator
        for priority in Report.objects.get().snapshot["priorities"]
        for indicator in priority["indicators"]
        if indicator["name"] == "Road casualties"
    ]
    assert shown["latest"]["value"] == "150"


def test_publishing_again_unchanged_compares_digests_and_leaves_the_stored_snapshot_unread(world):
    report, _ = publish(world)
    assert report.snapshot_digest == snapshot_digest(Report.objects.get(pk=report.pk).snapshot)
    with CaptureQueriesContext(connection) as captured:
        again, created = publish(world)
    assert (again.pk, created) == (report.pk, False)
    assert not [query for query in captured if '"reports_report"."snapshot"' in query["sql"]]
    with CaptureQueriesContext(connection) as address:
        assert again.get_absolute_url() == f"{BASE}/v1/"
    assert len(address) == 0  # read with the version, under the lock


def test_a_version_without_a_digest_is_compared_in_full(world):
    """As a version published before digests were kept and not yet given one: the same content is no change,
    other content needs a correction."""
    report, _ = publish(world)
    Report.objects.filter(pk=report.pk).update(snapshot_digest="")
    assert publish(world) == (report, False)
    introduction_changed(world, "A new introduction.")
    with pytest.raises(NeedsReason):
        publish(world)


def test_the_data_step_gives_existing_versions_the_digest_of_their_snapshot(world):
    report, _ = publish(world)
    Report.objects.update(snapshot_digest="")
    migration = importlib.import_module("reports.migrations.0004_report_snapshot_digest")
    migration.fill_digests(apps, connection.schema_editor())
    assert Report.objects.get(pk=report.pk).snapshot_digest == snapshot_digest(build_snapshot(world.cycle))


def test_a_digest_says_the_content_whatever_the_order_of_its_keys():
    snapshot = {"format": SNAPSHOT_FORMAT, "plan": {"title": "Plan", "starts": "2017-04-01"}, "priorities": []}
    reordered = {"priorities": [], "plan": {"starts": "2017-04-01", "title": "Plan"}, "format": SNAPSHOT_FORMAT}
    assert snapshot_digest(snapshot) == snapshot_digest(reordered)
    assert len(snapshot_digest(snapshot)) == 64
    renamed = {**snapshot, "plan": {"title": "Plan 2", "starts": "2017-04-01"}}
    assert snapshot_digest(snapshot) != snapshot_digest(renamed)


def test_a_changed_report_is_republished_only_as_a_correction_with_a_reason(world, reader):
    publish(world)
    as_wg = access_for(world.users[WG], world.partnership)
    corrected_and_published(
        access=as_wg, item=world.published_updates["own"], fields={"text": "Corrected."}, reason="Figures"
    )
    client = reader(WG)
    refused = client.post(f"{BASE}/publish/", {"reason": ""}).content.decode()
    assert "give the reason for publishing a correction" in refused
    client.post(f"{BASE}/publish/", {"reason": "The council corrected its figures."})
    first, second = Report.objects.order_by("version")
    assert (second.version, second.supersedes, second.correction_reason) == (
        2,
        first,
        "The council corrected its figures.",
    )
    old = reader(GOV).get(f"{BASE}/v1/").content.decode()
    assert f'Superseded</strong> by <a href="{BASE}/v2/">version 2</a> on ' in old
    assert ": The council corrected its figures." in old
    assert "Own published progress." in old
    assert reader(GOV).get(f"{BASE}/").url == f"{BASE}/v2/"
    with pytest.raises(NeedsReason):
        Action.objects.filter(pk=world.own_action.pk).update(wording="Changed again")
        publish(world)


def test_compare_shows_the_word_diff_of_progress_and_the_figure_changes(world, reader):
    first, _ = publish(world)
    as_wg = access_for(world.users[WG], world.partnership)
    corrected_and_published(
        access=as_wg,
        item=world.published_updates["own"],
        fields={"text": "Own published progress, now late."},
        reason="x",
    )
    ReadingFactory(indicator=world.indicator, value=6500, period_start=date(2017, 1, 1), period_end=date(2017, 12, 31))
    second, _ = publish(world, reason="Late figures")
    page = reader(GOV).get(f"/kent-test/reports/compare/?a={second.pk}&b={first.pk}").content.decode()
    assert "inserted: </span>" in page and "now late." in page
    assert "6,122 (2016 (Jan–Dec))" in page and "6,500 (2017 (Jan–Dec))" in page and "<strong>Changed</strong>" in page
    assert "Progress unchanged." in page  # the other council's action


def _carried_into_next_year(world, reader) -> tuple[Report, Report]:
    """Last year's report; the plan rolled forward with Road Safety renamed Safer Roads; this year's first
    report, with new progress on the own council's carried action and none yet on the other's."""
    last_year, _ = publish(world)
    data = {"title": "Test Agreement 2018/19", "slug": "2018-19", "starts": "2018-04-01", "ends": "2019-03-31"}
    data |= {"confirm": "on", f"title_{world.plan_priority.pk}": "Safer Roads"}
    assert reader(WG).post("/kent-test/plans/2017-18/roll-forward/", data).status_code == 302
    new_plan = Plan.objects.get(slug="2018-19")
    cycle = ReportingCycleFactory(
        plan=new_plan,
        name="Q1 2018/19",
        period_start=date(2018, 4, 1),
        period_end=date(2018, 6, 30),
        update_deadline=date(2018, 7, 14),
    )
    carried = Action.objects.get(plan_priority__plan=new_plan, carried_from=world.own_action)
    PublishedUpdateFactory(action=carried, cycle=cycle, text="Own published progress. Carried on into 2018/19.")
    this_year, _ = report_publish(access=access_for(world.users[WG], world.partnership), cycle=cycle)
    return last_year, this_year


def test_a_report_records_where_each_carried_action_was_carried_from(world, reader):
    last_year, this_year = _carried_into_next_year(world, reader)
    (priority,) = this_year.snapshot["priorities"]
    assert {action["wording"]: action["carried_from"] for action in priority["actions"]} == {
        "Own council's action": world.own_action.pk,
        "Other council's action": world.other_action.pk,
    }
    assert this_year.snapshot["format"] == SNAPSHOT_FORMAT
    assert all("carried_from" not in action for action in last_year.snapshot["priorities"][0]["actions"])


def test_compare_across_a_roll_forward_pairs_each_carried_action_with_itself_last_year(world, reader):
    last_year, this_year = _carried_into_next_year(world, reader)
    page = reader(GOV).get(f"/kent-test/reports/compare/?a={this_year.pk}&b={last_year.pk}").content.decode()
    assert page.count("Own council&#x27;s action</h3>") == 1
    assert page.count("Other council&#x27;s action</h3>") == 1
    assert '<h3 class="h6">Safer Roads: Own council&#x27;s action</h3>' in page  # this year's title
    own = page[page.index("Safer Roads: Own council&#x27;s action") :]
    own = own[: own.index("</section>")]
    assert "Own published progress." in own and "inserted: </span>" in own and "Carried on into 2018/19." in own
    assert "deleted: </span>" not in own  # last year's words all kept
    other = page[page.index("Safer Roads: Other council&#x27;s action") :]
    other = other[: other.index("</section>")]
    # Nothing published yet this year: this year's report shows last year's progress, so nothing is deleted.
    assert "Progress unchanged." in other and "deleted: </span>" not in other


def test_reports_published_before_carried_from_was_kept_compare_by_id_as_before(world, reader):
    last_year, this_year = _carried_into_next_year(world, reader)
    later = ("carried_from", "progress_plan")  # what formats 4 and 5 added
    older_format = {
        **this_year.snapshot,
        "format": 3,
        "priorities": [
            {**priority, "actions": [{k: v for k, v in a.items() if k not in later} for a in priority["actions"]]}
            for priority in this_year.snapshot["priorities"]
        ],
    }
    compared = compare_snapshots(last_year.snapshot, older_format)
    assert [(row["priority"], row["wording"]) for row in compared["actions"]] == [
        ("Road Safety", "Own council's action"),
        ("Road Safety", "Other council's action"),
        ("Safer Roads", "Own council's action"),
        ("Safer Roads", "Other council's action"),
    ]
    assert snapshot_unchanged(older_format, build_snapshot(this_year.cycle))  # publishing again adds nothing


UNKNOWN = "There is no published report with that number in this partnership; choose one from the list."


@pytest.mark.parametrize(
    ("query", "message"),
    [("a=999999&b=1", UNKNOWN), ("a=x&b=y", UNKNOWN), ("a=&b=", "Choose an earlier report."), ("foreign", UNKNOWN)],
)
def test_compare_explains_unknown_or_foreign_reports_instead_of_failing(world, reader, query, message):
    mine, _ = publish(world)
    elsewhere = Report.objects.create(
        plan=world.other_plan,
        cycle=world.other_plan.cycles.get(),
        version=1,
        published_at=mine.published_at,
        published_by=world.users[WG],
        snapshot=mine.snapshot,
    )
    if query == "foreign":
        query = f"a={mine.pk}&b={elsewhere.pk}"
    response = reader(GOV).get(f"/kent-test/reports/compare/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Own published progress" not in page


def test_governing_group_sees_published_reports_only_and_the_working_group_can_publish(world, reader):
    publish(world)
    board = reader(GOV).get("/kent-test/reports/").content.decode()
    assert f'href="{BASE}/v1/"' in board and f'href="{BASE}/v1.pdf"' in board
    assert "/preview/" not in board and "/publish/" not in board
    assert reader(GOV).get(f"{BASE}/preview/").status_code == 403
    assert reader(GOV).post(f"{BASE}/publish/").status_code == 403
    wg = reader(WG).get("/kent-test/reports/").content.decode()
    assert f'href="{BASE}/preview/"' in wg and f'href="{BASE}/publish/"' in wg
    assert "Publish a correction" in reader(WG).get(f"{BASE}/v1/").content.decode()
    assert "Publish a correction" not in reader(GOV).get(f"{BASE}/v1/").content.decode()


def test_pdf_is_numbered_tagged_and_has_a_contents_list_with_page_numbers(world, reader):
    publish(world)
    response = reader(GOV).get(f"{BASE}/v1.pdf")
    assert response["Content-Type"] == "application/pdf"
    data = response.getvalue()
    document = pypdf.PdfReader(io.BytesIO(data))
    text = pdf_text(data)
    pages = len(document.pages)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert re.search(r"Priority: Road Safety \.+ ?\d+", text)
    catalog = document.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB" and "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert document.metadata.title.startswith("Test Agreement 2017/18: Action Plan & Performance Summary")


def test_building_a_snapshot_takes_the_same_queries_whatever_the_plan_size(world, django_assert_num_queries):
    with CaptureQueriesContext(connection) as queries:
        build_snapshot(world.cycle)
    small = len(queries)
    for number in range(3):
        plan_priority = PlanPriorityFactory(plan=world.plan, priority__slug=f"extra-{number}")
        NoteFactory(plan_priority=plan_priority, number=1)
        for _ in range(3):
            action = ActionFactory(plan_priority=plan_priority, leads=[world.own_org], supporters=[world.other_org])
            PublishedUpdateFactory(action=action, cycle=world.cycle)
        indicator = IndicatorFactory(partnership=world.partnership, priority=plan_priority.priority)
        ReadingFactory(indicator=indicator)
    with django_assert_num_queries(small):
        build_snapshot(world.cycle)


def test_render_pdf_draws_from_the_snapshot_only(world):
    report, _ = publish(world)
    report.snapshot["priorities"][0]["title"] = "Only In The Snapshot"
    assert "Only In The Snapshot" in pdf_text(render_pdf(report))


def test_report_pages_take_the_same_queries_whatever_the_plan_size(world, reader, django_assert_num_queries):
    publish(world)
    client = reader(WG)
    # Both previews start from an empty cache: the report's figures are kept per set of the plan's priorities,
    # which changes below, so both build them.
    cache.clear()
    with CaptureQueriesContext(connection) as preview:
        client.get(f"{BASE}/preview/")
    with CaptureQueriesContext(connection) as detail:
        client.get(f"{BASE}/v1/")
    for number in range(3):
        plan_priority = PlanPriorityFactory(plan=world.plan, priority__slug=f"more-{number}")
        for _ in range(3):
            PublishedUpdateFactory(action=ActionFactory(plan_priority=plan_priority), cycle=world.cycle)
    cache.clear()
    with django_assert_num_queries(len(preview)):
        client.get(f"{BASE}/preview/")
    with django_assert_num_queries(len(detail)):
        client.get(f"{BASE}/v1/")


def test_pdf_fetches_only_the_sites_static_files_and_never_the_network():
    fetcher = StaticFilesFetcher(base_url="http://127.0.0.1:8000/")
    assert b"@page" in fetcher.fetch("http://127.0.0.1:8000/static/css/report-pdf.css").read()
    for url in ("https://example.org/elsewhere/report.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="static files"):
            fetcher.fetch(url)


def test_the_stored_snapshot_is_the_built_one_and_a_new_version_reads_it_back(world):
    """The version is written from the frozen JSON text (issue 26): what is stored is what the report builds, and
    the version returned reads it from its row when asked."""
    expected = build_snapshot(world.cycle)
    report, created = publish(world)
    assert created
    assert Report.objects.get(pk=report.pk).snapshot == expected
    assert report.snapshot == expected
    assert report.snapshot_digest == snapshot_digest(expected)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL column's compression")
def test_on_postgresql_snapshots_are_compressed_with_lz4_where_the_server_has_it(db):
    """Storing a large snapshot costs PostgreSQL less CPU with lz4 than with pglz (issue 26)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        (available,) = cursor.fetchone()
        cursor.execute(
            "SELECT attcompression FROM pg_attribute"
            " WHERE attrelid = 'reports_report'::regclass AND attname = 'snapshot'"
        )
        (compression,) = cursor.fetchone()
    assert compression == ("l" if available else "")
