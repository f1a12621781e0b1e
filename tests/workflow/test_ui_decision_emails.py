"""The e-mail a partner gets when the Working Group returns or publishes their update names the action
in full (subject never cut, on one line) and says what happens next."""

from django.core import mail
from django.urls import reverse

from csa_tracker.accounts.models import Role

LONG_WORDING = (
    "Work with schools, parish councils and Kent Police to reduce speeding on rural roads\nnear primary "
    "schools in Tonbridge and Malling, Sevenoaks and Tunbridge Wells, through community speed watch"
)


def decide(world, client_as, decision, comment=""):
    update = world.submitted_updates["own"]
    update.action.wording = LONG_WORDING
    update.action.save()
    client = client_as(world.users[Role.WORKING_GROUP])
    url = reverse("review_update", kwargs={"partnership": world.partnership.slug, "pk": update.pk})
    data = {"decision": decision, "comment": comment, "version": update.version}
    return client.post(url, data)


def test_returned_email_names_the_action_in_full_and_says_what_to_do(
    world, client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(world, client_as, "return", "Please add the dates of the campaigns.")
    assert response.status_code == 302
    message = mail.outbox[-1]
    one_line = " ".join(LONG_WORDING.split())
    assert message.subject == f"Returned: your progress update on “{one_line}”"
    assert f"The Working Group returned your progress update on “{one_line}” for {world.cycle.name}." in message.body
    assert "Please add the dates of the campaigns." in message.body
    assert "What happens next: change it as the comment asks and submit it to the Working Group again." in message.body


def test_published_email_says_nothing_more_is_needed(world, client_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decide(world, client_as, "publish")
    message = mail.outbox[-1]
    assert message.subject.startswith("Published: your progress update on “Work with schools")
    assert "Nothing more is needed from you." in message.body


def test_the_working_group_is_told_what_to_review_without_a_cut_subject(
    world, client_as, django_capture_on_commit_callbacks
):
    world.submitted_updates["own"].delete()
    world.own_action.wording = LONG_WORDING
    world.own_action.save()
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": world.own_action.pk})
    data = {"text": "Done.", "status": world.own_action.status_id, "flag": "", "submit": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        client_as(world.users[Role.PARTNER]).post(url, data)
    assert mail.outbox[-1].subject == f"For review: progress update on “{' '.join(LONG_WORDING.split())}”"
