"""Chart data that tells the truth about time: every page chart (Chart.js, `static/js/charts.js`)
and every report chart (SVG, `reports/charts.py`) is drawn from `time_series`.

- x is the month of the period's last day as a month index (`year * 12 + month - 1`), so periods are
  spaced by time whatever their labels; a linear axis over this index needs no date adapter.
- A period missing from the series (by its cadence: monthly, quarterly, yearly, or the smallest step
  the series itself takes) is a point with `y: null`, so the line has a gap there.
- A comparability note whose date falls between two points breaks the line: a `y: null` point sits
  at the break and `breaks` says where to draw the "Not comparable" mark. Source of the rule: the
  indicator's `ComparabilityNote.effective_from` (periods either side are not comparable).
- A suppressed figure ("fewer than 5") is a gap too, never its number.
- The value axis starts at zero for every unit, and is titled with the unit.
"""

from __future__ import annotations

from datetime import date

from .models import Unit
from .periods import PeriodType

AXIS_TITLES = {Unit.COUNT: "Count", Unit.PERCENTAGE: "%", Unit.RATE_PER_1000: "Rate per 1,000 population"}

# The step, in months, between one period of each type and the next.
_NATURAL_STEP = {
    PeriodType.MONTH: 1,
    PeriodType.QUARTER: 3,
    PeriodType.CALENDAR_YEAR: 12,
    PeriodType.FINANCIAL_YEAR: 12,
    PeriodType.JUL_JUN: 12,
    PeriodType.OCT_SEP: 12,
    PeriodType.THREE_YEARS_POOLED: 12,
}

NOT_COMPARABLE = "Not comparable"


def month_index(day: date) -> int:
    """The month of `day` as a number that grows by one each month (January 2017 is 24204)."""
    return day.year * 12 + day.month - 1


def tick_label(period) -> str:
    """A short label for the time axis: "Jan 2017", "Q3 2017/18", "2017/18", "2017"."""
    if period.type == PeriodType.QUARTER:
        return period.label
    if period.type in _NATURAL_STEP and _NATURAL_STEP[period.type] == 12:
        return period.label.split(" (")[0]
    return f"{period.end:%b %Y}"


def cadence(period_type: str, indices: list[int]) -> int:
    """Months between consecutive periods: the type's own step, or for rolling and year-to-date
    series (which may be published monthly or yearly) the smallest step the series takes."""
    natural = _NATURAL_STEP.get(period_type)
    steps = [b - a for a, b in zip(indices, indices[1:], strict=False) if b > a]
    if natural:
        return natural
    return min(steps, default=1)


def time_series(figures, indicator, *, label: str | None = None) -> dict:
    """Chart data for `figures` (one indicator, one area, in period order) on a time axis.

    Returns {"kind": "time", "unit", "axis_title", "begin_at_zero": True,
    "datasets": [{"label", "data": [{"x": month index, "y": number | None, "label": period label,
    "display": the figure as shown}]}], "ticks": {str(x): short label}, "breaks": [{"x", "label", "note"}]}.
    `indicator` needs its comparability notes (`Indicator.objects.with_details()`).
    """
    figures = sorted(figures, key=lambda figure: figure.period.end)
    indices = [month_index(figure.period.end) for figure in figures]
    step = cadence(indicator.period_type, indices)
    notes = sorted(indicator.comparability_notes.all(), key=lambda note: note.effective_from)
    points, breaks = [], []
    for position, figure in enumerate(figures):
        x = indices[position]
        if position:
            before, previous_x = figures[position - 1], indices[position - 1]
            for missing in range(previous_x + step, x, step):
                points.append({"x": missing, "y": None, "label": "", "display": "no published figure"})
            for note in notes:
                if before.period.end < note.effective_from <= figure.period.end:
                    at = _break_position(note.effective_from, previous_x, x)
                    breaks.append({"x": at, "label": NOT_COMPARABLE, "note": note.text})
                    points.append({"x": at, "y": None, "label": "", "display": NOT_COMPARABLE})
        points.append({"x": x, "y": figure.chart_value, "label": figure.period.label, "display": figure.display})
    points.sort(key=lambda point: point["x"])
    return {
        "kind": "time",
        "unit": indicator.unit,
        "axis_title": AXIS_TITLES[Unit(indicator.unit)],
        "begin_at_zero": True,
        "datasets": [{"label": label or indicator.name, "data": points}],
        "ticks": {str(indices[i]): tick_label(figure.period) for i, figure in enumerate(figures)},
        "breaks": breaks,
    }


def _break_position(effective_from: date, earlier: int, later: int) -> float:
    """Half a month before the month the change took effect, kept strictly between the two points."""
    at = month_index(effective_from) - 0.5
    return at if earlier < at < later else (earlier + later) / 2


def category_series(figures, indicator, labels: list[str]) -> dict:
    """Chart data for figures side by side (areas): a bar per label, on a value axis from zero."""
    return {
        "kind": "category",
        "unit": indicator.unit,
        "axis_title": AXIS_TITLES[Unit(indicator.unit)],
        "begin_at_zero": True,
        "labels": labels,
        "datasets": [{"label": indicator.name, "data": [figure.chart_value for figure in figures]}],
    }


def plotted(series: dict) -> list[dict]:
    """The points of a time series that have a value."""
    return [point for point in series["datasets"][0]["data"] if point["y"] is not None]
