"""Issue 27: what every output (web page, PDF, Word) states besides the plan itself: the plan's dates and
version, each cycle's months, the governing group's responses; periods as sources write them; charts
legible in print with a caption in words and the targets; the compact layout chosen in plan settings;
and reports published before all this (snapshot format 1) still render and still compare unchanged."""

import html
import io
import re
from datetime import date

import docx
import pytest
from django.utils import timezone

from configuration.services import plan_settings_update
from csa_tracker.accounts.access import access_for
from cycles.models import ReportingCycle
from indicators.models import Target
from priorities.models import Plan
from reports.models import Report
from reports.rendering import render_html, render_pdf
from reports.services import NeedsReason, report_publish
from reports.snapshot import build_snapshot, snapshot_digest, snapshot_unchanged
from reports.word import render_docx
from tests.audit_entries import entries
from tests.factories import IndicatorFactory, PublishedUpdateFactory, ReadingFactory, ReportingCycleFactory
from tests.paper import page_texts, squash
from tests.pdf_layout import words
from workflow.governing import escalation_respond
from workflow.services import item_escalate

WG, GOV = "working_group", "governing"
BASE = "/kent-test/reports/2017-18/q4-2017-18"


def publish(world, reason=""):
    report, _ = report_publish(access=access_for(world.users[WG], world.partnership), cycle=world.cycle, reason=reason)
    return report


def docx_text(data: bytes) -> str:
    """Every paragraph of the document, then of its tables (and tables in their cells), in order."""

    def of_tables(tables) -> list[str]:
        found = []
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    found += [paragraph.text for paragraph in cell.paragraphs] + of_tables(cell.tables)
        return found

    document = docx.Document(io.BytesIO(data))
    return "\n".join([*(p.text for p in document.paragraphs), *of_tables(document.tables)])


def said(text: str) -> str:
    """Text compared whatever its spacing and whether a label is followed by a colon (a web page's
    definition list has none): "Plan period: 1 April 2017" → "Planperiod1April2017"."""
    return squash(text).replace(":", "")


def outputs(report, client) -> dict[str, str]:
    """The report as each reader gets it, as `said` text: the web page, the PDF and the Word document."""
    page = client.get(report.get_absolute_url()).content.decode()
    body = html.unescape(
        re.sub(r"<[^>]+>", " ", page[page.index('<article class="report"') : page.index("</article>")])
    )
    return {
        "web": said(body),
        "pdf": said("".join(page_texts(render_pdf(report)))),
        "word": said(docx_text(render_docx(report))),
    }


@pytest.fixture
def october_year(world):
    """A partnership whose year starts in October: its first quarter of 2019/20 is October to December 2019."""
    world.partnership.year_start_month = 10
    world.partnership.save()
    Plan.objects.filter(pk=world.plan.pk).update(
        starts=date(2019, 10, 1), ends=date(2020, 9, 30), version_label="Version 2, November 2019"
    )
    world.cycle.name, world.cycle.period_start, world.cycle.period_end = (
        "Q1 2019/20",
        date(2019, 10, 1),
        date(2019, 12, 31),
    )
    world.cycle.save()
    earlier = ReportingCycleFactory(
        plan=world.plan, name="Q4 2018/19", period_start=date(2019, 7, 1), period_end=date(2019, 9, 30)
    )
    world.own_action.updates.all().delete()
    PublishedUpdateFactory(action=world.own_action, cycle=earlier, text="Progress from the quarter before.")
    return world


def test_every_output_states_the_plan_dates_version_and_the_cycles_months(october_year, client_as):
    world = october_year
    report = publish(world)
    for name, text in outputs(report, client_as(world.users[GOV])).items():
        for fact in (
            "Plan period: 1 October 2019 to 30 September 2020",
            "Plan version: Version 2, November 2019",
            "Reporting cycle: Q1 2019/20, October to December 2019",
            "Progress as published for Q4 2018/19, July to September 2019.",
        ):
            assert said(fact) in text, (name, fact)


