"""In the browser: Chart.js draws the indicator series on a time axis from zero, with the gap and the
comparability break as the data says; the open data pages and a public report read by a signed-out
resident pass the accessibility checks."""

from datetime import date

import pytest

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Partnership
from indicators.models import ComparabilityNote
from indicators.periods import month_end
from reports.services import report_publish
from tests.factories import PASSWORD, IndicatorFactory, ReadingFactory

from .checks import page_problems, screenshot
from .drivers import Mouse

pytestmark = pytest.mark.browser

CHART_JS = """() => {
  const chart = Chart.getChart(document.querySelector('canvas[data-chart="series-chart"]'));
  return {
    xType: chart.scales.x.type,
    yMin: chart.scales.y.min,
    yTitle: chart.options.scales.y.title.text,
    ticks: chart.scales.x.ticks.map(t => t.label),
    values: chart.data.datasets[0].data.map(p => p.y),
    spanGaps: chart.data.datasets[0].spanGaps,
    breaks: chart.options.plugins.comparabilityBreaks.breaks.map(b => b.label),
  };
}"""


def test_the_series_chart_has_a_time_axis_from_zero_with_its_gap_and_break(world, live_server, page):
    indicator = IndicatorFactory(
        partnership=world.partnership,
        slug="asb",
        name="ASB incidents",
        period_type="month",
        geography=world.indicator.geography,
    )
    for month, value in ((1, 410), (2, 395), (4, 610), (5, 640)):
        ReadingFactory(
            indicator=indicator, value=value, period_start=date(2017, month, 1), period_end=month_end(2017, month)
        )
    ComparabilityNote.objects.create(indicator=indicator, effective_from=date(2017, 5, 1), text="New recording rules.")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    driver = Mouse(page, live_server.url)
    driver.sign_in(world.users["governing"].username, PASSWORD)
    driver.visit(f"/{world.partnership.slug}/indicators/asb/")
    drawn = page.evaluate(CHART_JS)
    screenshot(page, "charts", "series-with-gap-and-break")
    assert errors == []
    assert drawn["xType"] == "linear" and drawn["yMin"] == 0 and drawn["yTitle"] == "Count"
    assert drawn["ticks"] == ["Jan 2017", "Feb 2017", "Apr 2017", "May 2017"]
    assert drawn["values"] == [410, 395, None, 610, None, 640] and drawn["spanGaps"] is False
    assert drawn["breaks"] == ["Not comparable"]
    assert page_problems(page, "charts/indicator") == []


def test_open_data_and_settings_pages_pass_accessibility_checks(world, live_server, page):
    driver = Mouse(page, live_server.url)
    driver.sign_in(world.users["working_group"].username, PASSWORD)
    for path, name in (("open-data/", "open-data"), ("open-data/settings/", "open-data-settings")):
        driver.visit(f"/{world.partnership.slug}/{path}")
        screenshot(page, "working_group", name)
        assert page_problems(page, f"working_group/{name}") == []


def test_a_resident_reads_a_public_report_without_signing_in(world, live_server, page):
    report, _ = report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    Partnership.objects.filter(pk=world.partnership.pk).update(open_data_public=True)
    page.goto(live_server.url + report.get_absolute_url())
    screenshot(page, "anonymous", "public-report")
    assert page.get_by_role("heading", level=1).inner_text().endswith("Action Plan & Performance Summary")
    assert page_problems(page, "anonymous/public-report") == []
    page.goto(f"{live_server.url}/{world.partnership.slug}/open-data/")
    assert page_problems(page, "anonymous/open-data") == []
