"""The benchmark's generator builds the plan it describes, and the benchmark never runs on a used database."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, ProgressUpdate
from benchmarks import pages as bench
from cycles.models import CycleState, ReportingCycle
from indicators.models import IndicatorReading
from priorities.models import Plan
from reports.models import Report
from tests.factories import PartnershipFactory


@pytest.mark.django_db
def test_generator_builds_plans_actions_updates_and_monthly_readings_in_every_area():
    target = bench.generate(
        today=date(2026, 11, 24), plan_years=2, priorities=2, actions_per_priority=3, indicators=4, reading_years=1
    )
    assert Plan.objects.filter(partnership=target.partnership).count() == 2
    assert target.plan == "2026-27"
    assert Action.objects.in_partnership(target.partnership).count() == 2 * 2 * 3
    # Four published quarters of last year's plan, two of this year's; the open third varies.
    assert ProgressUpdate.objects.published().count() == 6 * 4 + 6 * 2
    assert IndicatorReading.objects.published().count() == 4 * bench.BENCH_GEOGRAPHIES * 12
    assert IndicatorReading.objects.order_by("-period_end").first().period_end == date(2026, 10, 31)


@pytest.mark.django_db
def test_benchmark_refuses_a_database_that_holds_a_partnership():
    PartnershipFactory()
    with pytest.raises(RuntimeError, match="empty database"):
        bench.run(repeat=1, today=date(2026, 11, 24))


@pytest.mark.django_db
def test_many_partnerships_are_generated_alike_and_the_first_is_timed():
    size = bench.Size(partnerships=3, plan_years=1, priorities=1, actions_per_priority=2, indicators=1, reading_years=1)
    target = bench.generate_size(size, today=date(2026, 11, 24))
    assert target.partnership.slug == bench.BENCH_SLUG
    slugs = set(Plan.objects.values_list("partnership__slug", flat=True))
    assert slugs == {"bench", "bench-2", "bench-3"}
    assert IndicatorReading.objects.published().count() == 3 * bench.BENCH_GEOGRAPHIES * 12


def test_results_keep_each_database_and_size_side_by_side(tmp_path):
    from benchmarks.results import record

    path = tmp_path / "bench-results.json"
    record(path, database="sqlite", size="large", part=None, values={"pages": [1]})
    record(path, database="sqlite", size="large", part="load", values={"p95_ms": 400})
    record(path, database="sqlite", size="many", part=None, values={"pages": [2]})
    written = record(path, database="postgresql", size="large", part=None, values={"pages": [3]})
    assert written["sqlite"]["large"] == {"pages": [1], "load": {"p95_ms": 400}}
    assert written["sqlite"]["many"] == {"pages": [2]}
    assert written["postgresql"]["large"] == {"pages": [3]}
    # Timing the pages again keeps the size's load test until the load test runs again.
    again = record(path, database="sqlite", size="large", part=None, values={"pages": [4]})
    assert again["sqlite"]["large"] == {"pages": [4], "load": {"p95_ms": 400}}


@pytest.mark.django_db
def test_pages_are_timed_in_shuffled_rounds_with_cpu_and_on_a_cache_hit_and_built(monkeypatch):
    tiny = bench.Size(
        partnerships=1,
        plan_years=1,
        priorities=1,
        actions_per_priority=2,
        indicators=1,
        reading_years=1,
        time_reports=False,
    )
    monkeypatch.setitem(bench.SIZES, "tiny", tiny)
    pages = [page for page in bench.PAGES if "{report}" not in page.path]  # no PDF rendering: seconds each
    monkeypatch.setattr(bench, "PAGES", pages)
    results = bench.run(repeat=2, today=date(2026, 11, 24), size="tiny", report=lambda line: None)
    rows = {row["name"]: row for row in results["pages"]}
    assert list(rows) == [page.name for page in pages]
    for page in pages:
        row = rows[page.name]
        assert set(row["generated"]) == {"median_ms", "p95_ms", "cpu_ms", "database_cpu_ms", "queries"}
        assert row["generated"]["cpu_ms"] > 0
        assert ("built" in row) is page.work_in_progress
    assert rows["trivial: plan list"]["cpu_ratio_to_trivial"] == 1.0
    # On a hit a work-in-progress page runs a fixed handful of queries; built, it runs its own.
    queue = rows["review queue"]
    assert queue["generated"]["queries"] < queue["built"]["queries"]
    # The publish request, timed in the same rounds: the current cycle's first version (after a preview, its
    # snapshot built, everything built), and again with nothing changed in both plans; every timed publish was
    # rolled back.
    publish = {row["name"]: row for row in results["publish"]}
    assert set(publish) == {
        "publish: first version",
        "publish: first version, snapshot built",
        "publish: first version, figures built",
        "publish: nothing changed",
    }
    queries = [publish[f"publish: first version{which}"]["generated"]["queries"] for which in ("", ", snapshot built")]
    assert queries[0] < queries[1]  # the snapshot the warm-up kept is read, not built
    assert "seed" in publish["publish: nothing changed"] and "seed" not in publish["publish: first version"]
    assert all(row["generated"]["cpu_ms"] > 0 and row["target"] == 3 for row in publish.values())
    assert Report.objects.count() == 2  # the two the downloads are timed on
    current = ReportingCycle.objects.get(
        plan__partnership__slug=bench.BENCH_SLUG,
        period_start__lte=date(2026, 11, 24),
        period_end__gte=date(2026, 11, 24),
    )
    assert current.state == CycleState.OPEN and not current.reports.exists()


@pytest.mark.django_db(transaction=True)  # outside a test's transaction, as the bench runs
def test_the_database_connection_is_kept_through_the_timed_rounds(monkeypatch):
    """Its backend's CPU is read before and after each request: a connection closed for its age between
    two requests would be read against a new backend's figure (a negative time, as a run printed)."""
    from django.db import close_old_connections

    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)  # closed after every request
    with bench.DatabaseCpu() as database:
        before = database.seconds()
        kept = connection.connection
        close_old_connections()  # what the end of each request does
        assert connection.connection is kept
        assert database.seconds() >= before
    assert connection.settings_dict["CONN_MAX_AGE"] == 0  # the setting is given back after the run


