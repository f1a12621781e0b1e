"""Report downloads (PDF and .docx): made once per published version, stored, served from storage with
an ETag and `Cache-Control: private`, to exactly the people who may read the report."""

import io
from unittest import mock

import docx
import pypdf
import pytest

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from reports import outputs
from reports.models import ReportOutput
from reports.services import report_publish
from tests.factories import MembershipFactory, UserFactory

BASE = "/kent-test/reports/2017-18/q4-2017-18"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def published(world):
    report, _ = report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    return report


@pytest.mark.parametrize(
    ("suffix", "renderer", "content_type", "magic"),
    [(".pdf", "render_pdf", "application/pdf", b"%PDF-"), (".docx", "render_docx", DOCX, b"PK\x03\x04")],
)
def test_the_second_download_is_served_from_storage_without_rendering(
    world, published, client_as, django_assert_num_queries, suffix, renderer, content_type, magic
):
    client = client_as(world.users["governing"])
    with mock.patch.object(outputs, renderer, wraps=getattr(outputs, renderer)) as spy:
        first = client.get(f"{BASE}/v1{suffix}")
        first_body = first.getvalue()
        with django_assert_num_queries(FILE_QUERIES):
            second = client.get(f"{BASE}/v1{suffix}")
        second_body = second.getvalue()
    assert spy.call_count == 1
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == content_type and first_body.startswith(magic)
    assert second_body == first_body
    stored = ReportOutput.objects.get(report=published, format=suffix.lstrip("."))
    assert stored.size == len(first_body) and stored.file.read() == first_body
    assert first["ETag"] == second["ETag"] == f'"{stored.etag}"'
    assert "private" in first["Cache-Control"]
    assert f'filename="kent-test-2017-18-q4-2017-18-v1{suffix}"' in first["Content-Disposition"]


# Session, user, memberships with their partnerships (access), the plan, its cycles, the report, its stored output.
FILE_QUERIES = 7


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_client_holding_the_current_file_gets_304(world, published, client_as, suffix):
    client = client_as(world.users["partner"])
    etag = client.get(f"{BASE}/v1{suffix}")["ETag"]
    again = client.get(f"{BASE}/v1{suffix}", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "private" in again["Cache-Control"]
    stale = client.get(f"{BASE}/v1{suffix}", HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_partner_of_another_partnership_gets_404_and_no_file_is_made(world, published, client, suffix):
    stranger = UserFactory(username="elsewhere-partner")
    MembershipFactory(user=stranger, partnership=world.other_partnership, organisation=world.own_org, role=Role.PARTNER)
    client.force_login(stranger)
    assert client.get(f"{BASE}/v1{suffix}").status_code == 404
    # Their own partnership's address with our report's cycle in it is 404 too.
    assert client.get(f"/elsewhere/reports/2017-18/q4-2017-18/v1{suffix}").status_code == 404
    assert not ReportOutput.objects.exists()


def test_a_304_still_needs_the_right_to_read_the_report(world, published, client_as, client):
    etag = client_as(world.users["governing"]).get(f"{BASE}/v1.pdf")["ETag"]
    client.logout()
    client.force_login(world.outsider)
    assert client.get(f"{BASE}/v1.pdf", HTTP_IF_NONE_MATCH=etag).status_code == 404


@pytest.mark.parametrize("role", ["partner", "working_group", "governing", "admin"])
def test_every_role_of_the_partnership_downloads_both_formats(world, published, client_as, role):
    client = client_as(world.users[role])
    assert client.get(f"{BASE}/v1.pdf").status_code == 200
    assert client.get(f"{BASE}/v1.docx")["Content-Type"] == DOCX


def test_a_correction_has_files_of_its_own_and_the_old_versions_say_they_are_superseded(world, published, client_as):
    client = client_as(world.users["governing"])
    client.get(f"{BASE}/v1.pdf")
    client.get(f"{BASE}/v1.docx")
    world.own_action.wording = "Reworded action"
    world.own_action.save()
    report_publish(
        access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle, reason="Wording"
    )
    assert not ReportOutput.objects.filter(report=published).exists()
    old_docx = docx_text(client.get(f"{BASE}/v1.docx").getvalue())
    assert "Superseded by version 2" in old_docx and "Reworded action" not in old_docx
    assert "Superseded by version 2" in pdf_text(client.get(f"{BASE}/v1.pdf").getvalue())
    new_docx = docx_text(client.get(f"{BASE}/v2.docx").getvalue())
    assert "Reworded action" in new_docx and "Superseded" not in new_docx
    assert ReportOutput.objects.filter(format="docx").count() == 2


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_report_pages_link_both_downloads(world, published, client_as):
    client = client_as(world.users["partner"])
    page = client.get(f"{BASE}/v1/").content.decode()
    assert f'href="{BASE}/v1.pdf"' in page and f'href="{BASE}/v1.docx"' in page
    listing = client.get("/kent-test/reports/").content.decode()
    assert f'href="{BASE}/v1.docx"' in listing


def test_publishing_makes_and_stores_both_files_so_the_first_reader_does_not_wait(
    world, client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(world.users["working_group"]).post(f"{BASE}/publish/")
    assert response.status_code == 302
    made = sorted(ReportOutput.objects.values_list("format", "audience"))
    assert made == [("docx", "full"), ("docx", "members"), ("pdf", "full"), ("pdf", "members")]
    with mock.patch.object(outputs, "render_pdf") as renderer:
        assert client_as(world.users["governing"]).get(f"{BASE}/v1.pdf").status_code == 200
    renderer.assert_not_called()


def test_a_file_that_cannot_be_made_at_publishing_does_not_undo_the_publishing(
    world, client_as, django_capture_on_commit_callbacks, caplog
):
    with (
        mock.patch.object(outputs, "render_pdf", side_effect=RuntimeError("no fonts")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_as(world.users["working_group"]).post(f"{BASE}/publish/")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/v1/"
    assert list(ReportOutput.objects.values_list("format", flat=True).distinct()) == ["docx"]
    assert "Could not make a report output" in caplog.text
    # The first download makes it instead.
    assert client_as(world.users["governing"]).get(f"{BASE}/v1.pdf").status_code == 200
    assert ReportOutput.objects.filter(format="pdf").exists()


def test_a_stored_output_whose_file_is_gone_is_made_again_not_a_500(world, published, client_as):
    """A database restored without its media folder keeps rows whose files are gone."""
    client = client_as(world.users["governing"])
    first = client.get(f"{BASE}/v1.pdf").getvalue()
    stored = ReportOutput.objects.get(report=published, format="pdf")
    stored.file.storage.delete(stored.file.name)
    again = client.get(f"{BASE}/v1.pdf")
    body = again.getvalue()
    assert again.status_code == 200 and body.startswith(b"%PDF-") and first.startswith(b"%PDF-")
    remade = ReportOutput.objects.get(report=published, format="pdf")
    assert remade.file.storage.exists(remade.file.name) and len(body) == remade.size
