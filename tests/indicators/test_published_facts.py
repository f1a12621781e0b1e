"""Published facts are stored, not recomputed (issue 23, kind 4).

Case B24-year-start-july.py (tests/data/cases/): the partnership moves its year to July; a year-to-date
figure published under an April year still reads "2017/18 year to date (Apr–Feb 2018)" on the dashboard,
the indicator page, the report and in open data (CSV and JSON), whose period_start is the stored row's.
Each setting a figure reads by (the year's start month, an area's name, an indicator's unit) leaves
published figures as they were published while new ones follow it; the year's form says so before saving.
"""

import csv
import io
import json
from datetime import date

import pytest
from django.urls import reverse

from indicators.models import IndicatorReading
from reports.models import Report, cycle_slug
from tests.factories import IndicatorFactory
from tests.html_forms import post_forms
from tests.paths import ROOT

SLUG = "kent-test"
CASE = ROOT / "tests" / "data" / "cases" / "B24-year-start-july.py"
PUBLISHED_LABEL = "2017/18 year to date (Apr–Feb 2018)"


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"partnership": SLUG, **kwargs})


@pytest.fixture
def scams(world):
    """The case's year-to-date indicator, reported in the world's plan priority."""
    indicator = IndicatorFactory(
        partnership=world.partnership,
        priority=world.plan_priority.priority,
        slug="scam-victims-supported",
        name="Scam victims supported",
        period_type="year_to_date",
        geography=world.indicator.geography,
        unit="count",
    )
    indicator.leads.set([world.own_org])
    return indicator


def publish(world, client_as, indicator, *, end: str, value: str) -> IndicatorReading:
    """A partner submits a figure through the reading form; the Working Group publishes it from review."""
    partner = client_as(world.users["partner"])
    data = {"geography": indicator.geography_id, "period_end": end, "value": value, "submit": "1"}
    assert partner.post(url("reading_start", indicator=indicator.slug), data).status_code == 302
    reading = IndicatorReading.objects.get(indicator=indicator, period_end=date.fromisoformat(end))
    reviewer = client_as(world.users["working_group"])
    decision = {"decision": "publish", "comment": "", "version": reading.version}
    assert reviewer.post(url("review_reading", pk=reading.pk), decision).status_code == 302
    reading.refresh_from_db()
    assert reading.state == "published"
    return reading


def settings_change(client, page: str, **changes) -> tuple[str, object]:
    """A settings form changed as a person does: the form as shown, changed and saved; then, on the
    page that says what the change concerns, the form as it is shown there saved with the confirming
    button. Returns the warning page's text and the confirmed save's response."""
    form = post_forms(client.get(page).content.decode(), page)[0]
    warned = client.post(page, form.data(**changes))
    assert warned.status_code == 200
    html = warned.content.decode()
    return html, client.post(page, post_forms(html, page)[0].data(button="confirm"))


def move_year(client, month: str):
    return settings_change(client, url("settings_year"), year_start_month=month)[1]


def open_data(client, indicator) -> tuple[dict, dict]:
    """The indicator's figure in figures.json and in figures.csv."""
    query = f"?indicator={indicator.slug}"
    figures = json.loads(client.get(url("opendata_figures_json") + query).content)["figures"]
    text = client.get(url("opendata_figures_csv") + query).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(figures) == len(rows) == 1
    return figures[0], rows[0]


def test_the_case_file_is_the_one_tested():
    assert "settings/year/" in CASE.read_text(encoding="utf-8")
    assert "select_option('select[name=year_start_month]', value='7')" in CASE.read_text(encoding="utf-8")


