"""A double click, or the same form posted twice, makes one change and then a friendly message,
never a second copy or a 500 (issue 16). The browser side (buttons disabled after the first click)
is static/js/forms.js."""

import pytest
from django.urls import reverse

from actions.models import Action, ProgressUpdate
from tests.audit_entries import verbs
from tests.form_pages import EDIT_PAGES, form_objects, page_url
from tests.html_forms import post_forms
from workflow.models import Escalation


def twice(client, url, data):
    return client.post(url, data), client.post(url, data, follow=True)


@pytest.fixture
def objects(world):
    return form_objects(world)


def test_double_submit_of_a_progress_update_submits_it_once(world, client, objects):
    client.force_login(world.users["partner"])
    url = page_url(EDIT_PAGES, "update_edit", "draft", world, objects)
    [form] = post_forms(client.get(url).content.decode(), url)
    first, second = twice(client, url, form.data(button="submit", text="Finished the pilot."))
    assert first.status_code == 302
    assert second.status_code == 200
    assert "it cannot be changed" in second.content.decode()
    assert verbs(objects.draft_update) == [
        "edit",
        "submit",
    ]


def test_double_correction_publishes_one_correction(world, client):
    published = world.published_updates["own"]
    client.force_login(world.users["working_group"])
    url = reverse("update_correct", kwargs={"partnership": world.partnership.slug, "pk": published.pk})
    [form] = post_forms(client.get(url).content.decode(), url)
    data = form.data(text="Own published progress, corrected.", **{"correction-reason": "Typo"})
    first, second = twice(client, url, data)
    assert first.status_code == 302
    assert second.status_code == 200  # the page again, saying a correction is already waiting
    assert ProgressUpdate.objects.filter(corrects=published).count() == 1


def test_a_correction_that_changes_nothing_is_refused(world, client):
    published = world.published_updates["own"]
    client.force_login(world.users["working_group"])
    url = reverse("update_correct", kwargs={"partnership": world.partnership.slug, "pk": published.pk})
    [form] = post_forms(client.get(url).content.decode(), url)
    response = client.post(url, form.data(**{"correction-reason": "Checking"}))
    assert response.status_code == 200
    assert "Nothing was changed: a correction must change something." in response.content.decode()
    assert not ProgressUpdate.objects.filter(corrects=published).exists()


def test_double_escalation_escalates_once(world, client):
    published = world.published_updates["own"]
    client.force_login(world.users["working_group"])
    url = reverse("update_escalate", kwargs={"partnership": world.partnership.slug, "pk": published.pk})
    first, second = twice(client, url, {"note": "Funding gap from April."})
    assert first.status_code == 302
    assert "already escalated to the governing group with this note" in second.content.decode()
    assert Escalation.objects.filter(update=published).count() == 1


def test_double_add_of_an_action_adds_it_once(world, client):
    client.force_login(world.users["working_group"])
    url = reverse(
        "action_new", kwargs={"partnership": world.partnership.slug, "plan": "2017-18", "priority": "road-safety"}
    )
    [form] = post_forms(client.get(url).content.decode(), url)
    data = form.data(
        wording="Run a speed awareness week", leads=[str(world.own_org.pk)], status=str(world.own_action.status_id)
    )
    first, second = twice(client, url, data)
    assert first.status_code == 302
    assert "already has an action with exactly this wording" in second.content.decode()
    assert Action.objects.filter(wording="Run a speed awareness week").count() == 1


def test_double_publish_decision_publishes_once_and_says_why_the_second_did_nothing(world, client):
    submitted = world.submitted_updates["own"]
    client.force_login(world.users["working_group"])
    url = reverse("review_update", kwargs={"partnership": world.partnership.slug, "pk": submitted.pk})
    first, second = twice(client, url, {"decision": "publish", "version": submitted.version, "comment": ""})
    assert first.status_code == 302
    assert second.status_code == 200
    assert "This item changed while you were looking at it" in second.content.decode()
    assert verbs(submitted) == ["publish"]
