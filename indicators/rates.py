"""Rates per 1,000 population, from counts and the population figures stored per geography and year.

A rate is kept unrounded (count ÷ population × base): its change, direction of travel and target are
worked out from that, and it is rounded only where it is shown (`comparisons.shown_rate`, issue 23)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from .models import Population
from .periods import Period


def rate_per_1000(count, population: int, per: int = 1000) -> Decimal:
    """The count per `per` people (1,000 unless the indicator says otherwise), unrounded (Decimal's 28
    significant digits): two rates that both show "1.80 per 1,000" still compare as they are."""
    return Decimal(count) * per / Decimal(population)


class Populations:
    """Population figures for a set of geographies, read in one query."""

    def __init__(self, geography_ids):
        self._by_geography: dict[int, dict[int, int]] = defaultdict(dict)
        self._chosen: dict[tuple[int, int], int | None] = {}
        rows = Population.objects.filter(geography_id__in=set(geography_ids))
        for geography_id, year, value in rows.values_list("geography_id", "year", "value"):
            self._by_geography[geography_id][year] = value

    def for_period(self, geography_id: int, period: Period) -> int | None:
        """The estimate for the year the period ends in, else the nearest year held (earlier on a tie)."""
        key = (geography_id, period.end.year)
        if key not in self._chosen:  # pages ask for the same few geographies and years many times
            years, target = self._by_geography.get(geography_id), period.end.year
            self._chosen[key] = years[min(years, key=lambda year: (abs(year - target), year))] if years else None
        return self._chosen[key]

    def rate(self, geography_id: int, period: Period, count, per: int = 1000) -> Decimal | None:
        population = self.for_period(geography_id, period)
        return rate_per_1000(count, population, per) if population else None
