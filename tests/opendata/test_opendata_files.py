"""The open data files: valid against their JSON Schemas, published material only (never a draft, a
submitted or returned item, or a suppressed count), numbers as numbers, ISO dates, ONS area codes."""

import csv
import io
import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from jsonschema import Draft202012Validator

from csa_tracker.accounts.access import access_for
from indicators.models import Geography, Population
from reports.services import report_publish
from tests.factories import ActionFactory, GeographyFactory, IndicatorFactory, ProgressUpdateFactory, ReadingFactory
from tests.paths import ROOT
from workflow.models import ReviewState

SCHEMAS = ROOT / "opendata" / "schema" / "v1"
SLUG = "kent-test"


def url(name: str) -> str:
    return reverse(name, kwargs={"partnership": SLUG})


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def published(world):
    """The world's plan with a published report, a draft, a returned and the world's submitted
    progress; a draft and a submitted reading; a suppressed district count beside a shown one."""
    kent = world.indicator.geography
    kent.code = "E10000016"
    kent.save()
    Population.objects.create(geography=kent, year=2016, value=1540000)
    ashford = GeographyFactory(name="Ashford", kind=Geography.Kind.DISTRICT, parent=kent, code="E07000105")
    dover = GeographyFactory(name="Dover", kind=Geography.Kind.DISTRICT, parent=kent, code="E07000108")
    for area, value in ((ashford, 3), (dover, 12)):
        ReadingFactory(
            indicator=world.indicator,
            geography=area,
            value=value,
            period_start=date(2016, 1, 1),
            period_end=date(2016, 12, 31),
        )
    ReadingFactory(
        indicator=world.indicator,
        value=7777,
        period_start=date(2014, 1, 1),
        period_end=date(2014, 12, 31),
        state=ReviewState.DRAFT,
    )
    drafted = ActionFactory(plan_priority=world.plan_priority, wording="Action with a draft", leads=[world.own_org])
    ProgressUpdateFactory(action=drafted, cycle=world.cycle, text="Draft progress, never public.")
    returned = ActionFactory(
        plan_priority=world.plan_priority, wording="Action with a returned update", leads=[world.own_org]
    )
    ProgressUpdateFactory(
        action=returned, cycle=world.cycle, text="Returned progress, never public.", state=ReviewState.RETURNED
    )
    report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle, reason="")
    return world


UNPUBLISHED = [
    "Submitted progress (own).",
    "Submitted progress (other_org).",
    "Draft progress, never public.",
    "Returned progress, never public.",
]


@pytest.mark.parametrize(
    ("name", "schema_name"),
    [
        ("opendata_index", "index"),
        ("opendata_plan_json", "plan"),
        ("opendata_actions_json", "actions"),
        ("opendata_figures_json", "figures"),
    ],
)
def test_each_json_file_validates_against_its_schema_in_the_repository(published, client_as, name, schema_name):
    response = client_as(published.users["governing"]).get(url(name))
    assert response["Content-Type"] == "application/json"
    data = response.json()
    Draft202012Validator.check_schema(schema(schema_name))
    errors = [error.message for error in Draft202012Validator(schema(schema_name)).iter_errors(data)]
    assert errors == []
    assert data["schema"] == f"http://testserver/open-data/schema/v1/{schema_name}.json"
    assert data["version"] == "v1" and data["partnership"]["slug"] == SLUG


def test_the_schema_rejects_a_suppressed_figure_that_carries_its_number():
    validator = Draft202012Validator(schema("figures"))
    figure = {
        "indicator": "x", "indicator_name": "X", "unit": "count", "period_type": "calendar_year",
        "period_label": "2016 (Jan–Dec)", "period_start": "2016-01-01", "period_end": "2016-12-31",
        "area_code": "E07000105", "area_name": "Ashford", "area_kind": "district",
        "value": 3, "count": 3, "rate_per_1000": None, "suppressed": True, "approximate": False,
        "target": 10, "rating": None,
    }  # fmt: skip

    def figure_errors(candidate):
        return [
            e.message
            for e in validator.iter_errors({"figures": [candidate]})
            if list(e.absolute_path)[:1] == ["figures"]
        ]

    assert figure_errors(figure) == ["3 is not of type 'null'", "3 is not of type 'null'"]  # a hidden count's number
    assert figure_errors(figure | {"value": None, "count": None}) == []
    # Nor is a hidden figure rated against its target (issue 25).
    rated = figure | {"value": None, "count": None, "rating": "missed"}
    assert figure_errors(rated) == ["'missed' is not of type 'null'"]


