"""A published report lists the evidence of each action's published progress as named links to its
download page, in HTML, PDF and Word; reports frozen before evidence existed still render."""

import io

import docx
import pypdf
import pytest

from csa_tracker.accounts.access import access_for
from reports.rendering import render_html, render_pdf
from reports.services import report_publish
from reports.word import render_docx
from tests.evidence.helpers import attach
from workflow.models import ReviewState

REPORT = "/kent-test/reports/2017-18/q4-2017-18/v1/"


@pytest.fixture
def report_with_evidence(world):
    """The world's published progress with a PDF and a spreadsheet attached, and its report published."""
    world.submitted_updates["own"].delete()  # at most one open update per action
    update = world.published_updates["own"]
    update.state = ReviewState.DRAFT
    update.save()
    files = [attach(world.users["partner"], update, name) for name in ("report.pdf", "figures.xlsx")]
    update.state = ReviewState.PUBLISHED
    update.save()
    report, _ = report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    return report, files


def test_the_report_page_links_each_file_by_name(world, report_with_evidence, client_as):
    report, (pdf, sheet) = report_with_evidence
    client = client_as(world.users["governing"])
    page = client.get(REPORT).content.decode()
    assert (
        f'<p class="report-evidence"><strong>Evidence:</strong> <a href="/kent-test/evidence/{pdf.pk}/">report.pdf</a> '
        f'(PDF, 7.1\xa0KB); <a href="/kent-test/evidence/{sheet.pk}/">figures.xlsx</a> (Excel workbook, 4.7\xa0KB)</p>'
    ) in page
    assert client.get(f"/kent-test/evidence/{pdf.pk}/").status_code == 200
    assert report.snapshot["priorities"][0]["actions"][0]["evidence"][0] == {
        "name": "report.pdf",
        "type": "PDF",
        "size": 7319,
        "path": f"/kent-test/evidence/{pdf.pk}/",
    }


def test_actions_without_evidence_carry_no_evidence_key(world, report_with_evidence):
    report, _ = report_with_evidence
    other = [a for a in report.snapshot["priorities"][0]["actions"] if a["wording"] == "Other council's action"]
    assert "evidence" not in other[0]


def test_the_pdf_links_to_each_file_at_the_sites_address(world, report_with_evidence):
    report, (pdf, sheet) = report_with_evidence
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(report)))
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object() and "/URI" in annotation.get_object()["/A"]
    ]
    assert f"http://127.0.0.1:8000/kent-test/evidence/{pdf.pk}/" in links
    assert f"http://127.0.0.1:8000/kent-test/evidence/{sheet.pk}/" in links
    assert "Evidence: report.pdf (PDF, 7.1 KB); figures.xlsx (Excel workbook, 4.7 KB)" in " ".join(
        " ".join(page.extract_text().split()) for page in reader.pages
    ).replace("\xa0", " ")


def test_the_word_document_links_to_each_file(world, report_with_evidence):
    report, (pdf, sheet) = report_with_evidence
    document = docx.Document(io.BytesIO(render_docx(report)))
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    assert {f"http://127.0.0.1:8000/kent-test/evidence/{found.pk}/" for found in (pdf, sheet)} <= targets
    texts = [p.text for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    assert "Evidence: report.pdf (PDF, 7.1\xa0KB); figures.xlsx (Excel workbook, 4.7\xa0KB)" in texts


def test_a_report_frozen_before_evidence_existed_still_renders(world, report_with_evidence):
    report, _ = report_with_evidence
    old = report.snapshot
    for priority in old["priorities"]:
        for action in priority["actions"]:
            action.pop("evidence", None)
    assert "report-evidence" not in render_html(report, snapshot=old)
    document = docx.Document(io.BytesIO(render_docx(report, snapshot=old)))
    assert not any(
        "Evidence:" in p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs
    )
