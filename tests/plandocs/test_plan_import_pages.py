"""The import's pages: the upload kept server-side (never in the session) for its own person only, the
preview's choices applied before anything is written, the preview as shown being what is imported,
refusals on their fields with what was typed kept, and the reserved address."""

import json
import os
import re
import time

from django.urls import reverse

from actions.models import Action, ProgressUpdate
from priorities.models import Plan, PlanPriority
from tests.factories import MembershipFactory, PartnershipFactory, PlanFactory, StatusFactory, UserFactory
from tests.form_pages import database_rows

from .documents import kent_docx, simple_docx
from .importing import form_of, post, preview, upload


def test_the_upload_waits_in_the_imports_storage_not_in_the_session(empty, client, spreadsheet_uploads):
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx())
    token = url.rstrip("/").rsplit("/", 1)[1]
    stored = spreadsheet_uploads / "plans" / f"{token}.json"
    record = json.loads(stored.read_text())
    assert (record["partnership"], record["user"], record["filename"]) == (
        empty.partnership.pk,
        empty.working_group.pk,
        "Kent CSA 2017-18.docx",
    )
    session = json.dumps(dict(client.session.items()), default=str)
    assert token not in session and "Domestic Abuse" not in session
    # Imported: the upload is gone, and its address with it.
    assert post(client, url, form, default_lead=f"org:{empty.kcst.pk}").status_code == 302
    assert not stored.exists()
    assert client.get(url).status_code == 404


def test_an_upload_is_its_uploaders_only(empty, client):
    client.force_login(empty.working_group)
    url, _, _ = preview(client, empty.partnership, kent_docx())
    client.force_login(empty.colleague)  # the same partnership's Working Group, but not who uploaded it
    assert client.get(url).status_code == 404
    elsewhere = PartnershipFactory(slug="elsewhere")
    MembershipFactory(user=empty.colleague, partnership=elsewhere, role="working_group")
    assert client.get(url.replace("/kent/", "/elsewhere/")).status_code == 404


def test_uploads_left_for_a_day_are_deleted(empty, client, spreadsheet_uploads):
    client.force_login(empty.working_group)
    old_url, _, _ = preview(client, empty.partnership, kent_docx())
    old = next((spreadsheet_uploads / "plans").iterdir())
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    preview(client, empty.partnership, kent_docx())
    assert not old.exists()
    assert len(list((spreadsheet_uploads / "plans").iterdir())) == 1
    assert client.get(old_url).status_code == 404


def test_updating_the_preview_applies_the_choices_keeps_what_was_typed_and_writes_nothing(empty, client):
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx())
    headings = [value for name, value in form.values if name == "headings"]
    assert len(headings) == 6  # "Introduction" is not ticked
    before = database_rows()
    response = post(client, url, form, action="refresh", title="Our plan, as typed", headings=headings[1:])
    page = response.content.decode()
    assert response.status_code == 200
    assert database_rows() == before
    assert 'value="Our plan, as typed"' in page
    assert ">Domestic Abuse</h2>" not in page and ">Road Safety</h2>" in page
    assert "There is a problem" not in page  # choices are applied, not judged


def test_the_import_is_of_the_preview_shown(empty, client):
    """Unticking a heading and pressing Import without updating the preview imports nothing: the page
    shows the preview the choices give, and pressing Import again imports it."""
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx())
    headings = [value for name, value in form.values if name == "headings"]
    response = post(client, url, form, headings=headings[1:], default_lead=f"org:{empty.kcst.pk}")
    page = response.content.decode()
    assert "What you chose changes what is read from the document, so nothing was imported yet" in page
    assert not Plan.objects.exists()
    response = post(client, url, form_of(page, url))
    assert response.status_code == 302
    assert PlanPriority.objects.filter(plan__title="Kent Community Safety Agreement 2017/18").count() == 5


def test_refusals_are_named_on_their_fields_and_keep_what_was_typed(empty, client):
    StatusFactory(partnership=empty.partnership, name="On track")
    PlanFactory(partnership=empty.partnership, title="Kent Community Safety Agreement 2017/18", slug="2017-18")
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx())
    before = database_rows()
    response = post(client, url, form, slug="2017-18", progress="import", cycle_name="")
    page = response.content.decode()
    assert "This partnership already has a plan called “Kent Community Safety Agreement 2017/18”" in page
    assert "This partnership already has a plan with the short name “2017-18”" in page
    assert "Give the reporting cycle the progress is imported in." in page
    assert "Choose the lead agency of the 25 actions the document names none for" in page
    assert 'href="#id_default_lead"' in page  # the error summary links to each field
    assert database_rows() == before
    long_title = "A" * 201
    page = post(client, url, form, title=long_title).content.decode()
    assert "Title of the plan is 201 characters long; the limit is 200." in page
    assert f'value="{long_title}"' in page
    long_cycle = "Q" * 51
    page = post(client, url, form, title="Kent 2017/18", progress="import", cycle_name=long_cycle).content.decode()
    assert "Reporting cycle is 51 characters long; the limit is 50." in page
    assert f'value="{long_cycle}"' in page
    assert database_rows() == before


def test_import_is_a_plan_address_of_its_own(empty, client):
    client.force_login(empty.working_group)
    response = client.post(
        reverse("plan_create", kwargs={"partnership": empty.partnership.slug}),
        {"title": "Import", "slug": "import", "starts": "2026-04-01", "ends": "2027-03-31"},
    )
    assert "“import” is a word the site&#x27;s addresses use: choose another short name." in response.content.decode()
    assert not Plan.objects.exists()


def test_a_document_the_plan_could_not_hold_says_what_to_change_and_offers_no_import(empty, client):
    def build(document):
        document.add_heading("Priority: " + "Road safety and a very long heading " * 7, 1)
        document.add_paragraph("A context.")

    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, simple_docx(build))
    assert "characters; a priority&#x27;s title takes up to 200" in page
    assert 'value="import"' not in page
    before = database_rows()
    response = post(client, url, form)
    assert "cannot be imported as it is read now" in response.content.decode()
    assert database_rows() == before


def test_a_partner_cannot_open_a_working_group_members_preview(empty, client):
    client.force_login(empty.working_group)
    url, _, _ = preview(client, empty.partnership, kent_docx())
    client.force_login(empty.partner)
    assert client.get(url).status_code == 403
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert upload(client, empty.partnership, kent_docx()).status_code == 404


def test_a_column_the_person_says_is_something_else_is_read_as_that(empty, client):
    """The Kent document's "Progress" column, said to hold nothing to import: no progress is offered."""
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx())
    (column,) = re.findall(r'<label\s+for="id_(column-\d+)"[^>]*>\s*The column “Progress” holds', page)
    assert 'value="progress" selected' in page[page.index(f'name="{column}"') :][:2000]
    page = post(client, url, form, action="refresh", **{column: "ignore"}).content.decode()
    assert "25 progress updates, if you import the progress" not in page
    assert 'name="progress"' not in page
    response = post(client, url, form_of(page, url), default_lead=f"org:{empty.kcst.pk}")
    assert response.status_code == 302
    assert not ProgressUpdate.objects.exists()
    assert Action.objects.count() == 25