@pytest.mark.django_db
@pytest.mark.parametrize("figures_kept", [True, False])
def test_a_timed_publish_publishes_the_report_and_leaves_nothing_behind(world, client_as, figures_kept):
    client, address = client_as(world.users["working_group"]), bench.publish_url(world.cycle)
    job = bench.PublishJob(("publish",), client, address, figures_kept=figures_kept)
    counts = []
    for _ in range(2):  # every request does the same work
        with CaptureQueriesContext(connection) as captured:
            response = job.fetch()
        counts.append(len(captured))
        assert response.status_code == job.answers
        assert response.url.endswith("/v1/")
        assert any(query["sql"].startswith('INSERT INTO "reports_report"') for query in captured)
        assert not Report.objects.exists()
        world.cycle.refresh_from_db()
        assert world.cycle.state == CycleState.OPEN
        assert "messages" not in job.client.cookies  # no message piles up for the next round
    # The report's figures are kept after the first request (the rollback leaves the generation), or never.
    assert counts[1] < counts[0] if figures_kept else counts[1] == counts[0]


def test_the_report_prints_the_publish_request_against_its_target(tmp_path):
    figures = {"median_ms": 50.0, "p95_ms": 60.0, "cpu_ms": 30.0, "database_cpu_ms": 5.0, "queries": 40}
    trivial = {**figures, "cpu_ms": 10.0, "queries": 6}
    found = {
        "volumes": {},
        "load_average_before": [1.0],
        "load_average_after_pages": [1.0],
        "pages": [{"name": "trivial: plan list", "generated": trivial, "seed": trivial, "cpu_ratio_to_trivial": 1.0}],
        "publish": [
            {"name": "publish: first version", "target": 3, "generated": figures, "cpu_ratio_to_trivial": 2.3},
            {
                "name": "publish: nothing changed",
                "target": 3,
                "generated": figures,
                "seed": {**figures, "queries": 38},
                "cpu_ratio_to_trivial": 3.5,
            },
        ],
    }
    path = tmp_path / "bench-results.json"
    path.write_text(json.dumps({"postgresql": {"large": found}}), encoding="utf-8")
    out = io.StringIO()
    call_command("bench_report", input=str(path), stdout=out)
    printed = out.getvalue()
    assert "| publish: first version | 50.00 / 60.00 | 35.00 | 2.30 | — | ≤ 3×: met | 40 / — / — |" in printed
    assert "| publish: nothing changed | 50.00 / 60.00 | 35.00 | 3.50 | — | ≤ 3×: **missed** | 40 / — / 38 |" in printed
