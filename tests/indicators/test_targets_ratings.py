"""Issue 25: each indicator's target beside its figure, rated met / within tolerance / missed by one rule
(`indicators.targets.rate_against_target`), in every output of a figure: the dashboards, the indicator
list, the report (web page, PDF, Word) and open data (CSV, JSON); a suppressed figure is never rated."""

import csv
import html
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from configuration.services import target_set
from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from indicators.models import Geography, Indicator, Polarity, Unit
from indicators.targets import Rating, rate_against_target
from reports.services import report_publish
from tests.conftest import ROLES
from tests.factories import GeographyFactory, IndicatorFactory, ReadingFactory
from tests.paper import page_texts, squash
from tests.reports.test_reports_facts_and_charts import docx_text

SLUG = "kent-test"
HIGHER, LOWER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"partnership": SLUG, **kwargs})


@pytest.mark.parametrize(
    ("polarity", "value", "expected"),
    [
        # Higher is better, target 100, tolerance 5% of it: 95 to just under 100 is within tolerance.
        (HIGHER, "100", Rating.MET),
        (HIGHER, "100.01", Rating.MET),
        (HIGHER, "99.99", Rating.WITHIN_TOLERANCE),
        (HIGHER, "95", Rating.WITHIN_TOLERANCE),
        (HIGHER, "94.99", Rating.MISSED),
        # Lower is better: up to 105 is within tolerance.
        (LOWER, "100", Rating.MET),
        (LOWER, "99.99", Rating.MET),
        (LOWER, "100.01", Rating.WITHIN_TOLERANCE),
        (LOWER, "105", Rating.WITHIN_TOLERANCE),
        (LOWER, "105.01", Rating.MISSED),
    ],
)
def test_the_rating_rule_at_its_boundaries(polarity, value, expected):
    rating = rate_against_target(value=Decimal(value), target=Decimal(100), polarity=polarity, tolerance_pct=5)
    assert rating == expected


@pytest.mark.parametrize(("polarity", "expected"), [(HIGHER, Rating.MISSED), (LOWER, Rating.MISSED)])
def test_without_a_tolerance_any_shortfall_is_missed(polarity, expected):
    short = Decimal("99.99") if polarity == HIGHER else Decimal("100.01")
    assert rate_against_target(value=short, target=Decimal(100), polarity=polarity, tolerance_pct=0) == expected


def test_an_indicator_with_no_better_direction_is_not_rated():
    rating = rate_against_target(value=Decimal(5), target=Decimal(5), polarity=Polarity.NEITHER, tolerance_pct=5)
    assert rating is None


def test_a_figure_is_rated_as_it_is_shown():
    """79.96% is shown as 80.0%: against a target of 80% (higher is better) it is met, not short."""
    rating = rate_against_target(
        value=Decimal("79.96"), target=Decimal(80), polarity=HIGHER, tolerance_pct=0, unit=Unit.PERCENTAGE
    )
    assert rating == Rating.MET
    rating = rate_against_target(
        value=Decimal("79.94"), target=Decimal(80), polarity=HIGHER, tolerance_pct=0, unit=Unit.PERCENTAGE
    )
    assert rating == Rating.MISSED


@pytest.fixture
def rated(world):
    """The world's road casualties (6,122 in 2016, lower is better) against a target of 6,000 with a 5%
    tolerance (up to 6,300): within tolerance. Beside it, Ashford's burglaries: 3, a district count below 5,
    so suppressed, against a target of 10: shown, not rated. Both in the published report."""
    working_group = access_for(world.users[Role.WORKING_GROUP], world.partnership)
    Indicator.objects.filter(pk=world.indicator.pk).update(target_tolerance_pct=5)
    target_set(access=working_group, indicator=world.indicator, period_end=date(2016, 12, 31), value=Decimal(6000))
    kent = world.indicator.geography
    ashford = GeographyFactory(partnership=world.partnership, name="Ashford", kind=Geography.Kind.DISTRICT, parent=kent)
    burglaries = IndicatorFactory(
        partnership=world.partnership,
        priority=world.plan_priority.priority,
        name="Ashford burglaries",
        slug="ashford-burglaries",
        geography=ashford,
    )
    ReadingFactory(indicator=burglaries, value=3, period_start=date(2016, 1, 1), period_end=date(2016, 12, 31))
    target_set(access=working_group, indicator=burglaries, period_end=date(2016, 12, 31), value=Decimal(10))
    report, _ = report_publish(access=working_group, cycle=world.cycle, reason="")
    world.report = report
    return world


