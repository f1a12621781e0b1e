"""The benchmark's generator builds the plan it describes, and the benchmark never runs on a used database."""

from datetime import date

import pytest

from actions.models import Action, ProgressUpdate
from benchmarks import pages as bench
from indicators.models import IndicatorReading
from priorities.models import Plan
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
