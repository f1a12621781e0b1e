"""Everything the app e-mails is listed on the person's Notifications page (unread count in the menu,
mark as read, 25 a page) and e-mailed as they chose per kind: at once, in a daily or weekly digest
(sent by the daily job), or not at all."""

import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csa_tracker.notifications.models import Notification, NotificationChoice
from csa_tracker.notifications.services import notification_choices_save, notify
from tests.factories import MembershipFactory, UserFactory

MONDAY, TUESDAY = date(2018, 2, 12), date(2018, 2, 13)  # CSA_DIGEST_WEEKDAY is 0, Monday


def tell(world, user, subject, kind="decided", partnership=None):
    """One notification through the service, as the workflow makes them."""
    partnership = partnership or world.partnership
    return notify(
        kind_key=kind,
        recipients=[user],
        partnership=partnership,
        template="reviews/email/report_published.txt",
        context={"report": _Report(subject), "url": "http://127.0.0.1:8000/x/"},
        url=f"/{partnership.slug}/plans/",
        subject=subject,
    )


class _Report:
    """Just enough of a report for the report-published template's body."""

    def __init__(self, title):
        self.version, self.correction_reason = 1, ""
        self.cycle = self.plan = type("Named", (), {"name": title, "title": title})()


def url(world, name="notification_list", **kwargs):
    return reverse(name, kwargs={"partnership": world.partnership.slug, **kwargs})


def test_each_notification_is_listed_with_an_unread_count_in_the_menu(world, client_as):
    partner = world.users["partner"]
    tell(world, partner, "First news")
    tell(world, partner, "Second news")
    tell(world, world.users["working_group"], "Not the partner's")
    tell(world, partner, "From another partnership", partnership=world.other_partnership)
    page = client_as(partner).get(url(world)).content.decode()
    assert page.index("Second news") < page.index("First news")
    assert "Not the partner's" not in page and "From another partnership" not in page
    assert (
        '>Notifications <span class="badge rounded-pill text-bg-light">2<span class="visually-hidden"> unread' in page
    )


def test_opening_one_marks_it_read_and_goes_to_its_page(world, client_as):
    [notification] = tell(world, world.users["partner"], "Published: your update")
    client = client_as(world.users["partner"])
    response = client.get(url(world, "notification_open", pk=notification.pk))
    assert response.status_code == 302 and response["Location"] == "/kent-test/plans/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "text-bg-light" not in client.get(url(world)).content.decode()  # no unread count left


def test_mark_one_and_mark_all_read(world, client_as):
    partner = world.users["partner"]
    first, second, third = (tell(world, partner, f"News {n}")[0] for n in range(3))
    client = client_as(partner)
    client.post(url(world, "notification_read", pk=first.pk))
    assert list(Notification.objects.unread().order_by("pk")) == [second, third]
    response = client.post(url(world, "notification_read_all"), follow=True)
    assert "Marked 2 notifications read." in response.content.decode()
    assert not Notification.objects.unread().exists()


def unread_badge(client, world) -> str | None:
    """The menu's unread count on the plan list, as shown (None: no badge)."""
    page = client.get(reverse("plan_list", kwargs={"partnership": world.partnership.slug})).content.decode()
    found = re.search(r'>Notifications <span class="badge[^"]*">(\d+)<', page)
    return found and found.group(1)


def test_the_menus_unread_count_is_kept_and_moves_at_once_with_each_change(world, client_as):
    partner = world.users["partner"]
    client = client_as(partner)
    assert unread_badge(client, world) is None
    first, _second = (tell(world, partner, f"News {n}")[0] for n in range(2))
    assert unread_badge(client, world) == "2"  # a new notification shows at once
    with CaptureQueriesContext(connection) as captured:
        assert unread_badge(client, world) == "2"
    assert not [query for query in captured if "notifications_notification" in query["sql"]]  # kept
    tell(world, world.users["working_group"], "Someone else's")
    tell(world, partner, "Elsewhere", partnership=world.other_partnership)
    assert unread_badge(client, world) == "2"
    client.post(url(world, "notification_read", pk=first.pk))
    assert unread_badge(client, world) == "1"
    tell(world, partner, "Third news")
    assert unread_badge(client, world) == "2"
    client.post(url(world, "notification_read_all"))
    assert unread_badge(client, world) is None


