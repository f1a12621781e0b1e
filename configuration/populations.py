"""Population estimates per area and year from an ONS-style file (issue 14): one reader for the list,
used by the Areas page's "Import populations" and by the configuration spreadsheets alike, on the one
import pipeline (`spreadsheets.pipeline`).

Columns: Area code, Area name, Year, Population (as ONS mid-year estimates are laid out; title rows above
the header and blank rows are passed over by the reader). A row names its area by ONS code when one of the
partnership's areas has it (an area renamed since keeps its code), else by name (`name_key`); the year is
from 1900 to 2100 and the population a whole number above 0, written as the sheet shows it ("127,600").
Anything else, a licence footnote included, is a row error with its row number. Confirm writes each new or
changed figure through `configuration.services.population_set` (one audit entry each), all or none.
"""

from __future__ import annotations

from django.db import transaction

from csa_tracker.text import name_key
from indicators.models import Geography, Population
from spreadsheets import cells
from spreadsheets.files import rows_as_dicts
from spreadsheets.pipeline import CHANGED, ERROR, NEW, UNCHANGED, Preview, RowResult, SheetImport

from .services import population_set

COLUMNS = ["Area code", "Area name", "Year", "Population"]
FIRST_YEAR, LAST_YEAR = 1900, 2100


class PopulationImport(SheetImport):
    noun = "population figure"
    title = "Populations"
    columns = COLUMNS

    def __init__(self, partnership=None):
        self.partnership = partnership

    def judge(self, access, table) -> Preview:
        areas = list(Geography.objects.in_partnership(access.partnership))
        by_code = {area.code.upper(): area for area in areas if area.code}
        by_name = {name_key(area.name): area for area in areas}
        held = dict(
            ((geography_id, year), value)
            for geography_id, year, value in Population.objects.filter(
                geography__partnership=access.partnership
            ).values_list("geography_id", "year", "value")
        )
        rows, seen = [], {}
        for number, row in rows_as_dicts(table, COLUMNS):
            result = RowResult(number=number)
            code = self.cell(
                result, "Area code", lambda v: cells.text(v, max_length=cells.MAX_NAME_CHARS), row["Area code"]
            )
            name = self.cell(
                result, "Area name", lambda v: cells.text(v, max_length=cells.MAX_NAME_CHARS), row["Area name"]
            )
            area = by_code.get((code or "").upper()) or (by_name.get(name_key(name)) if name else None)
            if area is None and result.status != ERROR:
                said = f"the code “{code or ''}” or the name “{name or ''}”"
                result.error("Area code", f"No area of this partnership has {said}: add it first.")
            year = self.cell(result, "Year", self._year, row["Year"])
            value = self.cell(result, "Population", self._population, row["Population"])
            if area is not None and year is not None:
                result.label = f"{area.name}, {year}"
                if (area.pk, year) in seen:
                    result.error("", f"{area.name} {year} is also on row {seen[(area.pk, year)]}; keep one.")
                seen.setdefault((area.pk, year), number)
            if result.status != ERROR:
                current = held.get((area.pk, year))
                result.status = NEW if current is None else UNCHANGED if current == value else CHANGED
                if result.status != UNCHANGED:
                    result.changes = [("Population", None if current is None else f"{current:,}", f"{value:,}")]
                result.item, result.fields = area, {"year": year, "value": value}
            rows.append(result)
        return Preview(rows=rows)

    def _year(self, value) -> int:
        year = self.whole_number(value, "The year")
        if year is None:
            raise cells.CellError("is blank; every row needs the year of its estimate.")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise cells.CellError(f"{year} is not a year from {FIRST_YEAR} to {LAST_YEAR}.")
        return year

    def _population(self, value) -> int:
        population = self.whole_number(value, "A population")
        if population is None:
            raise cells.CellError("is blank; every row needs its population.")
        if population < 1:
            raise cells.CellError(f"{population:,} is refused: a population must be more than 0.")
        return population

    def commit(self, access, preview: Preview) -> int:
        with transaction.atomic():
            for row in preview.to_write:
                population_set(access=access, area=row.item, year=row.fields["year"], value=row.fields["value"])
        return len(preview.to_write)
