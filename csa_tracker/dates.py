"""A day in words, the one way messages and labels built in Python say a date: "1 April 2018" (issue 25:
"01 Apr 2018" in one message and "1 April 2018" in the next). Templates say the same with `date:"j F Y"`;
tables keep their short "4 Mar 2027" (`actions.rows.short_date`)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def day_in_words(day: date | datetime) -> str:
    """`day` as "1 April 2018": no leading zero, the month in full. A datetime is said as the day it is in
    the current time zone (a report published at 23:30 UTC on 30 June is published on 1 July in summer)."""
    if isinstance(day, datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    return f"{day.day} {day:%B %Y}"
