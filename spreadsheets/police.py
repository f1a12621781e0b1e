"""The public street-level crime CSV from data.police.uk, counted into monthly readings per district.

Each row is one crime; its district is the LSOA name without the neighbourhood code ("Maidstone 014C"
→ Maidstone). Counts per district and month of one crime type become rows of a readings file, which
then goes through the ordinary readings preview and commit. Districts that are not one of the
partnership's district geographies (crimes just over the border) are listed as skipped, with a count.

Every month the file holds (of any crime type) gives a reading for every district the indicator is
reported for: 0 for a district with no crime of the type that month (issue 25), since the file is the
force's whole month. When the indicator's own area is a county or a combined area (two or more districts
reported as one, issue 25: `Geography.is_area_of_districts`), each month also gives its total: the sum of
the counts of its districts (those held as areas within it; crimes of a district not held are skipped, so
not in the total either).

The file is read by the same readers as every import (CSV, or opened in Excel and saved as .xlsx, whose
Month cells become dates shown "Apr-17"); its Month is read by the one period rule (`cells.period`), so
2017-04, Apr-17 and a date in April 2017 are all the month "2017-04". A cell that cannot be used refuses
the file with the police file's own column name and row.
"""

from __future__ import annotations

import re
from collections import Counter

from indicators.models import Geography, Indicator
from indicators.periods import PeriodType

from . import cells
from .cells import BadCell, CellError
from .files import Table, read_table, rows_as_dicts
from .importers import ReadingImporter
from .limits import FileRefused

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
PROBLEMS_LISTED = 5


def month_of(value) -> str | None:
    """ "2018-01" for a Month cell that names a month or a day in it (2018-01, Jan-18, a date), by the
    period rule every import shares (`cells.period`); None for anything else, a quarter included."""
    try:
        found = cells.period(value)
    except CellError:
        return None
    if found is None or found.kind == "quarter":
        return None
    return f"{found.end.year:04d}-{found.end.month:02d}"


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def district_of(lsoa_name: str | None) -> str:
    found = LSOA_NAME.fullmatch((lsoa_name or "").strip())
    if not found:
        return NO_LOCATION
    district = found.group("district")
    return DISTRICT_ALIASES.get(district, district)


def crime_types(table: Table) -> list[str]:
    return sorted({_text(row["Crime type"]) for _, row in rows_as_dicts(table, COLUMNS)} - {""})


def _unusable(table: Table, crime_type: str) -> list[str]:
    """Problems with the cells the counts are made from, each naming the file's column and row."""
    problems = []
    for number, row in rows_as_dicts(table, COLUMNS):
        for column in ("Crime type", "LSOA name", "Month"):
            if isinstance(row[column], BadCell):
                problems.append(f"{column}, row {number:,}: {row[column].reason}")
        month = row["Month"]
        if _text(row["Crime type"]) == crime_type and month_of(month) is None and not isinstance(month, BadCell):
            problems.append(f"Month, row {number:,}: “{month or 'blank'}” is not a month such as 2018-01")
        if len(problems) >= PROBLEMS_LISTED:
            break
    return problems


def readings_table(table: Table, *, crime_type: str, indicator) -> tuple[Table, list[tuple[str, int]]]:
    """The counts as a readings file, and the (district, crimes) left out because the district is not ours."""
    if indicator.period_type != PeriodType.MONTH:
        raise FileRefused(
            f"“{indicator}” is reported per {indicator.get_period_type_display().lower()}; the police file "
            "gives monthly counts, so choose a monthly indicator."
        )
    found_types = crime_types(table)
    if crime_type not in found_types:
        raise FileRefused(f"No crimes of type “{crime_type}” in this file. It has: {', '.join(found_types)}.")
    if problems := _unusable(table, crime_type):
        raise FileRefused(
            "Some cells of this police file cannot be counted: " + "; ".join(problems) + ". Correct them, or "
            "download the file from data.police.uk again."
        )
    # Only districts the indicator is reported for (issue 14); the others are listed as skipped.
    reported = Geography.objects.filter(pk__in=indicator.reported_area_ids(), kind=Geography.Kind.DISTRICT)
    districts = dict(reported.values_list("name", "parent_id"))
    counts, skipped, months = Counter(), Counter(), set()
    for _, row in rows_as_dicts(table, COLUMNS):
        if month := month_of(row["Month"]):
            months.add(month)  # a month of the file, whatever the crime type: its districts' zeros count
        if _text(row["Crime type"]) != crime_type:
            continue
        district = district_of(_text(row["LSOA name"]))
        if district in districts:
            counts[(district, month)] += 1
        else:
            skipped[district] += 1
    home = indicator.geography
    in_county = sorted(name for name, parent in districts.items() if parent == home.pk)
    note = f"data.police.uk street-level crime: {crime_type}"
    readings = []
    for month in sorted(months):
        if home.is_area_of_districts and in_county:
            total = sum(counts[(name, month)] for name in in_county)
            readings.append([indicator.name, home.name, month, total, "No", f"{note} (total of its districts)"])
        readings.extend([indicator.name, name, month, counts[(name, month)], "No", note] for name in sorted(districts))
    rows = list(enumerate(readings, 2))
    return Table(headers=ReadingImporter.columns, rows=rows), sorted(skipped.items())


class PoliceImporter(ReadingImporter):
    """The police file counted into readings of the indicator chosen on the upload form, then previewed
    and written as any readings file."""

    title = "Police street-level crime CSV"

    def read(self, access, data: bytes, meta: dict):
        indicator = Indicator.objects.editable_by(access).filter(pk=meta["indicator"]).first()
        if indicator is None:
            raise FileRefused("You can no longer submit readings for the chosen indicator.")
        table = read_table(data, columns=COLUMNS)
        return readings_table(table, crime_type=meta["crime_type"], indicator=indicator)