def test_the_served_schema_is_the_file_in_the_repository_and_needs_no_sign_in(client):
    response = client.get(reverse("opendata_schema", kwargs={"name": "figures"}))
    assert response.status_code == 200 and response["Content-Type"] == "application/schema+json"
    assert json.loads(b"".join(response.streaming_content)) == schema("figures")
    assert client.get(reverse("opendata_schema", kwargs={"name": "secrets"})).status_code == 404


def test_drafts_submitted_and_returned_progress_never_appear_in_json_or_csv(published, client_as):
    client = client_as(published.users["working_group"])  # who sees every draft on the pages
    bodies = [client.get(url(name)).content.decode() for name in ("opendata_plan_json", "opendata_actions_json")]
    bodies.append(client.get(url("opendata_actions_csv")).content.decode("utf-8-sig"))
    for body in bodies:
        assert [text for text in UNPUBLISHED if text in body] == []
    actions = {action["wording"]: action for action in client.get(url("opendata_actions_json")).json()["actions"]}
    assert [update["text"] for update in actions["Own council's action"]["progress"]] == ["Own published progress."]
    assert (
        actions["Action with a draft"]["progress"] == [] and actions["Action with a returned update"]["progress"] == []
    )
    rows = {row["wording"]: row for row in csv_rows(client.get(url("opendata_actions_csv")))}
    assert rows["Own council's action"]["progress_text"] == "Own published progress."
    assert rows["Own council's action"]["cycle"] == "Q4 2017/18"
    assert rows["Own council's action"]["cycle_period_end"] == published.cycle.period_end.isoformat()
    assert rows["Action with a draft"]["progress_text"] == "" and rows["Action with a draft"]["cycle"] == ""


def test_draft_and_submitted_readings_never_appear_in_figures(published, client_as):
    client = client_as(published.users["working_group"])
    figures = client.get(url("opendata_figures_json")).json()["figures"]
    own = [
        (f["period_end"], f["value"])
        for f in figures
        if f["indicator"] == published.indicator.slug and f["area_name"] == "Kent"
    ]
    assert own == [("2015-12-31", 5799), ("2016-12-31", 6122)]  # not the submitted 2018 reading, not the 2014 draft
    body = client.get(url("opendata_figures_csv")).content.decode("utf-8-sig")
    assert "7777" not in body and "2018-12-31" not in body.split(published.other_indicator.slug)[0]


def test_a_suppressed_count_is_null_and_flagged_never_its_number(published, client_as):
    client = client_as(published.users["admin"])
    figures = client.get(url("opendata_figures_json")).json()["figures"]
    ashford = next(f for f in figures if f["area_name"] == "Ashford")
    assert (ashford["value"], ashford["count"], ashford["rate_per_1000"], ashford["suppressed"]) == (
        None,
        None,
        None,
        True,
    )
    assert ashford["area_code"] == "E07000105" and ashford["period_label"] == "2016 (Jan–Dec)"
    dover = next(f for f in figures if f["area_name"] == "Dover")
    assert (dover["value"], dover["count"], dover["suppressed"]) == (12, 12, False)
    rows = [row for row in csv_rows(client.get(url("opendata_figures_csv"))) if row["area_name"] == "Ashford"]
    assert [(r["value"], r["count"], r["rate_per_1000"], r["suppressed"]) for r in rows] == [("", "", "", "true")]


