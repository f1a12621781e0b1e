"""Attaching evidence to progress and readings through their forms: every accepted type, each refused
file with its message (the rest of the form kept, nothing stored), removing, and the audit trail."""

import pytest

from actions.models import ProgressUpdate
from csa_tracker.audit.models import AuditEntry
from csa_tracker.refusals import Invalid
from evidence.checks import check_upload
from evidence.models import Attachment
from tests.factories import MembershipFactory, ProgressUpdateFactory, UserFactory
from workflow.models import ReviewState

from .helpers import FILES, attach, edit_url, progress_post, upload, with_macros, zip_package


@pytest.fixture
def draft(world):
    """A draft of the partner's organisation on a fresh action of theirs."""
    world.submitted_updates["own"].delete()
    return ProgressUpdateFactory(
        action=world.own_action,
        cycle=world.cycle,
        author=world.users["partner"],
        organisation=world.own_org,
        text="Work so far.",
    )


def stored_files(folder) -> list:
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    ("name", "label", "content_type", "size"),
    [
        ("report.pdf", "PDF", "application/pdf", "7 KB"),
        (
            "report.docx",
            "Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "36 KB",
        ),
        ("figures.xlsx", "Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "5 KB"),
        ("report.odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", "12 KB"),
        ("figures.ods", "OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", "768 bytes"),
        ("figures.csv", "CSV file", "text/csv", "45 bytes"),
        ("photo.png", "PNG picture", "image/png", "73 bytes"),
    ],
)
def test_each_accepted_type_is_attached_with_the_draft(
    world, draft, client_as, evidence_files, name, label, content_type, size
):
    client = client_as(world.users["partner"])
    response = client.post(edit_url(draft), progress_post(draft, upload(name), text="Workshops held."))
    assert response.status_code == 302
    attachment = Attachment.objects.get(update=draft)
    content = (FILES / name).read_bytes()
    assert (attachment.name, attachment.label, attachment.content_type, attachment.size) == (
        name,
        label,
        content_type,
        len(content),
    )
    assert (evidence_files / attachment.stored_name).read_bytes() == content
    assert attachment.stored_name != name and attachment.stored_name.startswith("evidence/")
    draft.refresh_from_db()
    assert draft.text == "Workshops held."
    entry = AuditEntry.objects.for_object(draft).get(verb="attach")
    assert entry.summary == f"Evidence attached: {name} ({label}, {size})"


def big_pdf(megabytes: float) -> bytes:
    return b"%PDF-1.4\n" + b"0" * int(megabytes * 1024 * 1024)


REFUSED = {
    "too large": (
        lambda: upload("large.pdf", big_pdf(1.2)),
        "“large.pdf” is 1.2 MB; the limit is 1.0 MB. Attach a smaller file, or split it.",
    ),
    "a program": (
        lambda: upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 200),
        "“setup.exe” is not a type of file we accept: attach a PDF, a Word (.docx), Excel (.xlsx) or OpenDocument "
        "(.odt, .ods) file, a CSV, or a PNG, JPEG, GIF or WebP picture.",
    ),
    "an old Word document": (
        lambda: upload("minutes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
        "“minutes.doc” is not a type of file we accept: save it from Word as a .docx (or a PDF).",
    ),
    "a picture named as a PDF": (
        lambda: upload("report.pdf", source="photo.png"),
        "“report.pdf” is named as a PDF but its content is PNG picture: attach the file itself, saved in the type "
        "its name says.",
    ),
    "a PDF named as a Word document": (
        lambda: upload("report.docx", source="report.pdf"),
        "“report.docx” is named as a Word document but its content is PDF: attach the file itself, saved in the "
        "type its name says.",
    ),
    "a zip named as a Word document": (
        lambda: upload("notes.docx", zip_package({"notes.txt": b"hello"})),
        "“notes.docx” is damaged or is not a Word document inside: open it and save it again, then attach it.",
    ),
    "a spreadsheet named as a Word document": (
        lambda: upload("report.docx", source="figures.xlsx"),
        "“report.docx” is named as a Word document but its content is Excel workbook: attach the file itself, "
        "saved in the type its name says.",
    ),
    "a Word document with macros": (
        lambda: upload("report.docx", with_macros()),
        "“report.docx” contains macros: save a copy without macros (or as a PDF) and attach that.",
    ),
    "binary named as a CSV": (
        lambda: upload("figures.csv", b"a,b\n\x00\x01\x02,3\n"),
        "“figures.csv” is named as a CSV file but its content is another kind of file (application/octet-stream): "
        "attach the file itself, saved in the type its name says.",
    ),
    "empty": (
        lambda: upload("empty.pdf", b""),
        "The file you chose is empty (0 bytes): attach the file with its content.",
    ),
    "path characters": (
        lambda: upload("budget:final.pdf", source="report.pdf"),
        '“budget:final.pdf” has characters a file name cannot have (/ \\ : * ? " &lt; &gt; | or control '
        "characters): rename the file on your computer and attach it again.",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_file_is_named_in_a_message_and_the_rest_of_the_form_is_kept(
    world, draft, client_as, evidence_files, settings, case
):
    settings.CSA_EVIDENCE_MAX_MB = 1
    make, message = REFUSED[case]
    client = client_as(world.users["partner"])
    response = client.post(edit_url(draft), progress_post(draft, make(), text="My careful words"))
    page = response.content.decode()
    assert response.status_code == 200
    shown = message.replace('"', "&quot;")
    assert page.replace("&#x27;", "'").count(shown) == 2  # in the summary at the top and on the field
    assert "My careful words" in page
    assert 'name="evidence-file"' in page
    assert not Attachment.objects.exists()
    assert stored_files(evidence_files) == []
    draft.refresh_from_db()
    assert (draft.text, draft.version) == ("Work so far.", 1)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../etc/report.pdf", "“../../etc/report.pdf” has characters a file name cannot have"),
        ("C:\\Users\\me\\report.pdf", "“C:\\Users\\me\\report.pdf” has characters a file name cannot have"),
        ("..", "“..” is not a file name we can keep"),
        (".htaccess.pdf", "“.htaccess.pdf” is not a file name we can keep"),
        ("report\x07.pdf", "has characters a file name cannot have"),
    ],
)
def test_names_with_paths_are_refused_even_where_the_browser_would_strip_them(name, message):
    """Django's upload parser already drops folders from a name; the check refuses them anyway."""
    with pytest.raises(Invalid) as refused:
        check_upload(name, (FILES / "report.pdf").read_bytes())
    assert message in refused.value.message_dict["file"][0]


