"""The demo publishes the Kent 2017/18 report; its PDF holds everything the published seed document holds."""

import html
import io
import re

import pypdf
import pytest
from django.core.management import call_command

from reports.models import Report
from reports.rendering import render_html, render_pdf
from tests.demo.test_seed_fixture import loaded_pieces, squash

SEED_FIGURES = ["34,664", "39,756", "5,799", "6,122", "1,730", "3,082"]


@pytest.fixture
def demo_report(db, settings):
    settings.DEBUG = True
    call_command("load_demo", password="seed-report-password")
    report = Report.objects.select_related("plan", "cycle").get(plan__partnership__slug="kent")
    return report, loaded_pieces(report.plan, report.cycle)


def pdf_pages(report) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(report))).pages]


def test_demo_publishes_the_q3_2017_18_report_once(demo_report):
    report = demo_report[0]
    reports_before = Report.objects.count()
    call_command("load_demo")
    assert Report.objects.count() == reports_before
    assert Report.objects.filter(plan__partnership__slug="kent").count() == 1
    assert (report.cycle.name, report.version, report.plan.slug) == ("Q3 2017/18", 1, "2017-18")
    assert report.get_absolute_url() == "/kent/reports/2017-18/q3-2017-18/v1/"


def test_seed_pdf_holds_every_paragraph_note_action_progress_and_figure_on_numbered_pages(demo_report):
    report, pieces = demo_report
    pages = pdf_pages(report)
    # A page footer falls between the two halves of a paragraph that runs over a page break. The total
    # is matched exactly: a footer "Page 4 of 21" followed by a note "2)" reads "Page 4 of 212)".
    text = squash(re.sub(rf"Page \d+ of {len(pages)}", "", "".join(pages)))
    assert [piece for piece in pieces if squash(piece) not in text] == []
    assert [figure for figure in SEED_FIGURES if figure not in text] == []
    assert len(pages) > 10
    assert all(f"Page {number} of {len(pages)}" in page for number, page in enumerate(pages, start=1))
    contents = next(page for page in pages if "Contents" in page)
    numbers = [int(n) for n in re.findall(r"Priority: [^.\n]+ \.+ ?(\d+)", contents)]
    assert len(numbers) == 6 and numbers == sorted(numbers) and numbers[0] > 1


def test_seed_html_holds_every_piece_too(demo_report):
    report, pieces = demo_report
    text = squash(html.unescape(re.sub(r"<[^>]+>", "", render_html(report))))
    # The page numbers notes with an ordered list's markers, so "1)" is not in its text.
    pieces = [re.sub(r"^\d+\)", "", piece) for piece in pieces]
    assert [piece for piece in pieces if squash(piece) not in text] == []