def test_moving_the_year_to_july_leaves_a_published_year_to_date_figure_as_published(world, scams, client_as):
    reading = publish(world, client_as, scams, end="2018-02-28", value="321")
    assert reading.period_start == date(2017, 4, 1)
    reviewer = client_as(world.users["working_group"])
    report_page = url("report_publish", plan=world.plan.slug, cycle=cycle_slug(world.cycle))
    assert reviewer.post(report_page, {"reason": ""}).status_code == 302
    report = Report.objects.get(cycle=world.cycle)
    assert PUBLISHED_LABEL in json.dumps(report.snapshot, ensure_ascii=False)

    move_year(reviewer, "7")
    world.partnership.refresh_from_db()
    assert world.partnership.year_start_month == 7

    governing = client_as(world.users["governing"])
    for page in (
        url("indicator_page", slug=scams.slug),
        url("dashboard"),
        url("report_detail", plan=world.plan.slug, cycle=cycle_slug(world.cycle), version=report.version),
    ):
        text = governing.get(page).content.decode()
        assert PUBLISHED_LABEL in text, page
        assert "(Jul–Feb 2018)" not in text, page
    indicator_csv = governing.get(url("indicator_csv", slug=scams.slug)).content.decode("utf-8-sig")
    assert f"{PUBLISHED_LABEL},2017-04-01,2018-02-28" in indicator_csv
    figure, row = open_data(governing, scams)
    reading.refresh_from_db()
    assert figure["period_label"] == row["period_label"] == PUBLISHED_LABEL
    assert figure["period_start"] == row["period_start"] == reading.period_start.isoformat() == "2017-04-01"
    assert figure["period_end"] == row["period_end"] == reading.period_end.isoformat()

    # Published again after the change, the report reads the stored facts: nothing in it has changed.
    reviewer.post(report_page, {"reason": ""})
    assert Report.objects.filter(cycle=world.cycle).count() == 1


def test_a_figure_published_after_the_year_moves_follows_the_new_year(world, scams, client_as):
    publish(world, client_as, scams, end="2018-02-28", value="321")
    move_year(client_as(world.users["working_group"]), "7")
    later = publish(world, client_as, scams, end="2019-02-28", value="400")
    assert later.period_start == date(2018, 7, 1)
    page = client_as(world.users["governing"]).get(url("indicator_page", slug=scams.slug)).content.decode()
    assert "2018/19 year to date (Jul–Feb 2019)" in page
    assert PUBLISHED_LABEL in page


def test_a_draft_started_before_the_year_moves_is_published_by_the_new_year(world, scams, client_as):
    data = {"geography": scams.geography_id, "period_end": "2018-02-28", "value": "321", "save": "1"}
    client_as(world.users["partner"]).post(url("reading_start", indicator=scams.slug), data)
    draft = IndicatorReading.objects.get(indicator=scams)
    assert draft.period_start == date(2017, 4, 1)
    move_year(client_as(world.users["working_group"]), "7")
    draft.refresh_from_db()
    assert draft.published_year_start is None
    submit = {"geography": scams.geography_id, "period_end": "2018-02-28", "value": "321", "submit": "1"}
    assert client_as(world.users["partner"]).post(url("reading_edit", pk=draft.pk), submit).status_code == 302
    draft.refresh_from_db()
    decision = {"decision": "publish", "comment": "", "version": draft.version}
    client_as(world.users["working_group"]).post(url("review_reading", pk=draft.pk), decision)
    draft.refresh_from_db()
    assert (draft.state, draft.period_start, draft.period.label) == (
        "published",
        date(2017, 7, 1),
        "2017/18 year to date (Jul–Feb 2018)",
    )


def test_a_renamed_area_leaves_published_figures_with_the_name_they_were_published_with(world, scams, client_as):
    publish(world, client_as, scams, end="2018-02-28", value="321")
    area = scams.geography
    old_name = area.name
    page = url("settings_vocabulary_edit", kind="areas", pk=area.pk)
    warning, saved = settings_change(client_as(world.users["working_group"]), page, name="Kent and Medway")
    # The world's two figures for the area and another indicator's, besides the case's; two are waiting.
    assert f"4 published figures keep the area&#x27;s name “{old_name}”, as published." in warning
    assert "2 figures not yet published (drafts and figures waiting for review) will follow the change." in warning
    assert "Figures published from now on read “Kent and Medway”." in warning
    assert saved.status_code == 302
    area.refresh_from_db()
    assert area.name == "Kent and Medway"
    later = publish(world, client_as, scams, end="2019-02-28", value="400")
    assert later.published_area_name == "Kent and Medway"
    governing = client_as(world.users["governing"])
    figures = json.loads(governing.get(url("opendata_figures_json") + f"?indicator={scams.slug}").content)["figures"]
    assert [(f["period_end"], f["area_name"]) for f in figures] == [
        ("2018-02-28", old_name),
        ("2019-02-28", "Kent and Medway"),
    ]
    indicator_csv = governing.get(url("indicator_csv", slug=scams.slug)).content.decode("utf-8-sig")
    assert f"Scam victims supported,{old_name}," in indicator_csv
    assert "Scam victims supported,Kent and Medway," in indicator_csv


