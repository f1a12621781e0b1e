"""Calendar feeds: each person's own deadlines and meetings and the partnership's, as .ics that
icalendar reads, behind a secret link the person can make anew (the old one then answers 404), with
events whose identifier survives a moved date."""

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from calendars.feeds import feed_token
from csa_tracker.accounts.access import access_for
from csa_tracker.audit.models import AuditEntry
from cycles.models import ReportingCycle
from cycles.services import CYCLE_AUDITED, cycle_save
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def cycle(world):
    cycle = world.cycle
    ReportingCycle.objects.filter(pk=cycle.pk).update(
        review_meeting=date(2018, 2, 27), governing_meeting=date(2018, 3, 15)
    )
    cycle.refresh_from_db()
    return cycle


def person_url(user) -> str:
    return reverse("calendar_person", kwargs={"token": feed_token(user)})


def partnership_url(user, partnership) -> str:
    return reverse("calendar_partnership", kwargs={"token": feed_token(user), "partnership": partnership.slug})


def events(client, url) -> dict[str, tuple]:
    """{UID: (start date, summary)} of the feed at `url`, fetched signed out, as a calendar program does."""
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): (event.decoded("dtstart"), str(event["summary"])) for event in calendar.walk("VEVENT")}


def test_each_person_gets_the_dates_their_roles_concern(world, cycle, client):
    pk = cycle.pk
    deadline = (f"cycle-{pk}-update_deadline@127.0.0.1", (date(2018, 2, 16), "Progress updates due: Q4 2017/18 (KTP)"))
    review = (
        f"cycle-{pk}-review_meeting@127.0.0.1",
        (date(2018, 2, 27), "Working Group review meeting: Q4 2017/18 (KTP)"),
    )
    governing = (
        f"cycle-{pk}-governing_meeting@127.0.0.1",
        (date(2018, 3, 15), "Governing group meeting: Q4 2017/18 (KTP)"),
    )
    assert events(client, person_url(world.users["partner"])) == dict([deadline])
    assert events(client, person_url(world.users["working_group"])) == dict([deadline, review, governing])
    assert events(client, person_url(world.users["governing"])) == dict([governing])
    assert events(client, partnership_url(world.users["partner"], world.partnership)) == dict(
        [deadline, review, governing]
    )


def test_a_moved_deadline_keeps_its_event(world, cycle, client):
    before = events(client, person_url(world.users["partner"]))
    access = access_for(world.users["working_group"], world.partnership)
    fields = {name: getattr(cycle, name) for name in CYCLE_AUDITED} | {"update_deadline": date(2018, 2, 23)}
    cycle_save(access=access, cycle=cycle, fields=fields)
    after = events(client, person_url(world.users["partner"]))
    assert list(after) == list(before) == [f"cycle-{cycle.pk}-update_deadline@127.0.0.1"]
    assert [start for start, _ in after.values()] == [date(2018, 2, 23)]


def test_every_partnership_of_the_person_is_in_their_feed(world, cycle, client):
    [elsewhere] = ReportingCycle.objects.filter(plan=world.other_plan)
    assert list(events(client, person_url(world.users["partner"]))) == [f"cycle-{cycle.pk}-update_deadline@127.0.0.1"]
    MembershipFactory(user=world.users["partner"], partnership=world.other_partnership, role="partner")
    found = events(client, person_url(world.users["partner"]))
    assert sorted(found) == sorted(
        [f"cycle-{cycle.pk}-update_deadline@127.0.0.1", f"cycle-{elsewhere.pk}-update_deadline@127.0.0.1"]
    )


def test_making_new_links_stops_the_old_ones(world, cycle, client_as):
    partner = world.users["partner"]
    old_mine, old_all = person_url(partner), partnership_url(partner, world.partnership)
    client = client_as(partner)
    page = client.get(reverse("calendar_links", kwargs={"partnership": "kent-test"})).content.decode()
    assert f"http://testserver{old_mine}" in page and f"http://testserver{old_all}" in page
    response = client.post(reverse("calendar_reset", kwargs={"partnership": "kent-test"}), follow=True)
    assert "New links made: the old ones no longer work." in response.content.decode()
    client.logout()
    assert client.get(old_mine).status_code == 404
    assert client.get(old_all).status_code == 404
    assert person_url(partner) != old_mine
    assert list(events(client, person_url(partner))) == [f"cycle-{cycle.pk}-update_deadline@127.0.0.1"]
    entry = AuditEntry.objects.get(verb="link_reset")
    assert (entry.actor, entry.partnership, entry.summary) == (
        partner,
        world.partnership,
        "Calendar links made anew: the old ones no longer work",
    )


def test_a_tampered_link_or_a_partnership_of_someone_else_is_404(world, cycle, client):
    token = feed_token(world.users["partner"])
    assert client.get(reverse("calendar_person", kwargs={"token": token[:-1] + "x"})).status_code == 404
    assert client.get(reverse("calendar_person", kwargs={"token": "12-0"})).status_code == 404
    assert client.get(partnership_url(world.users["partner"], world.other_partnership)).status_code == 404
    gone = UserFactory(is_active=False)
    MembershipFactory(user=gone, partnership=world.partnership, role="partner")
    assert client.get(person_url(gone)).status_code == 404
