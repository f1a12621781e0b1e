"""The report as a Word document: the same headings and figures as the web page, Word's own heading
styles, a contents field, header rows that repeat, page X of Y; built on the partnership's Word
template when the Working Group has uploaded one; and LibreOffice converts it to PDF."""

import html as html_module
import io
import re
import subprocess
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.oxml.ns import qn

from csa_tracker.accounts.access import access_for
from csa_tracker.audit.models import AuditEntry
from indicators.models import ComparabilityNote
from reports.models import ReportOutput, ReportSettings
from reports.services import report_publish
from tests.factories import PlanPriorityFactory, PublishedUpdateFactory, ThemeFactory
from tests.html_forms import post_forms
from tests.paper import libreoffice_pdf
from workflow.services import item_escalate

BASE = "/kent-test/reports/2017-18/q4-2017-18"
SETTINGS = "/kent-test/reports/settings/"
LEVELS = {"Title": 1, "Heading 1": 2, "TOC Heading": 2, "Heading 2": 3}


@pytest.fixture
def report(world):
    """A report with two priorities, Markdown progress, a comparability note and an escalation."""
    PlanPriorityFactory(
        plan=world.plan,
        title="Domestic Abuse",
        priority__slug="domestic-abuse",
        order=world.plan_priority.order + 1,
    )
    PublishedUpdateFactory(
        action=world.own_action,
        cycle=world.cycle,
        text="Training **delivered** to 120 staff.\n\n- first point\n- second point with [a link](https://example.org/a)",
    )
    ComparabilityNote.objects.create(indicator=world.indicator, effective_from=date(2016, 1, 1), text="CRASH adopted.")
    wg = access_for(world.users["working_group"], world.partnership)
    item_escalate(access=wg, item=world.published_updates["other_org"], note="Two chairs withdrew.")
    found, _ = report_publish(access=wg, cycle=world.cycle)
    return found


