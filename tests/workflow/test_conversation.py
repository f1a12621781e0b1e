"""The conversation on an item between the partners of its organisation and the Working Group: who
writes and reads it, who is told, the return comment as its first message, the audit trail, corrections,
and never in a report."""

import pytest
from django.core import mail
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.audit.models import AuditEntry
from csa_tracker.notifications.models import Notification
from csa_tracker.notifications.services import notify
from reports.snapshot import build_snapshot
from tests.evidence.helpers import attach
from tests.factories import MembershipFactory, UserFactory
from tests.html_forms import page_forms
from tests.reviewing import colleague_of, corrected_and_published
from workflow.models import Comment, ReviewState
from workflow.services import item_publish, item_return


@pytest.fixture
def update(world):
    return world.submitted_updates["own"]


def conversation(item) -> str:
    return reverse(f"{item.kind.name}_conversation", kwargs={"partnership": item.partnership.slug, "pk": item.pk})


def say(client, item, text, back=""):
    data = {"comment-text": text, **({"back": back} if back else {})}
    return client.post(conversation(item), data)


def test_a_partner_asks_and_the_working_group_is_told(world, update, client_as, django_capture_on_commit_callbacks):
    partner = client_as(world.users["partner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = say(partner, update, "Should the March figures go in this quarter?", back="item")
    assert response.status_code == 302
    assert response["Location"] == reverse("update_edit", kwargs={"partnership": "kent-test", "pk": update.pk})
    comment = Comment.objects.get(update=update)
    assert (comment.author, comment.from_working_group, comment.occasion) == (world.users["partner"], False, "comment")
    assert [message.to for message in mail.outbox] == [[world.users["working_group"].email]]
    assert mail.outbox[0].subject == "Comment on the progress update on “Own council's action”"
    assert "Should the March figures go in this quarter?" in mail.outbox[0].body
    assert f"http://127.0.0.1:8000{conversation(update)}" in mail.outbox[0].body
    told = Notification.objects.get(kind="comment")
    assert (told.user, told.url) == (world.users["working_group"], conversation(update))
    entry = AuditEntry.objects.for_object(update).get(verb="comment")
    assert (entry.actor, entry.summary, entry.reason) == (
        world.users["partner"],
        "Comment on the progress update",
        "Should the March figures go in this quarter?",
    )


def test_the_working_group_answers_and_the_partners_of_the_organisation_are_told(
    world, update, client_as, django_capture_on_commit_callbacks
):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, partnership=world.partnership, organisation=world.own_org, role="partner")
    elsewhere = UserFactory(username="other-council")
    MembershipFactory(user=elsewhere, partnership=world.partnership, organisation=world.other_org, role="partner")
    reviewer = client_as(world.users["working_group"])
    with django_capture_on_commit_callbacks(execute=True):
        response = say(reviewer, update, "Yes: include them, marked provisional.", back="review")
    assert response["Location"] == reverse("review_update", kwargs={"partnership": "kent-test", "pk": update.pk})
    assert sorted(message.to[0] for message in mail.outbox) == ["colleague@example.org", "partner@example.org"]
    assert Comment.objects.get(update=update).from_working_group


def test_both_sides_read_the_conversation_on_the_items_pages(world, update, client_as):
    item_return(
        access=access_for(world.users["working_group"], world.partnership),
        item=update,
        version=update.version,
        comment="Please add the dates.",
        notify=False,
    )
    say(client_as(world.users["partner"]), update, "Dates added: 3 and 17 March.")
    partner_page = client_as(world.users["partner"]).get(conversation(update)).content.decode()
    for page in (partner_page, client_as(world.users["working_group"]).get(conversation(update)).content.decode()):
        first, second = page.index("Please add the dates."), page.index("Dates added: 3 and 17 March.")
        assert first < second
        assert "Returned with this comment" in page
    edit = reverse("update_edit", kwargs={"partnership": "kent-test", "pk": update.pk})
    assert "Dates added: 3 and 17 March." in client_as(world.users["partner"]).get(edit).content.decode()


def test_the_return_comment_is_the_first_message(world, update):
    access = access_for(world.users["working_group"], world.partnership)
    item_return(access=access, item=update, version=update.version, comment="Say who attended.", notify=False)
    [comment] = Comment.objects.filter(update=update)
    assert (comment.text, comment.occasion, comment.from_working_group, comment.author) == (
        "Say who attended.",
        "returned",
        True,
        world.users["working_group"],
    )
    assert not AuditEntry.objects.for_object(update).filter(verb="comment").exists()  # the return is the entry


@pytest.mark.parametrize(
    ("who", "status"),
    [("governing", 403), ("admin", 403), ("other_org_partner", 404), ("outsider", 404)],
)
def test_nobody_else_reads_or_writes_it(world, update, client, who, status):
    if who == "other_org_partner":
        person = UserFactory()
        MembershipFactory(user=person, partnership=world.partnership, organisation=world.other_org, role="partner")
    else:
        person = world.outsider if who == "outsider" else world.users[who]
    client.force_login(person)
    assert client.get(conversation(update)).status_code == status
    assert say(client, update, "Let me in.").status_code == status
    assert not Comment.objects.exists()


def test_another_organisations_partner_sees_a_published_item_without_its_conversation(world, client):
    published = world.published_updates["own"]
    Comment.objects.create(update=published, author=world.users["working_group"], text="Thanks, well done.")
    person = UserFactory()
    MembershipFactory(user=person, partnership=world.partnership, organisation=world.other_org, role="partner")
    client.force_login(person)
    edit = reverse("update_edit", kwargs={"partnership": "kent-test", "pk": published.pk})
    page = client.get(edit).content.decode()
    assert "Own published progress." in page
    assert "Thanks, well done." not in page and "Conversation" not in page
    assert client.get(conversation(published)).status_code == 404


def test_an_empty_message_is_refused_on_its_field(world, update, client_as):
    response = say(client_as(world.users["partner"]), update, "   \n ")
    assert response.status_code == 200
    assert response.content.decode().count("Write your message before sending it: it is empty.") == 2
    assert "is-invalid" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_correction_carries_the_conversation_and_no_report_shows_it(world, update):
    wg = access_for(world.users["working_group"], world.partnership)
    Comment.objects.create(update=update, author=world.users["partner"], text="A private aside about funding.")
    published = item_publish(
        access=colleague_of(wg),  # the submitter's colleague publishes (four eyes)
        item=update,
        version=update.version,
        comment="Good work.",
        notify=False,
    )
    corrected = corrected_and_published(access=wg, item=published, fields={"text": "Fixed."}, reason="Typo")
    assert corrected.state == ReviewState.PUBLISHED
    assert [comment.text for comment in Comment.objects.filter(update=corrected)] == [
        "A private aside about funding.",
        "Good work.",
    ]
    snapshot = str(build_snapshot(world.cycle))
    assert "Fixed." in snapshot
    assert "A private aside" not in snapshot and "Good work." not in snapshot


def test_every_form_on_the_new_pages_carries_its_csrf_token(world, update, client_as):
    """The includes take `csrf_token` along (they render with `only`); without it the browser's post is refused."""
    update.state = ReviewState.DRAFT
    update.save()
    attach(world.users["partner"], update)
    Comment.objects.create(update=update, author=world.users["working_group"], text="Please add the register.")
    notify(
        kind_key="comment",
        recipients=[world.users["partner"]],
        partnership=world.partnership,
        template="reviews/email/commented.txt",
        context={"item": update, "title": "x", "comment": Comment.objects.get(), "url": ""},
    )
    pages = {
        "item": reverse("update_edit", kwargs={"partnership": "kent-test", "pk": update.pk}),
        "conversation": conversation(update),
        "notifications": reverse("notification_list", kwargs={"partnership": "kent-test"}),
        "calendar": reverse("calendar_links", kwargs={"partnership": "kent-test"}),
    }
    client = client_as(world.users["partner"])
    posts = []
    for name, address in pages.items():
        for form in page_forms(client.get(address).content.decode()):
            if form.method == "post" and form.action != "/accounts/logout/":
                posts.append((name, form.action, any(key == "csrfmiddlewaretoken" for key, _ in form.values)))
    attachment, notification = update.attachments.get(), Notification.objects.get()
    assert posts == [
        ("item", "", True),  # the progress form with its evidence field
        ("item", f"/kent-test/evidence/{attachment.pk}/remove/", True),
        ("item", conversation(update), True),
        ("conversation", conversation(update), True),
        ("notifications", "/kent-test/notifications/read/", True),
        ("notifications", f"/kent-test/notifications/{notification.pk}/read/", True),
        ("calendar", "/kent-test/calendar/reset/", True),
    ]
