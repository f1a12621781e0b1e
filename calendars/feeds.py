"""Calendar feeds (.ics, RFC 5545, written with icalendar) of reporting cycles' dates: a person's own
(their deadlines and meetings in every partnership they are in) and a partnership's (every date), each
behind the person's secret link, which they can make anew (`services.calendar_link_reset`).

Each event's UID is the cycle's pk and the kind of date ("cycle-12-update_deadline@host"), never the
date, so a moved deadline updates the same event in Outlook or Google rather than adding another.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from csa_tracker.accounts.access import access_for, partnerships_for
from cycles.models import ReportingCycle

from .models import CalendarKey
from .policies import DATES, dates_that_concern

SALT = "calendars.feed"
NO_KEY_YET = "0"  # a person who never reset their link
TITLES = {
    "update_deadline": "Progress updates due",
    "review_meeting": "Working Group review meeting",
    "governing_meeting": "Governing group meeting",
}
PAGES = {"update_deadline": "my_work", "review_meeting": "review_queue", "governing_meeting": "dashboard"}
# How often calendar programs that read these hints should fetch the feed again.
REFRESH = "PT6H"


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def _nonce(user) -> str:
    return CalendarKey.objects.filter(user=user).values_list("nonce", flat=True).first() or NO_KEY_YET


def feed_token(user) -> str:
    """The secret part of the person's feed addresses."""
    return signing.Signer(salt=SALT).sign(f"{user.pk}-{_nonce(user)}")


def user_for_token(token: str):
    """The active person a feed token was made for, or None when it was tampered with or reset."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    pk, _, nonce = value.partition("-")
    user = get_user_model().objects.filter(pk=pk, is_active=True).first() if pk.isdigit() else None
    if user is None or not secrets.compare_digest(nonce, _nonce(user)):
        return None
    return user


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "csa-tracker"


def _event(cycle: ReportingCycle, date_name: str, stamp) -> Event:
    day = getattr(cycle, date_name)
    partnership = cycle.plan.partnership
    event = Event()
    event.add("uid", f"cycle-{cycle.pk}-{date_name}@{_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"{TITLES[date_name]}: {cycle.name} ({partnership.short_name})")
    link = settings.SITE_URL + reverse(PAGES[date_name], kwargs={"partnership": partnership.slug})
    event.add("description", f"{cycle.plan.title}, reporting cycle {cycle.name}.\n{link}")
    event.add("url", link)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def _calendar(name: str, events: list[Event]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//CSA Tracker//Reporting cycles//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def _events(access, date_names) -> list[Event]:
    stamp = timezone.now()
    cycles = ReportingCycle.objects.visible_to(access).select_related("plan__partnership").order_by("period_start")
    return [_event(cycle, name, stamp) for cycle in cycles for name in date_names if getattr(cycle, name) is not None]


def person_feed(user) -> bytes:
    """The person's own dates in every partnership they are in (`policies.dates_that_concern`)."""
    events = []
    for partnership in partnerships_for(user).order_by("name"):
        access = access_for(user, partnership)
        events += _events(access, dates_that_concern(access))
    return _calendar(f"CSA Tracker: {user.get_full_name() or user.get_username()}", events)


def partnership_feed(access) -> bytes:
    """Every date of the partnership's reporting cycles."""
    return _calendar(f"CSA Tracker: {access.partnership.name}", _events(access, tuple(DATES)))
