"""Dates as a report says them in words: the plan's dates and the months a reporting cycle covers, so
"Q1 2019/20" in a partnership whose year starts in October is never left unexplained.

Every function takes dates or the ISO strings a snapshot stores them as ("2019-10-01").
"""

from __future__ import annotations

from datetime import date

from django.utils.dateparse import parse_date

from csa_tracker.dates import day_in_words


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else parse_date(value)


def month_span(start: date | str, end: date | str) -> str:
    """The months from `start` to `end`: "October to December 2019", "November 2019 to January 2020",
    "October 2019" when both fall in one month."""
    first, last = _day(start), _day(end)
    if (first.year, first.month) == (last.year, last.month):
        return f"{last:%B %Y}"
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


def day_span(start: date | str, end: date | str) -> str:
    """ "1 April 2017 to 31 March 2018"."""
    return f"{day_in_words(_day(start))} to {day_in_words(_day(end))}"


def plan_dates(plan: dict) -> str:
    """A snapshot's plan dates: "1 April 2017 to 31 March 2018"; "" in a snapshot without them (format 1)."""
    return day_span(plan["starts"], plan["ends"]) if "starts" in plan else ""


def cycle_with_months(cycle: dict) -> str:
    """A snapshot's cycle ({"name", "period_start", "period_end"}) with its months:
    "Q1 2019/20, October to December 2019"."""
    return f"{cycle['name']}, {month_span(cycle['period_start'], cycle['period_end'])}"


def progress_cycle_with_months(action: dict) -> str:
    """The cycle an action's progress was published for, with its months when the snapshot holds them
    (format 2): "Q2 2017/18, July to September 2017"; "Q2 2017/18" in an older snapshot."""
    if "progress_cycle_start" not in action:
        return action["progress_cycle"]
    months = month_span(action["progress_cycle_start"], action["progress_cycle_end"])
    return f"{action['progress_cycle']}, {months}"


def progress_source(action: dict, cycle_name: str) -> str:
    """The sentence under an action's progress saying where it comes from when not from the report's
    own cycle: "Last published in Q4 2017/18 of <plan> (January to March 2018)." for a carried action's
    progress of an earlier plan (snapshot format 5), "Progress as published for Q2 2017/18, July to
    September 2017." for an earlier cycle's; "" for the report's cycle or no progress."""
    if not action["progress"]:
        return ""
    if "progress_plan" in action:
        months = month_span(action["progress_cycle_start"], action["progress_cycle_end"])
        return f"Last published in {action['progress_cycle']} of {action['progress_plan']} ({months})."
    if action["progress_cycle"] == cycle_name:
        return ""
    return f"Progress as published for {progress_cycle_with_months(action)}."