def row_of(page: str, name: str) -> str:
    """The table row (as HTML) whose indicator is `name`."""
    rows = [row for row in re.split(r"<tr[ >]", page) if f">{name}<" in row]
    assert len(rows) == 1, name
    return rows[0]


ROAD_CELLS = (
    '<td data-label="Target">6,000</td>\n'
    '<td data-label="Rating against target"><span class="target-rating target-rating-within_tolerance">'
    "Within tolerance</span></td>"
)
ASHFORD_CELLS = (
    '<td data-label="Target">10</td>\n'
    '<td data-label="Rating against target"><span class="target-rating">Not rated</span></td>'
)


@pytest.mark.parametrize("role", ROLES)
def test_the_indicator_list_shows_each_target_and_its_rating_in_words(rated, client_as, role):
    page = client_as(rated.users[role]).get(url("indicator_list")).content.decode()
    assert '<th scope="col">Target</th><th scope="col">Rating against target</th>' in page
    assert ROAD_CELLS in row_of(page, "Road casualties")
    ashford = row_of(page, "Ashford burglaries")
    assert "fewer than 5" in ashford
    assert ASHFORD_CELLS in ashford


@pytest.mark.parametrize("role", [Role.WORKING_GROUP, Role.GOVERNING, Role.ADMIN])
def test_the_governing_dashboard_shows_each_target_and_its_rating(rated, client_as, role):
    page = client_as(rated.users[role]).get(url("dashboard")).content.decode()
    assert ROAD_CELLS in row_of(page, "Road casualties")
    assert ASHFORD_CELLS in row_of(page, "Ashford burglaries")


@pytest.mark.parametrize("role", ROLES)
def test_the_indicator_page_says_the_target_and_rating(rated, client_as, role):
    client = client_as(rated.users[role])
    page = client.get(url("indicator_page", slug=rated.indicator.slug)).content.decode()
    assert '<span class="target-rating">Target 6,000: within tolerance.</span>' in page
    page = client.get(url("indicator_page", slug="ashford-burglaries")).content.decode()
    assert '<span class="target-rating">Target 10: not rated.</span>' in page


def report_text(page: str) -> str:
    body = page[page.index('<article class="report"') : page.index("</article>")]
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.mark.parametrize("role", ROLES)
def test_the_report_shows_each_target_and_its_rating_in_html_pdf_and_word(rated, client_as, role):
    client = client_as(rated.users[role])
    address = rated.report.get_absolute_url()  # .../v1/; the PDF and Word files are .../v1.pdf, .../v1.docx
    page = client.get(address).content.decode()
    assert '<th scope="col">Target and rating</th>' in page
    assert '<td data-label="Target and rating">6,000<span class="report-small">Within tolerance</span></td>' in page
    assert '<td data-label="Target and rating">10<span class="report-small">Not rated</span></td>' in page
    pdf = client.get(address.rstrip("/") + ".pdf")
    word = client.get(address.rstrip("/") + ".docx")
    texts = {
        "web": report_text(page),
        "pdf": squash("".join(page_texts(b"".join(pdf.streaming_content)))),
        "word": squash(docx_text(b"".join(word.streaming_content))),
    }
    for name, text in texts.items():
        assert "Targetandrating" in text, name
        assert "6,000Withintolerance" in text, name
        assert "10Notrated" in text, name  # Ashford's hidden count: its target, no rating


def figures_json(client) -> dict:
    return client.get(url("opendata_figures_json")).json()


