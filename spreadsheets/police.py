"""The public street-level crime CSV from data.police.uk, counted into monthly readings per district.

Each row is one crime; its district is the LSOA name without the neighbourhood code ("Maidstone 014C"
→ Maidstone). Counts per district and month of one crime type become rows of a readings file, which
then goes through the ordinary readings preview and commit. Districts that are not one of the
partnership's district geographies (crimes just over the border) are listed as skipped, with a count.
"""

from __future__ import annotations

import re
from collections import Counter

from indicators.models import Geography
from indicators.periods import PeriodType

from .importers import ReadingImporter
from .parsing import Table, UploadError, check_headers, rows_as_dicts

COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
LSOA_NAME = re.compile(r"(?P<district>.+) \d{3}[A-Z]")
# Shepway was renamed Folkestone and Hythe in 2018; newer police files use the new name, our geography the old.
DISTRICT_ALIASES = {"Folkestone and Hythe": "Shepway"}
NO_LOCATION = "(no location)"


def district_of(lsoa_name: str | None) -> str:
    found = LSOA_NAME.fullmatch((lsoa_name or "").strip())
    if not found:
        return NO_LOCATION
    district = found.group("district")
    return DISTRICT_ALIASES.get(district, district)


def crime_types(table: Table) -> list[str]:
    return sorted({(cells["Crime type"] or "").strip() for _, cells in rows_as_dicts(table, COLUMNS)} - {""})


def readings_table(table: Table, *, crime_type: str, indicator) -> tuple[Table, list[tuple[str, int]]]:
    """The counts as a readings file, and the (district, crimes) left out because the district is not ours."""
    check_headers(table.headers, required=COLUMNS)
    if indicator.period_type != PeriodType.MONTH:
        raise UploadError(
            f"“{indicator}” is reported per {indicator.get_period_type_display().lower()}; the police file "
            "gives monthly counts, so choose a monthly indicator."
        )
    found_types = crime_types(table)
    if crime_type not in found_types:
        raise UploadError(f"No crimes of type “{crime_type}” in this file. It has: {', '.join(found_types)}.")
    # Only districts the indicator is reported for (issue 14); the others are listed as skipped.
    reported = Geography.objects.filter(pk__in=indicator.reported_area_ids(), kind=Geography.Kind.DISTRICT)
    districts = set(reported.values_list("name", flat=True))
    counts, skipped = Counter(), Counter()
    for _, cells in rows_as_dicts(table, COLUMNS):
        if (cells["Crime type"] or "").strip() != crime_type:
            continue
        district = district_of(cells["LSOA name"])
        if district in districts:
            counts[(district, str(cells["Month"] or "").strip())] += 1
        else:
            skipped[district] += 1
    note = f"data.police.uk street-level crime: {crime_type}"
    rows = [
        (number, [indicator.name, district, month, count, "No", note])
        for number, ((district, month), count) in enumerate(sorted(counts.items(), key=lambda i: (i[0][1], i[0][0])), 2)
    ]
    return Table(headers=ReadingImporter.columns, rows=rows), sorted(skipped.items())