def test_numbers_are_numbers_dates_are_iso_and_areas_have_ons_codes(published, client_as):
    client = client_as(published.users["partner"])
    figures = client.get(url("opendata_figures_json")).json()["figures"]
    latest = next(f for f in figures if f["area_name"] == "Kent" and f["period_end"] == "2016-12-31")
    assert latest["value"] == 6122 and isinstance(latest["value"], int) and isinstance(latest["count"], int)
    assert latest["rate_per_1000"] == 3.98  # 6,122 / 1,540,000 people, per 1,000
    assert (latest["period_start"], latest["period_label"], latest["area_code"]) == (
        "2016-01-01",
        "2016 (Jan–Dec)",
        "E10000016",
    )
    response = client.get(url("opendata_figures_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    row = next(r for r in csv_rows(response) if r["area_name"] == "Kent" and r["period_end"] == "2016-12-31")
    assert (row["value"], row["count"], row["rate_per_1000"]) == ("6122", "6122", "3.98")
    assert ".00" not in response.content.decode("utf-8-sig")


def test_percentages_keep_their_decimals_and_have_no_count(published, client_as):
    share = IndicatorFactory(partnership=published.partnership, slug="repeat-victims", unit="percentage")
    ReadingFactory(indicator=share, value="31.20")
    figure = next(
        f
        for f in client_as(published.users["partner"]).get(url("opendata_figures_json")).json()["figures"]
        if f["indicator"] == "repeat-victims"
    )
    assert (figure["value"], figure["count"], figure["rate_per_1000"]) == (31.2, None, None)


def test_a_plan_is_open_data_only_once_a_report_of_it_is_published(world, client_as):
    client = client_as(world.users["working_group"])
    assert client.get(url("opendata_plan_json")).json()["plans"] == []
    assert client.get(url("opendata_actions_json")).json()["actions"] == []
    assert csv_rows(client.get(url("opendata_actions_csv"))) == []
    report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle, reason="")
    plans = client.get(url("opendata_plan_json")).json()["plans"]
    assert [(p["slug"], p["starts"]) for p in plans] == [("2017-18", world.plan.starts.isoformat())]
    assert [a["wording"] for a in plans[0]["priorities"][0]["actions"]] == [
        "Own council's action",
        "Other council's action",
    ]


def test_another_partnerships_plan_and_figures_are_not_in_the_files(published, client_as):
    client = client_as(published.users["governing"])
    assert "Elsewhere" not in client.get(url("opendata_actions_json")).content.decode()
    slugs = {f["indicator"] for f in client.get(url("opendata_figures_json")).json()["figures"]}
    assert slugs == {published.indicator.slug, published.other_indicator.slug}


def test_the_index_lists_every_file_with_its_schema(published, client_as):
    data = client_as(published.users["partner"]).get(url("opendata_index")).json()
    assert data["public"] is False
    links = {d["name"]: (d["links"], d["schema"]) for d in data["datasets"]}
    base = f"http://testserver/{SLUG}/open-data/v1"
    assert links["figures"] == (
        {"json": f"{base}/figures.json", "csv": f"{base}/figures.csv"},
        "http://testserver/open-data/schema/v1/figures.json",
    )
    assert links["plan"][0] == {"json": f"{base}/plan.json"}


def test_figures_are_read_in_a_fixed_number_of_queries(published, client_as):
    client = client_as(published.users["governing"])
    with CaptureQueriesContext(connection) as before:
        client.get(url("opendata_figures_json"))
    for year in range(2005, 2013):
        ReadingFactory(
            indicator=published.other_indicator,
            value=year,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
        )
    IndicatorFactory(partnership=published.partnership, slug="more")
    with CaptureQueriesContext(connection) as after:
        client.get(url("opendata_figures_json"))
    assert len(after.captured_queries) == len(before.captured_queries)


def test_actions_are_read_in_a_fixed_number_of_queries(published, client_as):
    client = client_as(published.users["governing"])
    with CaptureQueriesContext(connection) as before:
        client.get(url("opendata_actions_json"))
    for number in range(5):
        ActionFactory(plan_priority=published.plan_priority, wording=f"More {number}", leads=[published.own_org])
    with CaptureQueriesContext(connection) as after:
        client.get(url("opendata_actions_json"))
    assert len(after.captured_queries) == len(before.captured_queries)


def test_one_indicators_figures_on_their_own_and_404_for_an_unknown_one(published, client_as):
    client = client_as(published.users["partner"])
    data = client.get(url("opendata_figures_json"), {"indicator": published.indicator.slug}).json()
    assert [i["slug"] for i in data["indicators"]] == [published.indicator.slug]
    assert {f["indicator"] for f in data["figures"]} == {published.indicator.slug}
    rows = csv_rows(client.get(url("opendata_figures_csv"), {"indicator": published.indicator.slug}))
    assert len(rows) == len(data["figures"]) == 4  # Kent 2015 and 2016, Ashford (suppressed), Dover
    assert client.get(url("opendata_figures_json"), {"indicator": "no-such-thing"}).status_code == 404
    foreign = published.other_partnership.indicators.get().slug
    # Another partnership's indicator is not found here.
    assert client.get(url("opendata_figures_json"), {"indicator": foreign}).status_code == 404