def html_headings(page: str) -> list[tuple[int, str]]:
    body = page[page.index('<article class="report"') : page.index("</article>")]
    return [
        (int(level), html_module.unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for level, text in re.findall(r"<h([1-3])[^>]*>(.*?)</h\1>", body, re.S)
    ]


def word_headings(document) -> list[tuple[int, str]]:
    return [(LEVELS[p.style.name], p.text) for p in document.paragraphs if p.style.name in LEVELS]


def download(client, suffix=".docx") -> bytes:
    response = client.get(f"{BASE}/v1{suffix}")
    assert response.status_code == 200
    return response.getvalue()


def test_word_document_has_the_same_headings_as_the_page_in_words_heading_styles(world, report, client_as):
    client = client_as(world.users["governing"])
    document = docx.Document(io.BytesIO(download(client)))
    expected = html_headings(client.get(f"{BASE}/v1/").content.decode())
    assert word_headings(document) == expected
    assert ("Heading 1", "Priority: Domestic Abuse") in [(p.style.name, p.text) for p in document.paragraphs]
    assert (3, "Progress update: Other council's action") in expected  # the escalation is there too


def test_word_document_holds_the_figures_comparisons_notes_and_progress(world, report, client_as):
    document = docx.Document(io.BytesIO(download(client_as(world.users["governing"]))))
    summary = document.tables[0]
    assert [cell.text for cell in summary.rows[0].cells] == [
        "Indicator",
        "Latest",
        "Target and rating",
        "Compared with",
        "Change",
        "Direction of travel",
    ]
    row = [cell.text for cell in summary.rows[1].cells]
    assert row[0].startswith("Road casualties") and row[1].startswith("6,122") and row[3].startswith("5,799")
    assert row[2] == "No target for this period"
    assert row[4] == "up 5.6% from 5,799 to 6,122, 323 more" and row[5] == "≠ Not comparable"
    note_row = summary.rows[2]
    assert note_row.cells[0]._tc is note_row.cells[-1]._tc  # one cell across the table
    assert note_row.cells[0].text == "Comparability note for Road casualties: CRASH adopted."
    # The trends: each indicator's chart as a PNG picture whose alternative text says every figure, a
    # caption saying in words what it shows, and its figures in a table, as in the PDF.
    figure = document.tables[1].rows[0].cells[0]
    (picture,) = figure._tc.iter(qn("wp:docPr"))
    assert picture.get("descr") == "Chart of Road casualties: 2015 (Jan–Dec): 5,799; 2016 (Jan–Dec): 6,122"
    (blip,) = figure._tc.iter(qn("a:blip"))
    image = document.part.related_parts[blip.get(qn("r:embed"))]
    assert image.content_type == "image/png" and image.blob.startswith(b"\x89PNG")
    assert figure.paragraphs[1].text == (
        "Road casualties in Kent: the count for each period from 2015 (Jan–Dec), 5,799, to 2016 (Jan–Dec), 6,122. "
        "The dashed upright line marks a change after which figures are not comparable."
    )
    (figures,) = figure.tables
    assert [[cell.text for cell in row.cells] for row in figures.rows] == [
        ["Period", "Figure"],
        ["2015 (Jan–Dec)", "5,799"],
        ["2016 (Jan–Dec)", "6,122"],
    ]
    actions = document.tables[2]
    progress = actions.rows[1].cells[1].paragraphs
    # As on the page: only lists and links are read as formatting; "**" is shown as written (issue 16).
    assert [p.text for p in progress] == [
        "Training **delivered** to 120 staff.",
        "first point",
        "second point with a link",
    ]
    assert progress[1].style.name == "List Bullet"
    assert "Lead: Own District Council" in actions.rows[1].cells[0].text
    link = progress[2]._p.find(qn("w:hyperlink"))
    assert document.part.rels[link.get(qn("r:id"))].target_ref == "https://example.org/a"
    texts = [p.text for p in document.paragraphs]
    assert "Working Group note: Two chairs withdrew." in texts


def test_word_tables_repeat_their_header_row_and_the_footer_numbers_pages(world, report, client_as):
    data = download(client_as(world.users["governing"]))
    document = docx.Document(io.BytesIO(data))
    summary, trends, actions = document.tables
    (figures,) = trends.rows[0].cells[0].tables
    for table in (summary, figures, actions):
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"
        body_row = table.rows[1]._tr.trPr  # a body row's properties (cannot split), never a repeated header
        assert (body_row.find(qn("w:tblHeader")) if body_row is not None else None) is None
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert trends.rows[0]._tr.trPr.find(qn("w:tblHeader")) is None  # a layout table: no header to repeat
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"] and footer.text == "Page 1 of 1"
    body_instructions = [el.text for el in document.element.body.iter(qn("w:instrText"))]
    assert body_instructions == ['TOC \\o "1-2" \\h \\z \\u']
    # Nothing asks Word to update fields on opening: the contents show the section names until someone does.
    assert document.settings.element.find(qn("w:updateFields")) is None
    assert document.core_properties.title == "Test Agreement 2017/18: Action Plan & Performance Summary, Q4 2017/18"


def word_template(*, header="Kent County Council letterhead", drop_heading_styles=False) -> bytes:
    """A template as a partnership would make it: a letterhead in the header, a style of its own,
    placeholder body text; optionally without heading styles, as Word saves a document that used none."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    document.sections[0].footer.paragraphs[0].text = "Kent County Council, Sessions House, Maidstone"
    document.styles.add_style("Letterhead Body", 1)
    document.add_paragraph("Placeholder text of the template.")
    if drop_heading_styles:
        for style in list(document.styles.element.iterchildren(qn("w:style"))):
            if style.get(qn("w:styleId")) in {"Heading1", "Heading2", "Title"}:
                document.styles.element.remove(style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, data: bytes, name="letterhead.docx"):
    return client.post(SETTINGS, {"template": SimpleUploadedFile(name, data)})


def test_working_group_uploads_a_word_template_and_reports_are_built_on_it(world, report, client_as):
    reader = client_as(world.users["governing"])
    plain = docx.Document(io.BytesIO(download(reader)))
    assert plain.sections[0].header.paragraphs[0].text == ""
    client = client_as(world.users["working_group"])
    response = upload(client, word_template(drop_heading_styles=True))
    assert response.status_code == 302
    page = client.get(SETTINGS).content.decode()
    assert "Current template: <strong>letterhead.docx</strong>" in page
    assert "now built on “letterhead.docx”" in page
    # The stored .docx made on the plain layout was dropped, and is made again on the template.
    assert not ReportOutput.objects.filter(format="docx").exists()
    document = docx.Document(io.BytesIO(download(client_as(world.users["governing"]))))
    assert document.sections[0].header.paragraphs[0].text == "Kent County Council letterhead"
    footer = [p.text for p in document.sections[0].footer.paragraphs]
    assert footer == ["Kent County Council, Sessions House, Maidstone", "Page 1 of 1"]
    assert "Letterhead Body" in [style.name for style in document.styles]
    texts = [p.text for p in document.paragraphs]
    assert "Placeholder text of the template." not in texts
    assert ("Heading 1", "Introduction") in [(p.style.name, p.text) for p in document.paragraphs]
    heading = document.styles["Heading 1"].element
    assert heading.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Just some text, not a Word document.", "notes.docx", "This file is not a Word document (.docx) that we"),
        (b"0" * (5 * 1024 * 1024 + 1), "huge.docx", "The template is larger than 5 MB"),
    ],
)
def test_a_template_that_is_not_a_small_word_document_is_refused_on_the_field(world, client_as, data, name, message):
    response = upload(client_as(world.users["working_group"]), data, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'href="#id_template"' in page  # the error summary links to the field
    assert not ReportSettings.objects.exists()


def test_removing_the_template_needs_confirmation_then_goes_back_to_the_plain_layout(world, report, client_as):
    client = client_as(world.users["working_group"])
    upload(client, word_template())
    download(client)
    refused = client.post(SETTINGS, {"remove": "1"})
    assert "Tick the box to confirm that the template should be removed." in refused.content.decode()
    assert ReportSettings.objects.get().word_template
    client.post(SETTINGS, {"remove": "1", "confirm": "on"})
    assert not ReportSettings.objects.get().word_template
    assert not ReportOutput.objects.filter(format="docx").exists()
    document = docx.Document(io.BytesIO(download(client)))
    assert document.sections[0].header.paragraphs[0].text == ""


def _seen(page: str, *, removing: bool) -> str:
    """The `seen` value of the settings page's upload form, or of its removal form (the one whose
    button is named "remove")."""
    [form] = [
        form
        for form in post_forms(page, SETTINGS)
        if any(button.get("name") == "remove" for button in form.buttons) == removing
    ]
    return dict(form.values)["seen"]


def test_a_template_changed_in_another_tab_is_not_replaced_or_removed_unseen(world, client_as):
    first, second = client_as(world.users["working_group"]), client_as(world.users["working_group"])
    upload(first, word_template(), "first.docx")
    page = second.get(SETTINGS).content.decode()  # the second tab shows first.docx
    upload_seen, remove_seen = _seen(page, removing=False), _seen(page, removing=True)
    upload(first, word_template(), "meanwhile.docx")
    entries = AuditEntry.objects.count()

    refused = second.post(SETTINGS, {"template": SimpleUploadedFile("mine.docx", word_template()), "seen": upload_seen})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone saved the Word template since you opened it (by " in html
    assert "meanwhile.docx" in html  # the saved version, for comparison
    assert ReportSettings.objects.get().word_template_name == "meanwhile.docx"
    removed = second.post(SETTINGS, {"remove": "1", "confirm": "on", "seen": remove_seen})
    assert "Someone saved the Word template since you opened it" in removed.content.decode()
    assert ReportSettings.objects.get().word_template_name == "meanwhile.docx"
    assert AuditEntry.objects.count() == entries

    # The refused page now holds what is stored, so removing again from it is on purpose.
    again = _seen(removed.content.decode(), removing=True)
    assert second.post(SETTINGS, {"remove": "1", "confirm": "on", "seen": again}).status_code == 302
    assert not ReportSettings.objects.get().word_template


def test_only_the_working_group_may_change_the_template(world, client_as):
    for role in ("partner", "governing", "admin"):
        assert upload(client_as(world.users[role]), word_template()).status_code == 403
    assert not ReportSettings.objects.exists()


def test_libreoffice_converts_the_word_document_to_a_pdf_with_the_same_headings_and_figures(
    world, report, client_as, tmp_path
):
    client = client_as(world.users["governing"])
    libreoffice_pdf(download(client), tmp_path)
    text = subprocess.run(  # noqa: S603 - poppler on our own file
        ["/usr/bin/pdftotext", str(tmp_path / "report.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    squashed = re.sub(r"\s+", " ", text)
    for _, heading in html_headings(client.get(f"{BASE}/v1/").content.decode()):
        assert heading in squashed
    figures = ["6,122", "5,799", "2015 (Jan–Dec)", "up 5.6% from 5,799 to 6,122, 323 more", "Not comparable"]
    # A title page, the introduction and contents, two priorities and the escalations.
    for figure in [*figures, "Comparability note for Road casualties: CRASH adopted.", "Page 1 of 5"]:
        assert figure in squashed


def test_word_action_table_follows_the_plans_lead_agency_column_and_names_themes(world, client_as):
    world.plan.action_table = "lead_agency"
    world.plan.save()
    world.own_action.themes.set([ThemeFactory(partnership=world.partnership, name="Vulnerability")])
    PublishedUpdateFactory(action=world.own_action, cycle=world.cycle, text="Training delivered.")
    report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    document = docx.Document(io.BytesIO(download(client_as(world.users["governing"]))))
    actions = next(table for table in document.tables if table.rows[0].cells[0].text == "Action")
    assert [cell.text for cell in actions.rows[0].cells] == ["Action", "Lead agency", "Progress"]
    own = next(row for row in actions.rows if row.cells[0].text.startswith(world.own_action.wording))
    assert own.cells[1].text == "Own District Council"
    assert "Themes: Vulnerability" in own.cells[0].text and "Lead:" not in own.cells[0].text
    assert "Training delivered." in own.cells[2].text


def test_word_tables_keep_their_heading_caption_and_header_with_their_first_row(world, report, client_as):
    """Issue 27: "Actions and progress" stood at the foot of a page with its table on the next. Headings and
    captions keep with what follows, header rows with the first row; an action's row that fits on a page
    is never split; priorities start new pages by a property of their heading (no empty page can come of
    an explicit break), and not at all in the compact layout."""
    document = docx.Document(io.BytesIO(download(client_as(world.users["governing"]))))
    paragraphs = document.paragraphs
    heading = next(p for p in paragraphs if p.text == "Actions and progress")
    caption = next(p for p in paragraphs if p.text.startswith("Actions for Road Safety"))
    assert heading.paragraph_format.keep_with_next and caption.paragraph_format.keep_with_next
    actions = document.tables[2]
    header = actions.rows[0]
    assert all(p.paragraph_format.keep_with_next for cell in header.cells for p in cell.paragraphs)
    for row in actions.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    priorities = [p for p in paragraphs if p.text.startswith("Priority: ") and p.style.name == "Heading 1"]
    assert [p.paragraph_format.page_break_before for p in priorities] == [True, True]
    assert not [p for p in paragraphs if any(br.get(qn("w:type")) == "page" for br in p._p.iter(qn("w:br")))]


def test_a_compact_word_report_runs_priorities_on_and_has_its_trends_in_an_annex(world, client_as):
    world.plan.report_layout = "compact"
    world.plan.save()
    report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    document = docx.Document(io.BytesIO(download(client_as(world.users["governing"]))))
    headings = word_headings(document)
    assert headings[-2:] == [(2, "Annex: trends and figures"), (3, "Road Safety")]
    assert (3, "Trends") not in headings
    assert not any(p.paragraph_format.page_break_before for p in document.paragraphs)
    (picture,) = document.tables[-1].rows[0].cells[0]._tc.iter(qn("wp:docPr"))  # the chart, in the annex
    assert picture.get("descr").startswith("Chart of Road casualties")
