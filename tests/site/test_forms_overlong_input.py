"""Over-long input in any text field of any form gets a message on that field, keeps what was
typed, saves nothing and is never a 500 (issue 16). Every form of the app, as each role that may
use it; the limit is the one the page gives the browser's counter (`data-max-chars`), and the
browser is never given `maxlength`, which would cut a paste without a word."""

import pytest
from django import forms as django_forms

from csa_tracker.forms import ProjectFormMixin
from tests.audit_entries import entries
from tests.form_pages import EDIT_PAGES, OTHER_FORM_PAGES, cases, database_rows, form_objects, page_url
from tests.html_forms import post_forms

PAGES = {**EDIT_PAGES, **OTHER_FORM_PAGES}
# Forms built on Django's base rather than ours, each with the reason; their fields keep `maxlength`.
NOT_ON_THE_PROJECT_BASE = {}

# Pages whose form has no text field in the state the walk opens them.
NO_TEXT_FIELD_HERE = {
    "settings_year": "one choice of month",
    "settings_vocabulary_delete": "a confirmation button",
    "settings_indicator_retire": "a confirmation button",
    "settings_populations": "a year and a number (tests/configuration/test_settings_areas.py refuses 0 or less)",
    "report_publish": "the reason box appears only once a version is published",
    "member_edit": "roles are checkboxes and the organisation a choice",
    "opendata_settings": "one checkbox",
    "member_deactivate": "a confirmation button",
    "invitation_withdraw": "a confirmation button",
    "update_delete": "a confirmation button",
    "report_settings": "a file to upload",
    "plan_import": "a Word document to upload",
    "notification_settings": "one choice of delivery per kind of notification",
}
# Fields deliberately not shown again after an error.
NOT_SHOWN_AGAIN = {"token": "a one-time code is a secret and expires; the person types the newest one"}


def field_tag(html: str, name: str) -> str:
    """The opening tag of the input or textarea named `name`."""
    at = html.index(f'name="{name}"')
    return html[html.rindex("<", 0, at) : html.index(">", at) + 1]


@pytest.mark.parametrize(("name", "label", "role"), cases(PAGES))
def test_overlong_text_in_every_field_gets_a_message_and_is_kept(world, client, name, label, role):
    objects = form_objects(world)
    client.force_login(world.users[role])
    url = page_url(PAGES, name, label, world, objects)
    html = client.get(url).content.decode()
    tried = 0
    for form in post_forms(html, url):
        for field in form.text_fields():
            limit = field.max_chars or field.maxlength
            assert limit, f"{name}: {field.name} has no limit"
            if name != "import_start":
                assert field.maxlength is None, f"{name}: {field.name} would be cut by the browser"
            typed = ("Overlong " * (limit // 9 + 2))[: limit + 1]
            before = database_rows()
            response = client.post(url, form.data(**{field.name: typed}))
            assert response.status_code == 200, f"{name}: {field.name} gave {response.status_code}"
            page = response.content.decode()
            tag = field_tag(page, field.name)
            assert 'aria-invalid="true"' in tag, f"{name}: {field.name} is not marked invalid"
            if field.max_chars:
                assert f"characters long; the limit is {limit:,}." in page, f"{name}: {field.name}"
            if field.name not in NOT_SHOWN_AGAIN:
                assert typed in page, f"{name}: what was typed in {field.name} is lost"
            assert database_rows() == before
            tried += 1
    assert (tried == 0) == (name in NO_TEXT_FIELD_HERE), f"{name}: {tried} text fields"


def project_form_classes():
    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    import csa_tracker.urls  # noqa: F401 - every view, so every form class, is imported

    local = (
        "csa_tracker.",
        "actions.",
        "priorities.",
        "cycles.",
        "reviews.",
        "reports.",
        "indicators.",
        "spreadsheets.",
    )
    return {
        f"{cls.__module__}.{cls.__qualname__}": cls
        for cls in walk(django_forms.BaseForm)
        if cls.__module__.startswith(local)
    }


def test_every_form_in_the_project_is_built_on_the_project_base():
    classes = project_form_classes()
    assert "reviews.forms.DecisionForm" in classes  # the walk reaches the forms
    outside = {name for name, cls in classes.items() if not issubclass(cls, ProjectFormMixin)}
    assert outside == set(NOT_ON_THE_PROJECT_BASE)


def test_text_at_the_limit_is_stored_whole(world, client):
    """The form's limit fits the column it is stored in (on PostgreSQL a longer value was a 500):
    a reason of exactly the limit is kept in the action's history."""
    objects = form_objects(world)
    client.force_login(world.users["working_group"])
    url = page_url(EDIT_PAGES, "action_edit", "action with dates and funding", world, objects)
    [form] = post_forms(client.get(url).content.decode(), url)
    reason = field_limit(form, "reason") * "r"
    response = client.post(url, form.data(wording="Reworded action", reason=reason))
    assert response.status_code == 302
    assert entries(world.own_action).last().reason == reason


def test_a_new_plans_short_name_at_the_limit_is_accepted_and_one_over_is_refused(world, client):
    client.force_login(world.users["working_group"])
    url = page_url(OTHER_FORM_PAGES, "plan_roll_forward", "plan", world, None)
    [form] = post_forms(client.get(url).content.decode(), url)
    limit = field_limit(form, "slug")
    assert limit == 50
    data = {
        "title": "Community Safety Agreement 2018/19",
        "starts": "2018-04-01",
        "ends": "2019-03-31",
        "confirm": "on",
    }
    over = client.post(url, form.data(slug="a" * (limit + 1), **data))
    assert "Short name is 51 characters long; the limit is 50." in over.content.decode()
    assert client.post(url, form.data(slug="a" * limit, **data)).status_code == 302


def field_limit(form, name: str) -> int:
    return next(field.max_chars for field in form.fields if field.name == name)


def test_a_declared_field_takes_no_more_than_its_column(world, client):
    """NoteForm declares its own URL field; the note's column holds 200 characters (a longer address
    was a 500 on PostgreSQL), so the form's limit is 200."""
    objects = form_objects(world)
    client.force_login(world.users["working_group"])
    url = page_url(EDIT_PAGES, "priority_edit", "priority with a note", world, objects)
    [form] = post_forms(client.get(url).content.decode(), url)
    assert field_limit(form, "notes-0-url") == 200
    long_address = "https://www.kent.gov.uk/" + "a" * 177
    response = client.post(url, form.data(**{"notes-0-url": long_address, "reason": "Source moved"}))
    assert "Link to the source is 201 characters long; the limit is 200." in response.content.decode()
