"""A day in words, the one way messages and labels built in Python say a date: "1 April 2018" (issue 25:
"01 Apr 2018" in one message and "1 April 2018" in the next). Templates say the same with `date:"j F Y"`;
tables built in Python say the short "4 Mar 2027" (`short_date`), as templates do with `date:"j M Y"`, and a
moment "4 Mar 2027, 14:05" (`short_moment`, `date:"j M Y, H:i"`)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def _local(day: date | datetime) -> date | datetime:
    """A datetime as the day it is in the current time zone (a report published at 23:30 UTC on 30 June is
    published on 1 July in summer); a date as it is."""
    if isinstance(day, datetime) and timezone.is_aware(day):
        return timezone.localtime(day)
    return day


def day_in_words(day: date | datetime) -> str:
    """`day` as "1 April 2018": no leading zero, the month in full."""
    day = _local(day)
    return f"{day.day} {day:%B %Y}"


def short_date(day: date | datetime | None) -> str:
    """`day` as the tables show it, "4 Mar 2027" (the template filter `date:"j M Y"`); "" for None."""
    if not day:
        return ""
    day = _local(day)
    return f"{day.day} {day:%b %Y}"


def short_moment(moment: datetime | None) -> str:
    """`moment` in the current time zone as the tables show it, "4 Mar 2027, 14:05" (the template filter
    `date:"j M Y, H:i"`); "" for None."""
    if not moment:
        return ""
    moment = _local(moment)
    return f"{moment.day} {moment:%b %Y, %H:%M}"
