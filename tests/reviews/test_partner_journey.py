"""A partner writes, saves, submits, withdraws and resubmits progress on their own actions."""

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import ProgressUpdate
from csa_tracker.accounts.models import Partnership
from tests.audit_entries import entries, verbs
from tests.factories import ProgressUpdateFactory, StatusFactory
from workflow.models import ReviewState
from workflow.transitions import Transition


@pytest.fixture
def partner(world, client_as):
    return client_as(world.users["partner"])


@pytest.fixture
def fresh_action(world):
    """Our action with nothing open on it (the world's own action has a submitted update)."""
    world.submitted_updates["own"].delete()
    return world.own_action


def start_url(world, action):
    return reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": action.pk})


def kent_test_status():
    """A status of the world's partnership: the progress form offers only its own."""
    return StatusFactory(partnership=Partnership.objects.get(slug="kent-test"))


def form_data(**overrides):
    data = {"text": "Three workshops delivered.\n\n- one\n- two", "status": kent_test_status().pk, "flag": ""}
    data.update(overrides)
    return data


def test_form_starts_from_the_last_published_progress(world, partner, fresh_action):
    page = partner.get(start_url(world, fresh_action)).content.decode()
    assert "Own published progress." in page


def test_partner_saves_a_draft_then_submits_it_with_a_flag(
    world, partner, fresh_action, django_capture_on_commit_callbacks
):
    response = partner.post(start_url(world, fresh_action), {**form_data(), "save": "1"})
    update = ProgressUpdate.objects.open().get(action=fresh_action)
    assert response.status_code == 302
    assert update.state == ReviewState.DRAFT
    assert update.author == world.users["partner"]
    assert update.organisation == world.own_org

    edit = reverse("update_edit", kwargs={"partnership": "kent-test", "pk": update.pk})
    with_flag = form_data(flag="area_of_concern", flag_reason="Funding ends in March.", version=update.version)
    with django_capture_on_commit_callbacks(execute=True):
        partner.post(edit, {**with_flag, "submit": "1"})
    update.refresh_from_db()
    assert update.state == ReviewState.SUBMITTED
    assert update.flag == "area_of_concern" and update.flag_reason == "Funding ends in March."
    assert verbs(update) == [
        Transition.CREATE,
        Transition.EDIT,
        Transition.SUBMIT,
    ]
    assert [message.to for message in mail.outbox] == [[world.users["working_group"].email]]
    assert "Funding ends in March." in mail.outbox[0].body


def test_flag_without_reason_is_refused_and_keeps_the_text(world, partner, fresh_action):
    response = partner.post(
        start_url(world, fresh_action), {**form_data(text="My careful words"), "flag": "significant_change"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give a reason for the flag" in page
    assert "My careful words" in page
    assert 'href="#id_flag_reason"' in page  # the error summary links to the field
    assert not ProgressUpdate.objects.open().filter(action=fresh_action).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the progress this period."),
        ("   ", "Write the progress this period."),
        ("x" * 20_001, "Progress this period is 20001 characters long; the limit is 20000."),
    ],
)
def test_empty_or_overlong_text_is_refused(world, partner, fresh_action, text, message):
    response = partner.post(start_url(world, fresh_action), form_data(text=text))
    page = response.content.decode()
    assert message in page.replace(",", "")
    assert not ProgressUpdate.objects.open().filter(action=fresh_action).exists()
    if text.strip():
        assert text in page  # what the person typed is still there


def test_partner_withdraws_before_review(world, partner):
    update = world.submitted_updates["own"]
    url = reverse("update_withdraw", kwargs={"partnership": "kent-test", "pk": update.pk})
    partner.post(url, {"version": update.version})
    update.refresh_from_db()
    assert update.state == ReviewState.DRAFT


def test_double_submit_is_answered_with_a_message_not_an_error(world, partner, fresh_action):
    partner.post(start_url(world, fresh_action), {**form_data(), "save": "1"})
    update = ProgressUpdate.objects.open().get(action=fresh_action)
    edit = reverse("update_edit", kwargs={"partnership": "kent-test", "pk": update.pk})
    data = {**form_data(version=update.version), "submit": "1"}
    partner.post(edit, data)
    second = partner.post(edit, data)
    assert second.status_code == 200
    assert "cannot be changed" in second.content.decode()
    assert entries(update, verb=Transition.SUBMIT).count() == 1


def test_partner_editing_a_stale_copy_does_not_overwrite_a_return(world, partner, client_as):
    update = world.submitted_updates["own"]
    stale_version = update.version
    # The partner withdrew it to edit and resubmitted; meanwhile the reviewer returned it.
    update.state, update.version = ReviewState.RETURNED, stale_version + 1
    update.save()
    edit = reverse("update_edit", kwargs={"partnership": "kent-test", "pk": update.pk})
    response = partner.post(edit, {**form_data(text="Typed over an old copy", version=stale_version), "save": "1"})
    page = response.content.decode()
    update.refresh_from_db()
    assert update.state == ReviewState.RETURNED
    assert update.text != "Typed over an old copy"
    assert "changed while you were looking at it" in page
    assert "Typed over an old copy" in page


def test_returned_update_shows_the_reviewers_comment_beside_the_form(world, partner, client_as):
    from workflow.services import item_return

    from .test_reviewer_journey import access_of

    update = world.submitted_updates["own"]
    item_return(access=access_of(world, "working_group"), item=update, version=update.version, comment="Add dates.")
    page = partner.get(reverse("update_edit", kwargs={"partnership": "kent-test", "pk": update.pk})).content.decode()
    assert "Returned by" in page and "Add dates." in page
    assert "Submit to the Working Group" in page


def test_partner_cannot_start_a_second_open_update_for_an_action(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(action=world.own_action, cycle=world.cycle, state=ReviewState.DRAFT)


def test_submitting_into_a_locked_cycle_is_refused(world, partner, fresh_action):
    world.cycle.state = "locked"
    world.cycle.save()
    response = partner.post(start_url(world, fresh_action), {**form_data(), "submit": "1"}, follow=True)
    assert "No reporting cycle is open" in response.content.decode()
    assert not ProgressUpdate.objects.open().filter(action=fresh_action).exists()


def test_my_work_lists_own_actions_with_their_state(world, partner):
    page = partner.get(reverse("my_work", kwargs={"partnership": "kent-test"})).content.decode()
    assert "Own council&#x27;s action" in page
    assert "Other council&#x27;s action" not in page
    assert "Submitted" in page


def test_my_work_filter_rejects_unknown_values_with_a_message(world, partner):
    page = partner.get(reverse("my_work", kwargs={"partnership": "kent-test"}), {"state": "bogus'"}).content.decode()
    assert "is not a filter we offer" in page
    assert "Own council&#x27;s action" in page


def test_my_work_query_count_does_not_grow_with_actions(
    world, partner, django_assert_max_num_queries, pages_built_every_time
):
    from tests.factories import ActionFactory, PublishedUpdateFactory

    url = reverse("my_work", kwargs={"partnership": "kent-test"})
    partner.get(url)
    for _ in range(15):
        action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])
        PublishedUpdateFactory(action=action, cycle=world.cycle)
        ProgressUpdateFactory(action=action, cycle=world.cycle)
    with django_assert_max_num_queries(16):  # the 16th: the governing group's requests (issue 25)
        assert partner.get(url).status_code == 200
