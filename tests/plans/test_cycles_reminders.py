"""`send_reminders`: who is reminded when, never twice a day; the weekly digest and its unsubscribe."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from csa_tracker.notifications.models import Notification, NotificationChoice
from cycles.models import CycleState, ReminderLog
from cycles.unsubscribe import unsubscribe_token
from tests.factories import ActionFactory, MembershipFactory, ProgressUpdateFactory

# The world cycle's deadline is Friday 16 February 2018; Monday 12 February is digest day.
FRIDAY_BEFORE, MONDAY, THURSDAY, DEADLINE = date(2018, 2, 9), date(2018, 2, 12), date(2018, 2, 15), date(2018, 2, 16)


@pytest.fixture
def owed(world):
    """Two of our actions still owed (one with no update, one returned), one other council's."""
    none = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording="Nothing written yet")
    returned = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording="Sent back")
    ProgressUpdateFactory(action=returned, cycle=world.cycle, state="returned")
    theirs = ActionFactory(plan_priority=world.plan_priority, leads=[world.other_org], wording="Theirs")
    return {"none": none, "returned": returned, "theirs": theirs}


def run(day):
    call_command("send_reminders", today=day.isoformat())


def reminders(mailoutbox, to="partner@example.org"):
    return [message for message in mailoutbox if message.to == [to] and "due" in message.subject]


@pytest.mark.parametrize(
    ("day", "subject"), [(FRIDAY_BEFORE, "due in 7 days"), (THURSDAY, "due in 1 day"), (DEADLINE, "due today")]
)
def test_partner_is_reminded_on_the_configured_days_and_on_the_deadline(world, owed, mailoutbox, day, subject):
    run(day)
    [message] = reminders(mailoutbox)
    assert subject in message.subject
    assert "Nothing written yet" in message.body and "Sent back" in message.body
    assert "Theirs" not in message.body and "Own council" not in message.body  # submitted already
    assert f"/kent-test/actions/{owed['none'].pk}/progress/" in message.body
    assert "Sent back" in message.alternatives[0][0]


def test_no_reminder_on_other_days_nor_to_those_with_nothing_owed(world, owed, mailoutbox):
    run(date(2018, 2, 13))
    assert reminders(mailoutbox) == []
    run(DEADLINE)
    assert reminders(mailoutbox, to="working_group@example.org") == []


def test_other_organisations_partners_get_their_own_actions_only(world, owed, mailoutbox):
    MembershipFactory(
        user__username="their-partner", partnership=world.partnership, organisation=world.other_org, role="partner"
    )
    run(DEADLINE)
    [message] = reminders(mailoutbox, to="their-partner@example.org")
    assert "Theirs" in message.body and "Nothing written yet" not in message.body


def test_running_twice_on_one_day_sends_nothing_twice(world, owed, mailoutbox):
    run(DEADLINE)
    run(DEADLINE)
    assert len(reminders(mailoutbox)) == 1
    assert ReminderLog.objects.filter(user=world.users["partner"], sent_on=DEADLINE).count() == 2  # one per action


def test_days_before_are_configurable(world, owed, mailoutbox, settings):
    settings.CSA_REMINDER_DAYS_BEFORE = [3]
    run(FRIDAY_BEFORE)
    assert reminders(mailoutbox) == []
    run(date(2018, 2, 13))
    assert "due in 3 days" in reminders(mailoutbox)[0].subject


def test_the_day_after_the_deadline_the_cycle_locks_and_no_reminder_goes(world, owed, mailoutbox):
    run(date(2018, 2, 17))
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.LOCKED
    assert reminders(mailoutbox) == []


def digests(mailoutbox):
    return [message for message in mailoutbox if message.subject.startswith("Weekly digest")]


def test_weekly_digest_tells_the_working_group_the_queue_and_the_gaps(world, owed, mailoutbox):
    run(MONDAY)
    [digest] = digests(mailoutbox)
    assert digest.to == ["working_group@example.org"]
    assert "4 items waiting, 0 flagged" in digest.body  # two updates and two readings submitted
    assert "2 actions with no update yet" in digest.body
    assert "/kent-test/cycles/" in digest.body
    assert "/notifications/digest/unsubscribe/" in digest.body
    html = digest.alternatives[0][0]
    assert "Stop these digests" in html and "4 items waiting" in html


def test_digest_goes_only_on_its_weekday_and_once(world, owed, mailoutbox):
    run(date(2018, 2, 13))
    assert digests(mailoutbox) == []
    run(MONDAY)
    run(MONDAY)
    assert len(digests(mailoutbox)) == 1


def test_digest_lists_overdue_actions_once_the_deadline_has_passed(world, owed, mailoutbox, settings):
    settings.CSA_DIGEST_WEEKDAY = 5  # Saturday 17 February, the day after the deadline
    run(date(2018, 2, 17))
    [digest] = digests(mailoutbox)
    assert "Overdue: Nothing written yet" in digest.body and "Overdue: Sent back" in digest.body


def test_unsubscribing_stops_digests_but_not_deadline_reminders(world, owed, mailoutbox, client, settings):
    wg = world.users["working_group"]
    MembershipFactory(user=wg, partnership=world.partnership, organisation=world.own_org, role="partner")
    url = reverse("digest_unsubscribe", kwargs={"token": unsubscribe_token(wg)})
    assert "Stop the weekly digest" in client.get(url).content.decode()  # no sign-in needed
    assert not NotificationChoice.objects.filter(user=wg).exists()  # a GET changes nothing
    client.post(url)
    assert NotificationChoice.objects.get(user=wg).delivery == "off"
    settings.CSA_REMINDER_DAYS_BEFORE = [4]  # so Monday is also a reminder day
    run(MONDAY)
    assert digests(mailoutbox) == []
    assert len(reminders(mailoutbox, to="working_group@example.org")) == 1
    # Not e-mailed, but still listed on the Notifications page.
    listed = Notification.objects.get(user=wg, kind="queue_digest")
    assert (listed.subject, listed.delivery, listed.emailed_at) == (
        "Weekly digest: KTP review queue and gaps",
        "off",
        None,
    )


def test_a_tampered_unsubscribe_link_is_404(world, client):
    token = unsubscribe_token(world.users["working_group"])
    assert client.get(reverse("digest_unsubscribe", kwargs={"token": token + "x"})).status_code == 404


def test_bad_today_is_a_clear_error():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", today="16/02/2018")


def test_someone_in_two_working_groups_gets_both_digests(world, owed, mailoutbox):
    MembershipFactory(
        user=world.users["working_group"],
        partnership=world.other_partnership,
        organisation=world.own_org,
        role="working_group",
    )
    run(MONDAY)
    run(MONDAY)
    assert sorted(message.subject for message in digests(mailoutbox)) == sorted(
        [
            f"Weekly digest: {world.other_partnership.short_name} review queue and gaps",
            "Weekly digest: KTP review queue and gaps",
        ]
    )
