"""The report's trend charts (SVG, for the HTML and the PDF): a labelled value axis from zero with its
unit, periods placed by time with gaps and comparability breaks, and a single reading as a figure."""

import io
import re
from datetime import date

import pypdf
import pytest
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from indicators.models import ComparabilityNote, Geography
from indicators.periods import month_end
from reports.charts import indicator_chart_svg, nice_ceiling
from reports.services import report_publish
from tests.factories import GeographyFactory, IndicatorFactory, ReadingFactory

WG = "working_group"


@pytest.fixture
def kent(db):
    return GeographyFactory(name="Kent", kind=Geography.Kind.COUNTY)


def indicator_with(world, kent, slug, months, **fields):
    indicator = IndicatorFactory(
        partnership=world.partnership,
        priority=world.plan_priority.priority,
        slug=slug,
        name=slug.replace("-", " ").capitalize(),
        period_type="month",
        geography=kent,
        **fields,
    )
    for year, month, value in months:
        ReadingFactory(
            indicator=indicator, value=value, period_start=date(year, month, 1), period_end=month_end(year, month)
        )
    return indicator


def published_report(world, client):
    report, _ = report_publish(access=access_for(world.users[WG], world.partnership), cycle=world.cycle, reason="")
    client.force_login(world.users["governing"])
    return report, client.get(report.get_absolute_url()).content.decode()


def svg_of(page: str, element_id: str) -> str:
    start = page.index(f'aria-labelledby="{element_id}"')
    return page[page.rindex("<svg", 0, start) : page.index("</svg>", start)]


def test_report_trend_has_unit_axis_from_zero_periods_gaps_and_a_marked_break(world, kent, client):
    indicator = indicator_with(world, kent, "asb", [(2017, 1, 410), (2017, 2, 395), (2017, 4, 610), (2017, 5, 640)])
    ComparabilityNote.objects.create(indicator=indicator, effective_from=date(2017, 5, 1), text="New recording rules.")
    report, page = published_report(world, client)
    svg = svg_of(page, "chart-road-safety-asb")
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    # Value axis from zero, through the middle, up to a round top, titled with the unit.
    assert labels[:4] == ["0", "500", "1,000", "Count"]
    assert "Jan 2017" in labels and "May 2017" in labels and "Period ending" in labels
    assert "Not comparable" in labels
    assert 'class="comparability-break"' in svg and 'stroke-dasharray="3,2"' in svg
    # March is missing and May is after the break: three runs of line, only the first two points joined.
    assert len(re.findall(r"<polyline", svg)) == 1
    dots = re.search(r'<path class="points" d="([^"]*)"', svg).group(1)
    assert dots.count("M") == 4  # a dot (a circle in the one path of dots) at each published figure
    assert "Not comparable from here: New recording rules." in svg  # the <title> says it in words
    # The caption says in words what the chart shows and what its marks mean.
    assert (
        "Asb in Kent: the count for each period from January 2017, 410, to May 2017, 640. A gap is a period with "
        "no figure shown. The dashed upright line marks a change after which figures are not comparable." in page
    )
    figure = page[page.rindex("<figure", 0, page.index('aria-labelledby="chart-road-safety-asb"')) :]
    figure = figure[: figure.index("</figure>")]
    # The table alternative stays, in the same figure.
    assert '<th scope="row">May 2017</th><td>640</td>' in figure


def test_report_pdf_has_the_chart_axis_labels(world, kent, client):
    indicator_with(world, kent, "asb", [(2017, 1, 410), (2017, 2, 395)])
    report, _ = published_report(world, client)
    pdf = b"".join(client.get(reverse("report_pdf", kwargs=report.address_kwargs)).streaming_content)
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Period ending" in text and "Count" in text and "Jan 2017" in text


def test_a_single_reading_in_the_report_is_a_figure_not_a_chart(world, kent, client):
    indicator_with(world, kent, "one-stop-visitors", [(2017, 6, 3200)])
    report, page = published_report(world, client)
    assert 'aria-labelledby="chart-road-safety-one-stop-visitors"' not in page
    assert (
        '<figcaption class="report-small">One stop visitors in Kent: one published figure, 3,200 for June 2017, '
        "so no trend to chart.</figcaption>" in page
    )


def test_a_percentage_axis_starts_at_zero_too():
    chart = {
        "kind": "time",
        "unit": "percentage",
        "axis_title": "%",
        "begin_at_zero": True,
        "datasets": [
            {
                "label": "Repeat victims",
                "data": [
                    {"x": 24204, "y": 31.2, "label": "January 2017", "display": "31.2%"},
                    {"x": 24205, "y": 33.9, "label": "February 2017", "display": "33.9%"},
                ],
            }
        ],
        "ticks": {"24204": "Jan 2017", "24205": "Feb 2017"},
        "breaks": [],
    }
    svg = str(indicator_chart_svg({"name": "Repeat victims", "chart": chart}, element_id="c"))
    assert re.findall(r"<text[^>]*>([^<]*)</text>", svg)[:4] == ["0%", "25%", "50%", "%"]


def test_a_report_published_before_time_axes_points_to_its_table():
    old = {"name": "Burglaries", "series": [{"period": "2017 (Jan–Dec)", "value": "2700", "display": "2,700"}]}
    assert str(indicator_chart_svg(old, element_id="c")) == (
        '<p class="report-small">The figures by period are in the table below.</p>'
    )


@pytest.mark.parametrize(("top", "ceiling"), [(0, 1), (640, 1000), (39756, 50000), (535359, 1000000), (2.3, 2.5)])
def test_value_axis_top_is_a_round_number_above_the_largest_figure(top, ceiling):
    assert nice_ceiling(top) == ceiling
