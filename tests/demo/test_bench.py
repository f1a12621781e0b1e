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
