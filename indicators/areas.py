"""Which areas an indicator is reported for: its own geography, every area within it, and the other
areas its partnership chose for it in Settings (`Indicator.areas`, issue 14).

The rule (issue 16): a county indicator (Kent) takes readings for Kent and for its districts (the
district breakdown on the indicator's page, the police file's monthly counts per district); it never
takes a reading for an area outside it (Medway, Kent and Medway, England and Wales). A district
partnership's figures for its own area belong to its own indicators (the county dashboard reads them
from there). Used by the readings form and the readings import.
"""

from __future__ import annotations

from collections import defaultdict

from .models import Geography


class Coverage:
    """The area tree, read once: `covers(indicator's geography, area)` without a query per row."""

    def __init__(self, geographies=None):
        geographies = list(Geography.objects.all() if geographies is None else geographies)
        self.children = defaultdict(list)
        for geography in geographies:
            self.children[geography.parent_id].append(geography)
        self._within = {}

    def within(self, geography) -> set[int]:
        """The pks of `geography` and every area inside it, at any depth."""
        if geography.pk not in self._within:
            found, todo = set(), [geography]
            while todo:
                current = todo.pop()
                if current.pk not in found:
                    found.add(current.pk)
                    todo.extend(self.children[current.pk])
            self._within[geography.pk] = found
        return self._within[geography.pk]

    def covers(self, geography, area) -> bool:
        return area.pk in self.within(geography)

    @staticmethod
    def refusal(indicator, area) -> str:
        """Why a reading for `area` is refused, as a sentence for the person."""
        return (
            f"“{indicator}” is reported for {indicator.geography} and the areas within it, not for {area}; "
            "choose one of those areas."
        )


def areas_for(indicator):
    """The areas a reading of `indicator` may be for, as a queryset (the indicator's geography first)."""
    return Geography.objects.filter(pk__in=indicator.reported_area_ids())
