"""What a settings change would alter in how figures read, said before it is saved (issue 23).

Published figures keep the period, area name and unit they were published with
(`IndicatorReading.stamp_published`), so a change only alters figures not yet published and those
published after it; the settings forms list both and save only once the person confirms.
"""

from __future__ import annotations

import calendar

from indicators.models import IndicatorReading
from indicators.periods import Period
from workflow.states import ReviewState


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def year_change_effects(partnership, *, before: int, after: int) -> list[str]:
    """Sentences saying what moving the partnership's year from month `before` to month `after` (1–12)
    changes, for the confirmation step; [] when it changes no figure (no confirmation needed)."""
    if before == after:
        return []
    readings = IndicatorReading.objects.following_the_year(partnership).select_related("indicator__partnership")
    published = readings.filter(state=ReviewState.PUBLISHED)
    waiting = readings.exclude(state=ReviewState.PUBLISHED).count()
    count = published.count()
    if not (count or waiting):
        return []
    effects = []
    latest = published.order_by("-period_end", "-pk").first()
    if latest is not None:
        effects.append(
            f"{_plural(count, 'published figure')} {'keeps' if count == 1 else 'keep'} the period and label "
            "it was published with: "
            f"“{latest.indicator.name}, {latest.period.label}” still reads so."
        )
        try:
            after_label = Period.ending(latest.indicator.period_type, latest.period_end, after).label
        except ValueError:  # no such period ends that month in the new year: say so plainly
            effects.append(f"Figures published from now on follow a year starting in {calendar.month_name[after]}.")
        else:
            effects.append(
                f"Figures published from now on follow a year starting in {calendar.month_name[after]}: "
                f"a figure for the same month would read “{after_label}”."
            )
    if waiting:
        effects.append(
            f"{_plural(waiting, 'figure')} not yet published (drafts and figures waiting for review) "
            f"will be labelled by the new year."
        )
    return effects