def test_every_output_gives_the_governing_groups_responses(world, client_as):
    wg, governing = (access_for(world.users[role], world.partnership) for role in (WG, GOV))
    escalation = item_escalate(access=wg, item=world.published_updates["other_org"], note="Two chairs withdrew.")
    escalation_respond(
        access=governing,
        escalation=escalation,
        kind="action_requested",
        note="Find two new chairs.",
        owner=world.other_org,
        due=timezone.localdate(),
    )
    report = publish(world)
    for name, text in outputs(report, client_as(world.users[GOV])).items():
        assert said("Working Group note: Two chairs withdrew.") in text, name
        assert re.search(said(r"Governing group: Action requested \(\d+ \w+ \d{4}\): Find two new chairs\."), text)
        assert said("Requests from the governing group") in text, name


def test_the_governing_groups_responses_to_the_previous_cycles_escalations_are_in_the_next_report(world, client_as):
    wg, governing = (access_for(world.users[role], world.partnership) for role in (WG, GOV))
    escalation = item_escalate(access=wg, item=world.published_updates["other_org"], note="Two chairs withdrew.")
    escalation_respond(access=governing, escalation=escalation, kind="noted")
    later = ReportingCycleFactory(
        plan=world.plan, name="Q1 2018/19", period_start=date(2018, 4, 1), period_end=date(2018, 6, 30)
    )
    report, _ = report_publish(access=wg, cycle=later)
    expected = "Q4 2017/18, Other council's action: Noted (Working Group note: Two chairs withdrew.)"
    for name, text in outputs(report, client_as(world.users[GOV])).items():
        assert said(expected) in text, name


def test_a_year_ending_in_september_is_written_as_its_source_writes_it(world, client_as):
    """The ONS writes "year ending September 2017", not "2016/17 (Oct–Sep)"; a chart's tick names the month."""
    offences = IndicatorFactory(
        partnership=world.partnership,
        priority=world.plan_priority.priority,
        slug="da-offences",
        name="Domestic abuse-related offences",
        period_type="oct_sep",
    )
    for year, value in ((2016, 447950), (2017, 535359)):
        ReadingFactory(
            indicator=offences, value=value, period_start=date(year - 1, 10, 1), period_end=date(year, 9, 30)
        )
    report = publish(world)
    (indicator,) = [i for i in report.snapshot["priorities"][0]["indicators"] if i["slug"] == "da-offences"]
    assert indicator["latest"]["period"] == "year ending September 2017"
    assert indicator["comparison"]["baseline_period"] == "year ending September 2016"
    assert [point["period"] for point in indicator["series"]] == [
        "year ending September 2016",
        "year ending September 2017",
    ]
    assert sorted(indicator["chart"]["ticks"].values()) == ["Sep 2016", "Sep 2017"]
    for name, text in outputs(report, client_as(world.users[GOV])).items():
        assert said("year ending September 2017") in text and "(Oct–Sep)" not in text, name


def test_targets_are_drawn_on_the_chart_captioned_and_listed_with_the_figures(world, client_as):
    Target.objects.create(indicator=world.indicator, period_end=date(2015, 12, 31), value=5500)
    Target.objects.create(indicator=world.indicator, period_end=date(2016, 12, 31), value=5400)
    report = publish(world)
    page = client_as(world.users[GOV]).get(report.get_absolute_url()).content.decode()
    svg = page[page.index('<svg class="report-chart"') : page.index("</svg>")]
    assert svg.count('class="target"') == 2 and 'class="target-line"' in svg
    assert "Target for 2016 (Jan–Dec): 5,400." in svg  # the chart's title says it in words too
    assert "Squares joined by a dashed line are the targets (2015 (Jan–Dec), 5,500; 2016 (Jan–Dec), 5,400)." in page
    assert '<th scope="row">2016 (Jan–Dec)</th><td>6,122</td><td>5,400</td>' in page
    assert said("2016 (Jan–Dec) 6,122 5,400") in said(docx_text(render_docx(report)))


