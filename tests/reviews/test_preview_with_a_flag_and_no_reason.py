"""Preview shows the progress even when it is flagged with no reason yet, with a note that the reason is
needed; saving and submitting still refuse it until a reason is given (issue 25)."""

import pytest
from django.urls import reverse

from actions.models import ProgressUpdate
from tests.factories import ActionFactory
from tests.html_forms import post_forms

NOTE = "Before you save or submit: give a reason for the flag, so the Working Group knows what to look at."
TEXT = "Two patrols a week.\n\n- one in Ashford\n- one in Dover"


@pytest.fixture
def action(world):
    return ActionFactory(plan_priority=world.plan_priority, wording="Run the patrols", leads=[world.own_org])


def progress_form(client, action):
    url = reverse("update_start", kwargs={"partnership": "kent-test", "pk": action.pk})
    [form] = post_forms(client.get(url).content.decode(), url)
    return url, form


def test_preview_shows_the_text_and_notes_the_missing_reason(world, client_as, action):
    client = client_as(world.users["partner"])
    url, form = progress_form(client, action)
    response = client.post(url, form.data(button="preview", text=TEXT, flag="area_of_concern", flag_reason=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview: how your progress will be shown" in page
    assert "<li>one in Ashford</li>" in page
    assert response.context["preview_notes"] == [NOTE]
    assert NOTE in page
    assert response.context["form"]["flag"].value() == "area_of_concern"  # what was chosen is kept
    assert not ProgressUpdate.objects.filter(action=action).exists()


@pytest.mark.parametrize("button", ["submit", "save"])
def test_submitting_or_saving_without_the_reason_is_still_refused(world, client_as, action, button):
    client = client_as(world.users["partner"])
    url, form = progress_form(client, action)
    response = client.post(url, form.data(button=button, text=TEXT, flag="area_of_concern", flag_reason=""))
    assert response.status_code == 200
    assert response.context["form"].errors["flag_reason"] == [
        "Give a reason for the flag, so the Working Group knows what to look at."
    ]
    assert response.context["preview"] is None
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_with_the_reason_the_preview_has_no_note_and_submitting_works(world, client_as, action):
    client = client_as(world.users["partner"])
    url, form = progress_form(client, action)
    flagged = {"text": TEXT, "flag": "area_of_concern", "flag_reason": "Dover patrol short of staff."}
    preview = client.post(url, form.data(button="preview", **flagged))
    assert preview.context["preview_notes"] == []
    assert client.post(url, form.data(button="submit", **flagged)).status_code == 302
    update = ProgressUpdate.objects.get(action=action)
    assert (update.state, update.flag) == ("submitted", "area_of_concern")
    assert update.flag_reason == "Dover patrol short of staff."