def test_a_changed_unit_leaves_published_figures_in_the_unit_they_were_published_in(world, scams, client_as):
    publish(world, client_as, scams, end="2018-02-28", value="321")
    page = url("settings_indicator", slug=scams.slug)
    warning, saved = settings_change(client_as(world.users["working_group"]), page, unit="percentage")
    assert "1 published figure keeps its unit, count, as published." in warning
    assert "Figures published from now on follow the new unit, percentage." in warning
    assert saved.status_code == 302
    scams.refresh_from_db()
    assert scams.unit == "percentage"
    later = publish(world, client_as, scams, end="2019-02-28", value="12.5")
    assert later.published_unit == "percentage"
    governing = client_as(world.users["governing"])
    figures = json.loads(governing.get(url("opendata_figures_json") + f"?indicator={scams.slug}").content)["figures"]
    assert [(f["period_end"], f["unit"], f["value"], f["count"]) for f in figures] == [
        ("2018-02-28", "count", 321, 321),
        ("2019-02-28", "percentage", 12.5, None),
    ]
    page = governing.get(url("indicator_page", slug=scams.slug)).content.decode()
    assert "321%" not in page
    assert "12.5%" in page


def test_a_changed_period_type_leaves_published_figures_with_the_period_they_were_published_for(
    world, scams, client_as
):
    publish(world, client_as, scams, end="2018-02-28", value="321")
    page = url("settings_indicator", slug=scams.slug)
    warning, saved = settings_change(client_as(world.users["working_group"]), page, period_type="calendar_year")
    assert "1 published figure keeps its period, The partnership&#x27;s year to date, as published." in warning
    assert "Figures published from now on follow the new period, Calendar year (Jan–Dec)." in warning
    assert saved.status_code == 302
    later = publish(world, client_as, scams, end="2018-12-31", value="500")
    assert later.period_start == date(2018, 1, 1)
    governing = client_as(world.users["governing"])
    page = governing.get(url("indicator_page", slug=scams.slug)).content.decode()
    assert PUBLISHED_LABEL in page
    assert "2018 (Jan–Dec)" in page
    figures = json.loads(governing.get(url("opendata_figures_json") + f"?indicator={scams.slug}").content)["figures"]
    assert [(f["period_type"], f["period_label"], f["period_start"]) for f in figures] == [
        ("year_to_date", PUBLISHED_LABEL, "2017-04-01"),
        ("calendar_year", "2018 (Jan–Dec)", "2018-01-01"),
    ]


def test_the_year_form_warns_before_a_change_that_concerns_published_figures(world, scams, client_as):
    publish(world, client_as, scams, end="2018-02-28", value="321")
    reviewer = client_as(world.users["working_group"])
    response = reviewer.post(url("settings_year"), {"year_start_month": "7"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check before saving" in page
    assert "1 published figure keeps the period and label as published." in page
    assert (
        f"For example “Scam victims supported, {PUBLISHED_LABEL}” still reads so; a figure for the same month "
        "published now would read “2017/18 year to date (Jul–Feb 2018)”." in page
    )
    assert "Figures published from now on follow a year from July." in page
    assert '<option value="7" selected>July</option>' in page  # what the person chose is kept
    assert 'name="confirm" value="yes"' in page
    world.partnership.refresh_from_db()
    assert world.partnership.year_start_month == 4  # nothing saved yet
    response = reviewer.post(url("settings_year"), {"year_start_month": "7", "confirm": "yes"})
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.year_start_month == 7


def test_the_year_form_saves_at_once_when_no_figure_follows_the_year(world, client_as):
    response = client_as(world.users["working_group"]).post(url("settings_year"), {"year_start_month": "7"})
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.year_start_month == 7
