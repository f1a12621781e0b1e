"""The Working Group manages the plan's actions; every change is kept with its reason."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Action
from tests.audit_entries import entries
from tests.factories import OrganisationFactory, StatusFactory


@pytest.fixture
def reviewer(world, client_as):
    return client_as(world.users["working_group"])


def edit_url(action):
    return reverse("action_edit", kwargs={"partnership": "kent-test", "pk": action.pk})


def action_data(world, **overrides):
    data = {
        "wording": "Deliver road safety workshops to every district",
        "leads": [world.own_org.pk],
        "supporters": [world.other_org.pk],
        "status": StatusFactory(partnership=world.partnership).pk,
        "order": 3,
        "reason": "Lead agency changed after the restructure",
    }
    data.update(overrides)
    return data


def test_working_group_adds_an_action_with_leads_and_supporters(world, reviewer):
    url = reverse("action_new", kwargs={"partnership": "kent-test", "plan": "2017-18", "priority": "road-safety"})
    reviewer.post(url, action_data(world, reason=""))
    action = Action.objects.get(wording="Deliver road safety workshops to every district")
    assert list(action.leads.all()) == [world.own_org]
    assert list(action.supporters.all()) == [world.other_org]
    assert action.plan_priority == world.plan_priority


def test_changing_an_action_records_the_reason_in_its_history(world, reviewer):
    new_lead = OrganisationFactory(partnership=world.partnership, name="Kent Police")
    reviewer.post(edit_url(world.own_action), action_data(world, leads=[new_lead.pk]))
    action = Action.objects.get(pk=world.own_action.pk)
    assert list(action.leads.all()) == [new_lead]
    latest = entries(action).last()
    assert latest.reason == "Lead agency changed after the restructure"
    assert latest.actor == world.users["working_group"]
    assert latest.changes["Leads"][1] == "Kent Police"
    changes = reviewer.get(reverse("action_changes", kwargs={"partnership": "kent-test", "pk": action.pk}))
    assert "Lead agency changed after the restructure" in changes.content.decode()


def test_a_change_without_a_reason_is_refused_and_keeps_what_was_typed(world, reviewer):
    response = reviewer.post(edit_url(world.own_action), action_data(world, wording="New words typed", reason=""))
    page = response.content.decode()
    assert "Give the reason for the change" in page
    assert "New words typed" in page
    assert Action.objects.get(pk=world.own_action.pk).wording == "Own council's action"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_date": date(2018, 3, 1), "due_date": date(2018, 1, 1)}, "The due date is before the start date."),
        ({"leads": []}, "Choose at least one of the lead organisations."),
        ({"wording": "   "}, "Enter the wording."),
    ],
)
def test_bad_action_input_gets_a_clear_message(world, reviewer, overrides, message):
    response = reviewer.post(edit_url(world.own_action), action_data(world, **overrides))
    assert message in response.content.decode()
    assert Action.objects.get(pk=world.own_action.pk).wording == "Own council's action"


def test_an_organisation_cannot_both_lead_and_support(world, reviewer):
    response = reviewer.post(edit_url(world.own_action), action_data(world, supporters=[world.own_org.pk]))
    assert "Own District Council cannot both lead and support." in response.content.decode()


def test_partner_sees_write_button_only_on_actions_they_can_write(world, client_as):
    partner = client_as(world.users["partner"])
    own = partner.get(reverse("action_detail", kwargs={"partnership": "kent-test", "pk": world.own_action.pk}))
    other = partner.get(reverse("action_detail", kwargs={"partnership": "kent-test", "pk": world.other_action.pk}))
    assert "Write or continue progress" in own.content.decode()
    assert "Write or continue progress" not in other.content.decode()
    assert "Change action" not in own.content.decode()


def priority_form_data(world, **overrides):
    note = world.plan_priority.notes.get()
    data = {
        "title": "Road Safety",
        "context": "Casualties rose.[^1]",
        "notes-TOTAL_FORMS": "2",
        "notes-INITIAL_FORMS": "1",
        "notes-0-id": note.pk,
        "notes-0-number": "1",
        "notes-0-text": "Road Casualties in Kent, Annual Review 2016",
        "notes-1-number": "",
        "notes-1-text": "",
        "reason": "Updated for the 2016 review",
    }
    data.update(overrides)
    return data


def test_working_group_edits_priority_context_and_notes_with_a_reason(world, reviewer):
    url = reverse("priority_edit", kwargs={"partnership": "kent-test", "plan": "2017-18", "priority": "road-safety"})
    reviewer.post(url, priority_form_data(world))
    world.plan_priority.refresh_from_db()
    assert world.plan_priority.context == "Casualties rose.[^1]"
    assert world.plan_priority.notes.get().text == "Road Casualties in Kent, Annual Review 2016"
    assert entries(world.plan_priority).last().reason == "Updated for the 2016 review"


def test_priority_edit_without_a_reason_saves_nothing(world, reviewer):
    url = reverse("priority_edit", kwargs={"partnership": "kent-test", "plan": "2017-18", "priority": "road-safety"})
    response = reviewer.post(url, priority_form_data(world, reason="", context="Changed words"))
    assert "Give the reason for the change" in response.content.decode()
    assert "Changed words" in response.content.decode()
    world.plan_priority.refresh_from_db()
    assert world.plan_priority.context == "Context with a note reference.[^1]"
