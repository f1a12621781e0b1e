"""Timing a 10,000-row readings import (preview and commit) with its peak memory, for `make bench`.

Everything is created inside a transaction that is rolled back, so it can run against any database.
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Membership, Organisation, Partnership, Role
from csa_tracker.cells import xlsx_response
from indicators.models import Geography, Indicator
from indicators.periods import add_months, month_end
from spreadsheets.importers import ReadingImporter

AREAS, MONTHS = 10, 50  # 10,000 rows = 20 indicators × 10 areas × 50 months


@dataclass
class Timing:
    rows: int
    file_bytes: int
    preview_seconds: float
    commit_seconds: float
    peak_mb: float


class _Rollback(Exception):
    pass


def _world(rows: int):
    partnership = Partnership.objects.create(name="Benchmark", short_name="Bench", slug="benchmark-import")
    organisation = Organisation.objects.create(partnership=partnership, name="Benchmark Council", short_name="BC")
    user = get_user_model().objects.create(username="benchmark-importer")
    Membership.objects.create(user=user, partnership=partnership, organisation=organisation, role=Role.WORKING_GROUP)
    county = Geography.objects.create(partnership=partnership, name="Benchmark county", kind=Geography.Kind.COUNTY)
    areas = [  # districts of the county, so every row is for an area the indicators are reported for
        Geography.objects.create(
            partnership=partnership, name=f"Benchmark area {n}", kind=Geography.Kind.DISTRICT, parent=county
        )
        for n in range(AREAS)
    ]
    indicators = [
        Indicator.objects.create(
            partnership=partnership,
            slug=f"bench-{n}",
            name=f"Benchmark indicator {n}",
            period_type="month",
            geography=county,
        )
        for n in range(-(-rows // (AREAS * MONTHS)))
    ]
    for indicator in indicators:
        indicator.areas.set(areas[1:])
    table = [ReadingImporter.columns]
    for indicator in indicators:
        for area in areas:
            for month in range(MONTHS):
                year, number = add_months(2015, 1, month)
                table.append([indicator.name, area.name, month_end(year, number), 1000 + month, "No", "benchmark"])
    return access_for(user, partnership), table[: rows + 1]


def run(rows: int = 10_000) -> Timing:
    """Build a readings workbook of `rows` rows, preview and commit it, then roll everything back."""
    timing = None
    try:
        with transaction.atomic():
            access, table = _world(rows)
            data = xlsx_response("bench.xlsx", table[0], table[1:]).content
            started = time.perf_counter()
            importer = ReadingImporter()
            table, _ = importer.read(access, data, {})
            preview = importer.preview(access, table)
            previewed = time.perf_counter()
            written = importer.commit(access, preview)
            committed = time.perf_counter()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
            assert written == rows, preview.counts
            timing = Timing(rows, len(data), previewed - started, committed - previewed, peak / 1024 / 1024)
            raise _Rollback
    except _Rollback:
        pass
    return timing
