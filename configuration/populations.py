"""Population estimates per area and year, typed or imported from an ONS-style file (issue 14).

The file has the columns Area code, Area name, Year and Population. A row names its area by ONS code
when it has one, else by name (`name_key`); every row must name one of the partnership's areas, a
year from 1900 to 2100 and a population above 0. The preview lists each row as new, changed or
unchanged, or its errors; nothing is written unless every row is good, and then every row is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from csa_tracker.text import name_key
from indicators.models import Geography, Population
from indicators.policies import AREAS
from spreadsheets import parsing

from .services import population_set

COLUMNS = ["Area code", "Area name", "Year", "Population"]


@dataclass
class PopulationRow:
    number: int  # the row number as the spreadsheet shows it
    area: Geography | None = None
    year: int | None = None
    value: int | None = None
    current: int | None = None  # the population held now, if any
    errors: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.errors:
            return "error"
        if self.current is None:
            return "new"
        return "unchanged" if self.current == self.value else "changed"


@dataclass
class PopulationPreview:
    rows: list[PopulationRow]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def to_write(self) -> list[PopulationRow]:
        return [row for row in self.rows if row.outcome in ("new", "changed")]

    def as_session(self) -> list[list[int]]:
        """What confirming writes, kept in the session between preview and confirm."""
        return [[row.area.pk, row.year, row.value] for row in self.to_write]


def _whole_number(value, what: str, low: int, high: int | None = None) -> int:
    number = parsing.number(value)
    if number is None:
        raise parsing.CellError(f"{what} is blank.")
    if number != number.to_integral_value():
        raise parsing.CellError(f"{what} “{value}” is not a whole number.")
    number = int(number)
    if number < low or (high is not None and number > high):
        if what == "Population":
            raise parsing.CellError(f"Population {number:,} is refused: a population must be more than 0.")
        raise parsing.CellError(f"{what} {number} is not between {low} and {high}.")
    return number


def population_preview(partnership, data: bytes) -> PopulationPreview:
    """Read the file; raises `spreadsheets.parsing.UploadError` when the file as a whole is refused."""
    table = parsing.read_table(data)
    parsing.check_headers(table.headers, required=COLUMNS)
    areas = list(Geography.objects.in_partnership(partnership))
    by_code = {area.code.upper(): area for area in areas if area.code}
    by_name = {name_key(area.name): area for area in areas}
    held = {
        (geography_id, year): value
        for geography_id, year, value in Population.objects.filter(geography__partnership=partnership).values_list(
            "geography_id", "year", "value"
        )
    }
    rows, seen = [], {}
    for number, cells in parsing.rows_as_dicts(table, COLUMNS):
        row = PopulationRow(number=number)
        code, name = parsing.text(cells["Area code"]) or "", parsing.text(cells["Area name"]) or ""
        row.area = by_code.get(code.upper()) if code else None
        if row.area is None:
            row.area = by_name.get(name_key(name)) if name else None
        if row.area is None:
            row.errors.append(f"No area of this partnership has the code “{code}” or the name “{name}”: add it first.")
        for column, attribute, low, high in (("Year", "year", 1900, 2100), ("Population", "value", 1, None)):
            try:
                setattr(row, attribute, _whole_number(cells[column], column, low, high))
            except parsing.CellError as exc:
                row.errors.append(str(exc))
        if not row.errors:
            key = (row.area.pk, row.year)
            if key in seen:
                row.errors.append(f"{row.area.name} {row.year} is also in row {seen[key]}; keep one.")
            seen[key] = number
            row.current = held.get(key)
        rows.append(row)
    return PopulationPreview(rows)


@transaction.atomic
def populations_import(*, access, partnership, rows: list[list[int]]) -> int:
    """Write the confirmed rows ([area id, year, population]) all together, each as one typed on the
    area's page (`services.population_set`: one audit entry per population); rows naming an area of
    another partnership, or a population below 1, refuse the whole file (ValueError). Returns how many
    were written."""
    AREAS.check(access, "change")
    own = Geography.objects.in_partnership(partnership).in_bulk()
    for geography_id, year, value in rows:
        if geography_id not in own or value < 1:
            raise ValueError("The confirmed file no longer matches this partnership's areas; upload it again.")
        population_set(access=access, area=own[geography_id], year=year, value=value)
    return len(rows)