def test_someone_elses_notification_cannot_be_opened_or_marked(world, client_as):
    [theirs] = tell(world, world.users["working_group"], "Queue news")
    client = client_as(world.users["partner"])
    assert client.get(url(world, "notification_open", pk=theirs.pk)).status_code == 404
    assert client.post(url(world, "notification_read", pk=theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_is_paginated_25_a_page(world, client_as):
    for number in range(26):
        tell(world, world.users["partner"], f"Item {number:02d}")
    client = client_as(world.users["partner"])
    first = client.get(url(world)).content.decode()
    second = client.get(url(world) + "?page=2").content.decode()
    assert "Item 25" in first and "Item 01" in first and "Item 00" not in first
    assert "Item 00" in second and "Page 2 of 2" in second


def test_at_once_by_default_with_a_link_to_choose_otherwise(world):
    tell(world, world.users["partner"], "Published: your update")
    [message] = mail.outbox
    assert message.to == ["partner@example.org"] and message.subject == "Published: your update"
    assert (
        "Choose how often you are e-mailed, or stop these e-mails: http://127.0.0.1:8000/kent-test/notifications/settings/"
        in message.body
    )
    assert Notification.objects.get().emailed_at is not None


def test_inactive_people_and_duplicates_are_told_once_or_not_at_all(world):
    gone = UserFactory(is_active=False)
    partner = world.users["partner"]
    made = notify(
        kind_key="decided",
        recipients=[partner, partner, gone, None],
        partnership=world.partnership,
        template="reviews/email/report_published.txt",
        context={"report": _Report("x"), "url": ""},
        subject="Once",
    )
    assert [notification.user for notification in made] == [partner]
    assert len(mail.outbox) == 1


def test_weekly_digest_people_get_one_e_mail_on_the_digest_day_and_never_twice(world):
    partner = world.users["partner"]
    notification_choices_save(user=partner, choices={"decided": "weekly", "comment": "weekly"})
    tell(world, partner, "Published: road safety update")
    tell(world, partner, "Comment on road safety", kind="comment")
    assert mail.outbox == []
    call_command("send_reminders", today=TUESDAY.isoformat())
    assert mail.outbox == []  # a weekly digest waits for its day
    call_command("send_reminders", today=MONDAY.isoformat())
    call_command("send_reminders", today=MONDAY.isoformat())
    [digest] = [message for message in mail.outbox if message.to == ["partner@example.org"]]
    assert digest.subject == "Your weekly digest: 2 notifications from the CSA Tracker"
    assert digest.body.index("Published: road safety update") < digest.body.index("Comment on road safety")
    assert "http://127.0.0.1:8000/kent-test/plans/" in digest.body
    assert not Notification.objects.filter(user=partner, emailed_at__isnull=True).exists()


def test_daily_digest_goes_every_day_and_off_is_listed_only(world, client_as):
    partner, reviewer = world.users["partner"], world.users["working_group"]
    notification_choices_save(user=partner, choices={"decided": "daily"})
    notification_choices_save(user=reviewer, choices={"decided": "off"})
    tell(world, partner, "Published: one")
    tell(world, reviewer, "Published: two")
    call_command("send_reminders", today=TUESDAY.isoformat())
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["partner@example.org"], "Your daily digest: 1 notification from the CSA Tracker")
    ]
    assert "Published: two" in client_as(reviewer).get(url(world)).content.decode()
    assert Notification.objects.get(user=reviewer).emailed_at is None


def test_the_settings_page_saves_each_choice(world, client_as):
    client = client_as(world.users["governing"])
    page = client.get(url(world, "notification_settings")).content.decode()
    assert "Published reports" in page and "Sent to the governing group, for each report published." in page
    data = {
        "submitted": "immediate",
        "decided": "immediate",
        "comment": "immediate",
        "escalated": "daily",
        "governing_request": "immediate",
        "report_published": "weekly",
        "reminder": "off",
        "queue_digest": "immediate",
    }
    response = client.post(url(world, "notification_settings"), data, follow=True)
    assert "Saved: your e-mails follow these choices from now on." in response.content.decode()
    stored = dict(NotificationChoice.objects.filter(user=world.users["governing"]).values_list("kind", "delivery"))
    assert stored == {"escalated": "daily", "report_published": "weekly", "reminder": "off"}
    bad = client.post(url(world, "notification_settings"), {**data, "reminder": "hourly"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()


def test_choices_apply_in_every_partnership_of_the_person(world):
    partner = world.users["partner"]
    MembershipFactory(user=partner, partnership=world.other_partnership, role="partner")
    notification_choices_save(user=partner, choices={"decided": "off"})
    tell(world, partner, "Here", partnership=world.partnership)
    tell(world, partner, "There", partnership=world.other_partnership)
    assert mail.outbox == []
    assert Notification.objects.filter(user=partner, delivery="off").count() == 2


def test_an_invitation_is_always_at_once_and_never_a_choice(world):
    with pytest.raises(ValueError, match="always e-mailed at once"):
        notification_choices_save(user=world.users["partner"], choices={"invitation": "off"})