def test_chart_text_prints_at_7_points_or_more(world):
    """The axis text was about 5 px in print: it is drawn at 10 CSS px (7.5 pt) at the chart's own size."""
    data = render_pdf(publish(world))
    _, found = words(data)
    axis = [w for w in found if w.text == "ending"]  # "Period ending", under the time axis
    assert axis
    # DejaVu Sans's glyph box is 1.16 em tall: a 7 pt word's is 8.1 pt or more (the old charts' 5.2 pt).
    assert all(w.y_max - w.y_min >= 7 * 1.16 for w in axis)


def test_the_working_group_chooses_the_compact_layout_in_plan_settings_and_it_is_audited(world, client_as):
    client = client_as(world.users[WG])
    url = f"/kent-test/settings/plans/{world.plan.slug}/"
    page = client.get(url).content.decode()
    assert "The report&#x27;s layout on paper (PDF and Word)" in page and 'value="compact"' in page
    response = client.post(url, {"version_label": "", "action_table": "progress", "report_layout": "compact"})
    assert response.status_code == 302
    assert Plan.objects.get(pk=world.plan.pk).report_layout == "compact"
    assert entries(world.plan).last().changes == {"Report's layout": ["full", "compact"]}
    refused = client.post(url, {"version_label": "", "action_table": "progress", "report_layout": "tiny"})
    assert "what was sent is not one of the options" in refused.content.decode()
    report = publish(world)
    assert report.snapshot["plan"]["layout"] == "compact"
    html = render_html(report)
    assert '<article class="report report-compact"' in html
    assert '<h2 id="annex">Annex: trends and figures</h2>' in html
    assert html.index('id="escalations"') < html.index('id="annex"')  # the annex comes last
    annex = html[html.index('id="annex"') :]
    assert f'aria-labelledby="chart-road-safety-{world.indicator.slug}"' in annex  # the charts moved to the annex
    assert "Trends</h3>" not in html


def test_a_report_published_before_format_2_renders_as_it_was_published(world, client_as):
    """Published facts are not recomputed: a format 1 snapshot has no plan dates, no progress cycle dates
    and no targets, and its outputs say nothing of them rather than look them up now."""
    report = publish(world)
    snapshot = format_1(build_snapshot(world.cycle))
    Report.objects.filter(pk=report.pk).update(snapshot=snapshot)
    report.refresh_from_db()
    for name, text in outputs(report, client_as(world.users[GOV])).items():
        assert "Planperiod" not in text, name
        assert said("Reporting cycle: Q4 2017/18, January to March 2018") in text, name  # the cycle's stored dates


def format_1(snapshot: dict) -> dict:
    """A snapshot as format 1 stored it: without what format 2 added."""
    old = {**snapshot, "format": 1, "plan": {k: v for k, v in snapshot["plan"].items() if k not in ("starts", "ends")}}
    for priority in old["priorities"]:
        for action in priority["actions"]:
            action.pop("progress_cycle_start", None)
            action.pop("progress_cycle_end", None)
        for indicator in priority["indicators"]:
            indicator.pop("targets")
            indicator.pop("rating")
    return old


def test_a_format_1_report_published_again_unchanged_makes_no_new_version(world):
    report = publish(world)
    older = format_1(build_snapshot(world.cycle))  # stored as published then, its digest as the migration wrote it
    Report.objects.filter(pk=report.pk).update(snapshot=older, snapshot_digest=snapshot_digest(older))
    again, created = report_publish(access=access_for(world.users[WG], world.partnership), cycle=world.cycle)
    assert (again.pk, created) == (report.pk, False)
    # Choosing the compact layout since is a change: it needs a correction with a reason.
    plan_settings_update(
        access=access_for(world.users[WG], world.partnership), plan=world.plan, fields={"report_layout": "compact"}
    )
    cycle = ReportingCycle.objects.select_related("plan").get(pk=world.cycle.pk)
    assert not snapshot_unchanged(Report.objects.get(pk=report.pk).snapshot, build_snapshot(cycle))
    with pytest.raises(NeedsReason):
        report_publish(access=access_for(world.users[WG], world.partnership), cycle=world.cycle)
