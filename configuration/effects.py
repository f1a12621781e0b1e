"""What a settings change would alter in how figures read, said before it is saved (issue 23).

Published figures keep the period, area name and unit they were published with
(`IndicatorReading.stamp_published`), so a change only alters figures not yet published and those
published after it; the settings forms list both and save only once the person confirms.
"""

from __future__ import annotations

import calendar

from django.template.defaultfilters import pluralize

from indicators.models import IndicatorReading, Unit
from indicators.periods import Period, PeriodType
from workflow.states import ReviewState


def year_change_effects(partnership, *, before: int, after: int) -> list[str]:
    """Sentences saying what moving the partnership's year from month `before` to month `after` (1–12)
    changes, for the confirmation step; [] when it changes no figure (no confirmation needed)."""
    if before == after:
        return []
    month = calendar.month_name[after]
    readings = IndicatorReading.objects.following_the_year(partnership)
    effects = _figure_effects(readings, kept="the period and label as published", follows=f"follow a year from {month}")
    latest = (
        readings.filter(state=ReviewState.PUBLISHED)
        .select_related("indicator__partnership")
        .order_by("-period_end", "-pk")
        .first()
    )
    if latest is not None:  # one figure as it reads, and as the same period would read by the new year
        example = f"For example “{latest.indicator.name}, {latest.period.label}” still reads so"
        try:
            relabelled = Period.ending(latest.period.type, latest.period_end, after).label
        except ValueError:  # no such period ends that month in the new year
            example += "."
        else:
            example += f"; a figure for the same month published now would read “{relabelled}”."
        effects.insert(1, example)
    return effects


def area_rename_effects(area, *, before: str, after: str) -> list[str]:
    """Sentences saying what renaming `area` from `before` to `after` changes, for the confirmation step;
    [] when no figure of the area is concerned."""
    if area.pk is None or before == after:
        return []
    return _figure_effects(
        IndicatorReading.objects.filter(geography=area),
        kept=f"the area's name “{before}”, as published",
        follows=f"read “{after}”",
    )


def indicator_change_effects(indicator, *, before: tuple, after: tuple) -> list[str]:
    """Sentences saying what changing `indicator`'s (unit, rate per, period type) from `before` to `after`
    changes, for the confirmation step; [] when neither its unit nor its period type changes or no figure
    of the indicator is concerned."""
    if indicator is None:
        return []
    old, new = _reads_as(*before), _reads_as(*after)
    changed = [name for name in old if old[name] != new[name]]
    if not changed:
        return []
    return _figure_effects(
        IndicatorReading.objects.filter(indicator=indicator),
        kept=" and ".join(f"its {name}, {old[name]}," for name in changed) + " as published",
        follows="follow the new " + " and the new ".join(f"{name}, {new[name]}" for name in changed),
    )


def _reads_as(unit: str, per: int | None, period_type: str) -> dict[str, str]:
    """What of an indicator's settings a published figure keeps, in words; a count's "rate per" is unused."""
    unit_words = f"a rate per {per:,} population" if unit == Unit.RATE_PER_1000 else Unit(unit).label.lower()
    return {"unit": unit_words, "period": PeriodType(period_type).label}


def _figure_effects(readings, *, kept: str, follows: str) -> list[str]:
    count = readings.filter(state=ReviewState.PUBLISHED).count()
    waiting = readings.exclude(state=ReviewState.PUBLISHED).count()
    effects = []
    if count:
        effects.append(f"{count:,} published figure{pluralize(count)} {pluralize(count, 'keeps,keep')} {kept}.")
    if count or waiting:
        effects.append(f"Figures published from now on {follows}.")
    if waiting:
        effects.append(
            f"{waiting:,} figure{pluralize(waiting)} not yet published (drafts and figures waiting for review) "
            "will follow the change."
        )
    return effects
