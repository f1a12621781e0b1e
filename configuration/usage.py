"""Where a vocabulary entry is used, in words, so a refused delete can say why (issue 14)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from actions.models import Action, FundingSource, ProgressUpdate, Status, Theme
from csa_tracker.accounts.models import Membership, Organisation
from indicators.models import Geography, Indicator, IndicatorReading


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _by_plan(queryset, plan_path: str, noun: str) -> list[str]:
    """["12 actions in Kent Community Safety Agreement 2017/18", ...], one per plan, in plan order."""
    counts = Counter(queryset.values_list(plan_path, flat=True))
    return [f"{_plural(count, noun)} in {title}" for title, count in sorted(counts.items())]


def _count(queryset, noun: str) -> list[str]:
    count = queryset.count()
    return [_plural(count, noun)] if count else []


ACTION_PLAN = "plan_priority__plan__title"
UPDATE_PLAN = "action__plan_priority__plan__title"


def uses_of(entry) -> list[str]:
    """Each place `entry` is used, e.g. ["12 actions in Kent Community Safety Agreement 2017/18"];
    empty when it may be deleted. Raises TypeError for a model it does not know."""
    if isinstance(entry, Status):
        return _by_plan(Action.objects.filter(status=entry), ACTION_PLAN, "action") + _by_plan(
            ProgressUpdate.objects.filter(status=entry), UPDATE_PLAN, "progress update"
        )
    if isinstance(entry, FundingSource):
        return _by_plan(Action.objects.filter(funding=entry), ACTION_PLAN, "action")
    if isinstance(entry, Theme):
        return _by_plan(Action.objects.filter(themes=entry), ACTION_PLAN, "action")
    if isinstance(entry, Organisation):
        return [
            *_count(Membership.objects.filter(organisation=entry), "person's role"),
            *_by_plan(Action.objects.filter(leads=entry), ACTION_PLAN, "action led"),
            *_by_plan(Action.objects.filter(supporters=entry), ACTION_PLAN, "action supported"),
            *_count(Indicator.objects.filter(leads=entry), "indicator supplied"),
            *_by_plan(ProgressUpdate.objects.filter(organisation=entry), UPDATE_PLAN, "progress update"),
            *_count(IndicatorReading.objects.filter(organisation=entry), "indicator reading"),
        ]
    if isinstance(entry, Geography):
        return [
            *_count(Geography.objects.filter(parent=entry), "area within it"),
            *_count(Geography.objects.filter(districts=entry), "combined area"),
            *_count(Indicator.objects.filter(Q(geography=entry) | Q(areas=entry)).distinct(), "indicator"),
            *_count(IndicatorReading.objects.filter(geography=entry), "indicator reading"),
        ]
    raise TypeError(f"No usage rule for {type(entry).__name__}.")


def in_use_message(entry, uses: list[str]) -> str:
    """The sentence a refused delete shows."""
    return f"“{entry}” cannot be deleted: it is used by {_join(uses)}. Change those first, or keep it."


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
