"""Every edit form, opened as each role that may use it and posted back exactly as the browser shows
it (dates as the date picker holds them, textareas with CRLF line breaks), changes nothing: no wiped
due date, no new version, no history entry (issue 16, "a form saved unchanged changes nothing")."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.audit_entries import verbs
from tests.form_pages import (
    EDIT_PAGES,
    NOT_FORMS,
    OTHER_FORM_PAGES,
    cases,
    database_rows,
    form_objects,
    page_url,
)
from tests.html_forms import page_forms, post_forms
from tests.url_matrix import MATRIX


def test_every_form_page_is_walked():
    with_forms = {name for name, row in MATRIX.items() if row.methods == ("get", "post")}
    assert with_forms - set(EDIT_PAGES) - set(OTHER_FORM_PAGES) - set(NOT_FORMS) == set()


# Forms that make something of what they are sent come back with their message when sent unchanged: a
# correction must change something, a review decision needs a choice and an escalation a note. Every
# other edit form saved unchanged redirects, saying "Nothing was changed".
SHOWN_AGAIN = {
    "update_correct",
    "reading_correct",
    "review_update",
    "review_reading",
    "update_escalate",
    "reading_escalate",
}


@pytest.mark.parametrize(("name", "label", "role"), cases(EDIT_PAGES))
def test_saving_an_edit_form_unchanged_changes_nothing(world, client, name, label, role):
    objects = form_objects(world)
    client.force_login(world.users[role])
    url = page_url(EDIT_PAGES, name, label, world, objects)
    page = client.get(url)
    assert page.status_code == 200
    forms = post_forms(page.content.decode(), url)
    assert forms, f"{name} shows no form to {role}"
    before = database_rows()
    for form in forms:
        first_button = next((b.get("name") for b in form.buttons), None)  # "Save draft" before "Submit"
        response = client.post(url, form.data(button=first_button))
        assert response.status_code == (200 if name in SHOWN_AGAIN else 302)
        assert database_rows() == before, f"{name} ({label}) as {role} changed the database"


def test_a_wording_fix_keeps_the_due_date(world, client):
    """The reported case: saving an action for a wording fix wiped its due date (the date field
    showed blank, so the browser sent nothing)."""
    objects = form_objects(world)
    client.force_login(world.users["working_group"])
    url = page_url(EDIT_PAGES, "action_edit", "action with dates and funding", world, objects)
    html = client.get(url).content.decode()
    assert 'type="date" name="due_date" value="2018-03-31"' in html
    [form] = post_forms(html, url)
    response = client.post(url, form.data(wording="Own council’s action, reworded", reason="Typo"))
    assert response.status_code == 302
    world.own_action.refresh_from_db()
    assert (world.own_action.start_date, world.own_action.due_date) == (date(2017, 4, 1), date(2018, 3, 31))
    assert world.own_action.wording == "Own council’s action, reworded"


def test_returned_reading_is_resubmitted_as_shown(world, client):
    """The reported case: "Last day of the period: This field is required" on resubmitting."""
    objects = form_objects(world)
    client.force_login(world.users["partner"])
    url = page_url(EDIT_PAGES, "reading_edit", "returned", world, objects)
    html = client.get(url).content.decode()
    assert 'value="2020-12-31"' in html
    [form] = post_forms(html, url)
    response = client.post(url, form.data(button="submit"))
    assert response.status_code == 302
    objects.returned_reading.refresh_from_db()
    assert (objects.returned_reading.state, objects.returned_reading.period_end) == ("submitted", date(2020, 12, 31))
    transitions = list(verbs(objects.returned_reading))
    assert transitions == ["submit"]  # submitted without an "Edited" entry for a change nobody made


def test_unchanged_save_says_so(world, client):
    objects = form_objects(world)
    client.force_login(world.users["partner"])
    url = page_url(EDIT_PAGES, "update_edit", "draft", world, objects)
    [form] = post_forms(client.get(url).content.decode(), url)
    response = client.post(url, form.data(button="save"), follow=True)
    assert "Nothing was changed, so nothing was saved." in response.content.decode()


def test_every_date_input_in_every_form_is_iso(world, client):
    """Whatever the form, a date field holds the date as YYYY-MM-DD, or nothing where there is none."""
    objects = form_objects(world)
    shown = {}
    for pages in (EDIT_PAGES, OTHER_FORM_PAGES):
        for name, label, role in cases(pages):
            client.force_login(world.users[role])
            url = page_url(pages, name, label, world, objects)
            for form in page_forms(client.get(url).content.decode()):
                for field in form.fields:
                    if field.kind == "input:date":
                        shown[(name, label, field.name)] = dict(form.values)[field.name]
    a_week_on = (timezone.localdate() + timedelta(days=7)).isoformat()  # a reopened cycle's new deadline
    assert shown == {
        ("action_edit", "action with dates and funding", "start_date"): "2017-04-01",
        ("action_edit", "action with dates and funding", "due_date"): "2018-03-31",
        ("action_new", "priority", "start_date"): "",
        ("action_new", "priority", "due_date"): "",
        **{("cycle_create", "plan", name): "" for name in CYCLE_DATES},
        ("escalation_respond", "own", "due"): "",  # needed only when action is requested
        ("cycle_edit", "cycle", "period_start"): "2018-01-01",
        ("cycle_edit", "cycle", "period_end"): "2018-03-31",
        ("cycle_edit", "cycle", "update_deadline"): "2018-02-16",
        ("cycle_edit", "cycle", "review_meeting"): "",
        ("cycle_edit", "cycle", "governing_meeting"): "",
        ("cycle_next", "cycle", "period_start"): "2018-04-01",
        ("cycle_next", "cycle", "period_end"): "2018-06-30",
        ("cycle_next", "cycle", "update_deadline"): "2018-05-16",
        ("cycle_next", "cycle", "review_meeting"): "",
        ("cycle_next", "cycle", "governing_meeting"): "",
        ("cycle_reopen", "cycle", "update_deadline"): a_week_on,
        ("plan_edit", "plan", "starts"): "2017-04-01",
        ("plan_edit", "plan", "ends"): "2018-03-31",
        ("plan_create", "partnership", "starts"): "",
        ("plan_create", "partnership", "ends"): "",
        ("plan_roll_forward", "plan", "starts"): "",
        ("plan_roll_forward", "plan", "ends"): "",
        ("reading_correct", "published", "period_end"): "2016-12-31",
        ("reading_edit", "draft", "period_end"): "2019-12-31",
        ("reading_edit", "returned", "period_end"): "2020-12-31",
        ("reading_start", "indicator", "period_end"): "",
        ("settings_indicator", "own", "note-effective_from"): "",
        ("settings_indicator", "own", "target-period_end"): "",
        ("settings_indicator_note", "own", "note-effective_from"): "",
        ("settings_indicator_target", "own", "target-period_end"): "",
    }


CYCLE_DATES = ("period_start", "period_end", "update_deadline", "review_meeting", "governing_meeting")
