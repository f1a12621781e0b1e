"""The governing group's loop: escalations e-mailed once per publication round, a response recorded on
the escalation's own read-only page, report publication announced, bulk publishing all or none, and
whoever submitted an item kept from publishing it while the partnership says so."""

import pytest
from django.db import transaction
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.refusals import NotAllowed
from reviews.bulk import BulkPublishError, items_publish
from tests.factories import ActionFactory, PublishedUpdateFactory
from tests.html_forms import page_forms
from tests.reviewing import corrected_and_published
from workflow import services
from workflow.models import Escalation, EscalationResponse, ReviewState


def wg(world):
    return access_for(world.users["working_group"], world.partnership)


def test_escalations_made_in_one_transaction_are_one_e_mail_to_the_governing_group(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    second = PublishedUpdateFactory(action=ActionFactory(plan_priority=world.plan_priority), cycle=world.cycle)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.item_escalate(access=wg(world), item=world.published_updates["own"], note="First concern.")
        services.item_escalate(access=wg(world), item=second, note="Second concern.")
    (message,) = mailoutbox
    assert message.to == ["governing@example.org"]
    assert message.subject == "2 items escalated to the governing group"
    for escalation in Escalation.objects.all():
        assert reverse("escalation_detail", kwargs={"partnership": "kent-test", "pk": escalation.pk}) in message.body
    assert "First concern." in message.body and "Second concern." in message.body


def test_a_rolled_back_round_sends_nothing_and_leaves_nothing_for_the_next(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.item_escalate(access=wg(world), item=world.published_updates["own"], note="Undone.")
            raise RuntimeError("rolled back")
        services.item_escalate(access=wg(world), item=world.published_updates["other_org"], note="Kept.")
    (message,) = mailoutbox
    assert "Kept." in message.body and "Undone." not in message.body


def test_the_governing_group_responds_on_a_read_only_page_and_others_see_it(world, client_as):
    escalation = services.item_escalate(access=wg(world), item=world.published_updates["own"], note="Look.")
    detail = reverse("escalation_detail", kwargs={"partnership": "kent-test", "pk": escalation.pk})
    respond = reverse("escalation_respond", kwargs={"partnership": "kent-test", "pk": escalation.pk})
    board = client_as(world.users["governing"])
    page = board.get(reverse("escalations", kwargs={"partnership": "kent-test"})).content.decode()
    assert f'href="{detail}"' in page and "Awaiting the governing group" in page
    page = board.get(detail).content.decode()
    assert "Own published progress." in page and "My actions" not in page and "<form" not in page.split("<main")[1]
    response = board.post(respond, {"kind": "noted", "note": "Thank you."})
    assert response.status_code == 302
    assert EscalationResponse.objects.get().kind == "noted"
    for role in ("working_group", "partner"):
        page = client_as(world.users[role]).get(detail).content.decode()
        assert "Noted</strong>" in page and "Thank you." in page and "Record a response" not in page
    assert client_as(world.users["working_group"]).post(respond, {"kind": "noted"}).status_code == 403
    assert EscalationResponse.objects.count() == 1


def test_publishing_a_report_e_mails_the_governing_group_a_link(
    world, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("report_publish", kwargs={"partnership": "kent-test", "plan": "2017-18", "cycle": "q4-2017-18"})
    with django_capture_on_commit_callbacks(execute=True):
        client_as(world.users["working_group"]).post(url, {"reason": ""})
    (message,) = [m for m in mailoutbox if "governing@example.org" in m.to]
    assert message.subject == "Report published: Test Agreement 2017/18, Q4 2017/18"
    assert "/kent-test/reports/2017-18/q4-2017-18/v1/" in message.body


def test_bulk_publish_is_all_or_none_and_names_the_item_refused(world):
    own, other = world.submitted_updates["own"], world.submitted_updates["other_org"]
    with pytest.raises(BulkPublishError, match="Nothing was published: “Other council"):
        items_publish(access=wg(world), items=[(own, own.version), (other, other.version + 5)])
    own.refresh_from_db()
    assert own.state == ReviewState.SUBMITTED
    published = items_publish(access=wg(world), items=[(own, own.version), (other, other.version)])
    assert {item.state for item in published} == {ReviewState.PUBLISHED}


def test_the_queue_publishes_the_checked_items_with_one_post(world, client_as):
    own, other = world.submitted_updates["own"], world.submitted_updates["other_org"]
    client = client_as(world.users["working_group"])
    queue = client.get(reverse("review_queue", kwargs={"partnership": "kent-test"})).content.decode()
    assert f'value="update:{own.pk}:{own.version}"' in queue
    url = reverse("review_publish_many", kwargs={"partnership": "kent-test"})
    page = client.post(
        url, {"item": [f"update:{own.pk}:{own.version}", f"update:{other.pk}:{other.version}"]}, follow=True
    )
    assert "Published 2 items." in page.content.decode()
    assert client.post(url, {"item": ["update:abc:1"]}, follow=True).content.decode().count("not understood") == 1


def test_check_every_item_works_without_javascript_and_posts_them_all(world, client_as):
    client = client_as(world.users["working_group"])
    queue = reverse("review_queue", kwargs={"partnership": "kent-test"})
    page = client.get(queue).content.decode()
    assert 'data-check-all="item" hidden' in page  # the heading's box is for static/js/check-all.js
    assert '<a href="?page=1&amp;check=all">Check every item on this page</a>' in page
    checked = client.get(f"{queue}?page=1&check=all").content.decode()
    [form] = [form for form in page_forms(checked) if form.action.endswith("/review/publish/")]
    submitted = [item for case, item in world.submitted_updates.items() if case != "other_partnership"]
    expected = [f"{item.kind.name}:{item.pk}:{item.version}" for item in submitted]
    expected += [
        f"reading:{item.pk}:{item.version}"
        for case, item in world.submitted_readings.items()
        if case != "other_partnership"
    ]
    assert sorted(form.data()["item"]) == sorted(expected)


def test_whoever_submitted_cannot_publish_unless_the_partnership_allows_it(world):
    access = wg(world)
    item = services.item_save(
        access=access,
        model=type(world.submitted_updates["own"]),
        fields={"action": ActionFactory(plan_priority=world.plan_priority), "cycle": world.cycle, "text": "Mine."}
        | {"status": world.submitted_updates["own"].status},
        submit=True,
        notify=False,
    )
    with pytest.raises(NotAllowed, match="another member of the Working Group must publish it"):
        services.item_publish(access=access, item=item, version=item.version, notify=False)
    world.partnership.separate_publisher = False
    world.partnership.save()
    item.refresh_from_db()
    assert services.item_publish(access=access, item=item, version=item.version, notify=False).state == "published"


def test_the_report_quotes_a_corrected_reading_and_says_it_was_corrected(world):
    from reports.snapshot import build_snapshot

    reading = world.published_readings["own"]
    services.item_escalate(access=wg(world), item=reading, note="Casualties up.", notify=False)
    corrected_and_published(access=wg(world), item=reading, fields={"value": 6200}, reason="Late police return.")
    (row,) = build_snapshot(world.cycle)["escalations"]
    assert row["kind"] == "Indicator reading" and "6,200" in row["text"]
    assert row["corrected"] == "Late police return."