@pytest.mark.parametrize("role", ROLES)
def test_open_data_carries_the_target_and_rating_of_each_figure(rated, client_as, role):
    client = client_as(rated.users[role])
    data = figures_json(client)
    indicators = {found["slug"]: found["target_tolerance_pct"] for found in data["indicators"]}
    assert indicators[rated.indicator.slug] == 5
    assert indicators["ashford-burglaries"] == 0
    figures = {
        (figure["indicator"], figure["area_name"], figure["period_end"]): (
            figure["value"],
            figure["suppressed"],
            figure["target"],
            figure["rating"],
        )
        for figure in data["figures"]
        if figure["indicator"] in (rated.indicator.slug, "ashford-burglaries")
    }
    assert figures == {
        (rated.indicator.slug, "Kent", "2015-12-31"): (5799, False, None, None),
        (rated.indicator.slug, "Kent", "2016-12-31"): (6122, False, 6000, "within_tolerance"),
        ("ashford-burglaries", "Ashford", "2016-12-31"): (None, True, 10, None),
    }
    response = client.get(url("opendata_figures_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    found = {
        (row["indicator"], row["period_end"]): (row["value"], row["target"], row["rating"])
        for row in rows
        if row["indicator"] in (rated.indicator.slug, "ashford-burglaries")
    }
    assert found == {
        (rated.indicator.slug, "2015-12-31"): ("5799", "", ""),
        (rated.indicator.slug, "2016-12-31"): ("6122", "6000", "within_tolerance"),
        ("ashford-burglaries", "2016-12-31"): ("", "10", ""),
    }


def test_a_target_only_rates_the_figure_at_the_indicators_own_area(rated, client_as):
    """Targets are the partnership's for the indicator's own area: a district's figure of the same
    period carries none."""
    kent = rated.indicator.geography
    dover = GeographyFactory(partnership=rated.partnership, name="Dover", kind=Geography.Kind.DISTRICT, parent=kent)
    ReadingFactory(indicator=rated.indicator, geography=dover, value=40, period_end=date(2016, 12, 31))
    data = figures_json(client_as(rated.users[Role.PARTNER]))
    dover_figures = [figure for figure in data["figures"] if figure["area_name"] == "Dover"]
    assert [(f["value"], f["target"], f["rating"]) for f in dover_figures] == [(40, None, None)]


def test_the_tolerance_is_set_on_the_indicator_form_with_its_label_and_help(rated, client_as):
    client = client_as(rated.users[Role.WORKING_GROUP])
    page = client.get(url("settings_indicator", slug=rated.indicator.slug)).content.decode()
    assert "Target tolerance (% of the target)" in page
    assert "is rated “within tolerance” rather than “missed”" in page


def list_queries(client) -> int:
    cache.clear()  # the figures are built on each request measured, not served from the cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("indicator_list")).status_code == 200
    return len(captured.captured_queries)


def test_the_indicator_list_reads_targets_without_a_query_per_indicator(rated, client_as):
    client = client_as(rated.users[Role.PARTNER])
    before = list_queries(client)
    working_group = access_for(rated.users[Role.WORKING_GROUP], rated.partnership)
    for number in range(6):
        indicator = IndicatorFactory(partnership=rated.partnership, geography=rated.indicator.geography)
        ReadingFactory(indicator=indicator, value=number, period_start=date(2016, 1, 1), period_end=date(2016, 12, 31))
        target_set(access=working_group, indicator=indicator, period_end=date(2016, 12, 31), value=Decimal(number))
    assert list_queries(client) == before


@pytest.mark.parametrize("typed", ["-1", "100.5"])
def test_a_tolerance_out_of_range_is_refused_naming_the_field(rated, client_as, typed):
    client = client_as(rated.users[Role.WORKING_GROUP])
    form = client.get(url("settings_indicator", slug=rated.indicator.slug)).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {
        "areas": [area.pk for area in form.initial["areas"]],
        "leads": [organisation.pk for organisation in form.initial["leads"]],
        "headline": "on",
        "target_tolerance_pct": typed,
    }
    response = client.post(url("settings_indicator", slug=rated.indicator.slug), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "target_tolerance_pct": ["Target tolerance (% of the target) must be from 0 to 100, e.g. 5."]
    }
    assert f'value="{typed}"' in response.content.decode()
    assert Indicator.objects.get(pk=rated.indicator.pk).target_tolerance_pct == 5