def test_a_long_name_is_shortened_keeping_its_extension():
    checked = check_upload("Annual report " + "of the partnership " * 10 + ".pdf", (FILES / "report.pdf").read_bytes())
    assert len(checked.name) == 150 and checked.name.endswith("….pdf")


def test_submitting_with_a_file_attaches_it_before_the_submission(world, draft, client_as):
    client = client_as(world.users["partner"])
    response = client.post(edit_url(draft), progress_post(draft, upload("report.pdf"), button="submit"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == ReviewState.SUBMITTED
    assert [entry.verb for entry in AuditEntry.objects.for_object(draft)] == ["edit", "attach", "submit"]


def test_a_new_update_takes_its_file_with_it(world, client_as):
    world.submitted_updates["own"].delete()
    client = client_as(world.users["partner"])
    start = f"/{world.partnership.slug}/actions/{world.own_action.pk}/progress/"
    page = client.get(start).content.decode()
    assert 'enctype="multipart/form-data"' in page
    status = world.own_action.status_id
    data = {"text": "New work.", "status": status, "flag": "", "save": "1", "evidence-file": upload("photo.png")}
    assert client.post(start, data).status_code == 302
    update = ProgressUpdate.objects.open().get(action=world.own_action)
    assert [attachment.name for attachment in update.attachments.all()] == ["photo.png"]


def test_an_unchanged_form_with_a_file_attaches_it_and_says_so(world, draft, client_as):
    client = client_as(world.users["partner"])
    response = client.post(
        edit_url(draft), progress_post(draft, upload("report.pdf"), text="Work so far."), follow=True
    )
    assert "Nothing was changed" not in response.content.decode()
    assert draft.attachments.count() == 1


def test_the_author_removes_evidence_from_a_draft_and_its_file_goes(
    world, draft, client_as, evidence_files, django_capture_on_commit_callbacks
):
    attachment = attach(world.users["partner"], draft)
    client = client_as(world.users["partner"])
    page = client.get(edit_url(draft)).content.decode()
    assert 'Remove<span class="visually-hidden"> report.pdf</span>' in page
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal is committed
        response = client.post(f"/{world.partnership.slug}/evidence/{attachment.pk}/remove/", follow=True)
    assert "Removed “report.pdf”." in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(evidence_files) == []
    assert AuditEntry.objects.for_object(draft).filter(verb="detach").get().summary == "Evidence removed: report.pdf"


def test_evidence_of_a_submitted_item_is_not_removed(world, draft, client_as, evidence_files):
    attachment = attach(world.users["partner"], draft)
    ProgressUpdate.objects.filter(pk=draft.pk).update(state=ReviewState.SUBMITTED)
    client = client_as(world.users["partner"])
    assert 'visually-hidden"> report.pdf' not in client.get(edit_url(draft)).content.decode()
    response = client.post(f"/{world.partnership.slug}/evidence/{attachment.pk}/remove/", follow=True)
    assert (
        "Evidence is attached and removed while the progress update is a draft or returned to you; it is submitted."
        in response.content.decode()
    )
    assert Attachment.objects.get() == attachment
    assert len(stored_files(evidence_files)) == 1


def test_another_organisation_cannot_remove_a_drafts_evidence(world, draft, client, evidence_files):
    attachment = attach(world.users["partner"], draft)
    other = UserFactory()
    MembershipFactory(user=other, partnership=world.partnership, organisation=world.other_org, role="partner")
    client.force_login(other)
    assert client.post(f"/{world.partnership.slug}/evidence/{attachment.pk}/remove/").status_code == 404
    assert Attachment.objects.count() == 1


def test_a_reading_takes_evidence_too(world, client_as):
    reading = world.submitted_readings["own"]
    reading.state = ReviewState.DRAFT
    reading.save()
    client = client_as(world.users["partner"])
    data = {
        "value": "150",
        "geography": reading.geography_id,
        "period_end": "2018-12-31",
        "source_note": "",
        "flag": "",
        "version": reading.version,
        "save": "1",
        "evidence-file": upload("figures.xlsx"),
    }
    response = client.post(edit_url(reading), data)
    assert response.status_code == 302
    assert [(found.name, found.label) for found in reading.attachments.all()] == [("figures.xlsx", "Excel workbook")]
    assert AuditEntry.objects.for_object(reading).get(verb="attach").summary == (
        "Evidence attached: figures.xlsx (Excel workbook, 5 KB)"
    )
