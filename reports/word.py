"""The report as a Word document (.docx), built with python-docx from the same frozen snapshot as the
web page and the PDF, for councils that file board papers through a committee system.

Structure mirrors the HTML: its h1 is the Word "Title", h2 is "Heading 1" and h3 "Heading 2", so
Word's navigation pane and the contents field list the same sections. Tables repeat their header
row on every page (`w:tblHeader`); the footer says "Page X of Y" with PAGE and NUMPAGES fields.

A partnership's own Word template (letterhead, styles) can be the base document: its styles,
page setup, headers and footers are kept and its body text is replaced by the report.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.dateparse import parse_datetime
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from weasyprint import CSS, HTML

from csa_tracker.text import render_markdown
from reports.templatetags.report_charts import indicator_chart

# HTML heading level -> Word paragraph style.
HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2"}
CONTENTS_PLACEHOLDER = "Update this field (F9 in Word) to add page numbers."
CHART_WIDTH = Cm(2.5)  # inside the Trend column (20% of 170 mm, less the cell margins)
TABLE_TEXT = Pt(9)


def render_docx(report, *, snapshot: dict | None = None, template: IO[bytes] | None = None) -> bytes:
    """The report version as .docx bytes. `template` is a .docx file object to build on (letterhead,
    styles); without it python-docx's default document is used. Raises whatever python-docx raises
    for a template that is not a Word document (callers validate templates when they are uploaded)."""
    s = snapshot if snapshot is not None else report.snapshot
    document = _base_document(template)
    _ensure_styles(document)
    writer = _Writer(document)
    title = f"{s['plan']['title']}: Action Plan & Performance Summary"
    document.core_properties.title = f"{title}, {s['cycle']['name']}"
    document.core_properties.author = s["partnership"]["name"]
    document.core_properties.language = "en-GB"

    writer.paragraph(s["partnership"]["name"])
    writer.heading(1, title)
    writer.fact("Reporting cycle", s["cycle"]["name"])
    if report is not None:
        writer.fact("Published", f"{_published(report):%-d %B %Y}")
        correction = f" (correction: {report.correction_reason})" if report.correction_reason else ""
        writer.fact("Version", f"{report.version}{correction}")
        superseded_by = getattr(report, "superseded_by", None)
        if superseded_by is not None:
            writer.paragraph(
                f"Superseded by version {superseded_by.version} on {_published(superseded_by):%-d %B %Y}: "
                f"{superseded_by.correction_reason}",
                bold=True,
            )
    else:
        writer.fact("Status", "Draft preview, not published")

    writer.heading(2, "Introduction")
    writer.markdown(s["introduction"])

    charts = chart_pictures(s["priorities"])
    writer.heading(2, "Contents", style="TOC Heading")
    contents = ["Introduction", *(f"Priority: {p['title']}" for p in s["priorities"])]
    writer.contents([*contents, "Significant changes and areas of concern"])

    for priority in s["priorities"]:
        writer.page_break()
        writer.heading(2, f"Priority: {priority['title']}")
        writer.heading(3, "Context")
        writer.markdown(priority["context"], note_anchor=priority["slug"])
        if priority["indicators"]:
            writer.heading(3, "Performance summary")
            _performance_table(writer, priority, charts)
            _figures_table(writer, priority)
        if priority["notes"]:
            writer.heading(3, "Notes and sources")
            for note in priority["notes"]:
                writer.note(note)
        writer.heading(3, "Actions and progress")
        if priority["actions"]:
            _actions_table(writer, priority, s["cycle"]["name"], lead_column=_lead_column(s))
        else:
            writer.paragraph("This priority has no actions.")

    if "escalations" in s:  # left out for readers who may not read escalations (reports.audience)
        _escalations(writer, s)

    writer.finish_tables()
    _page_x_of_y(document)
    _update_fields_on_open(document)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def chart_alt_text(indicator: dict) -> str:
    figures = "; ".join(f"{point['period']}: {point['display']}" for point in indicator["series"])
    return f"Chart of {indicator['name']}: {figures or 'no published figures'}"


def chart_pictures(priorities: list[dict]) -> dict[tuple[str, str], bytes]:
    """Each indicator's report chart (the same SVG as the PDF's) as a PNG, keyed by (priority slug,
    indicator slug). All charts are drawn in one WeasyPrint document, a page each, and rasterised by
    poppler's pdftoppm in one call; without pdftoppm there are no pictures and the tables carry the figures."""
    charts = [(priority, indicator) for priority in priorities for indicator in priority["indicators"]]
    charts = [(p, i) for p, i in charts if i["series"]]
    if not charts or shutil.which("pdftoppm") is None:
        return {}
    pages = "".join(f"<section>{indicator_chart(i, p['slug'])}</section>" for p, i in charts)
    css = CSS(
        string="@page { size: 120mm 40mm; margin: 1mm } html, body { margin: 0 } "
        "section { break-after: page; height: 38mm } svg { width: 100%; height: 100% }"
    )
    pdf = HTML(string=f"<!doctype html><html><body>{pages}</body></html>").write_pdf(stylesheets=[css])
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "charts.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 - poppler on our own file
            [shutil.which("pdftoppm"), "-png", "-r", "150", str(source), str(Path(folder) / "chart")],
            check=True,
            capture_output=True,
            timeout=120,
        )
        images = sorted(Path(folder).glob("chart-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
        return {(p["slug"], i["slug"]): image.read_bytes() for (p, i), image in zip(charts, images, strict=True)}


def _published(report):
    value = report.published_at
    return parse_datetime(value) if isinstance(value, str) else value


def _performance_table(writer: _Writer, priority: dict, charts: dict) -> None:
    table = writer.table(
        f"Performance summary for {priority['title']}: latest published figures, each compared with the earlier "
        "figure its indicator is measured against (the “Compared with” column)",
        ["Indicator", "Latest", "Compared with", "Change", "Direction of travel", "Trend"],
        widths=[18, 12, 14, 18, 18, 20],
    )
    for indicator in priority["indicators"]:
        latest, comparison = indicator["latest"], indicator["comparison"]
        cells = table.add_row().cells
        writer.cell(cells[0], indicator["name"], small=f"{indicator['geography']}. Source: {indicator['source']}")
        if latest:
            writer.cell(cells[1], latest["value"], small=latest["period"])
        else:
            writer.cell(cells[1], "No published figure")
        if comparison:
            writer.cell(cells[2], comparison["baseline"], small=comparison["baseline_period"])
            writer.cell(cells[3], comparison["wording"])
            writer.cell(cells[4], f"{comparison['arrow']} {comparison['direction_label']}", bold=True)
        else:
            writer.cell(cells[2], "—")
            writer.cell(cells[3], "No comparable earlier figure")
            writer.cell(cells[4], "—")
        chart = charts.get((priority["slug"], indicator["slug"]))
        if chart:
            writer.picture(cells[5], chart, alt=chart_alt_text(indicator))
        else:
            writer.cell(cells[5], "—" if not indicator["series"] else "See the figures below")
        if comparison and comparison["note"]:
            # A full-width row, as in the PDF: the note explains the direction of travel.
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            paragraph = merged.paragraphs[0]
            paragraph.add_run(f"Comparability note for {indicator['name']}: ").bold = True
            paragraph.add_run(comparison["note"])


def _figures_table(writer: _Writer, priority: dict) -> None:
    table = writer.table(f"Figures shown in the {priority['title']} charts", ["Indicator", "Period", "Figure"])
    for indicator in priority["indicators"]:
        for point in indicator["series"]:
            cells = table.add_row().cells
            writer.cell(cells[0], indicator["name"])
            writer.cell(cells[1], point["period"])
            writer.cell(cells[2], point["display"])


def _lead_column(snapshot: dict) -> bool:
    """Whether the plan's report puts lead agencies in a column of their own ("Action | Lead agency |
    Progress", plan settings); reports published before the setting existed have one column less."""
    return snapshot["plan"].get("action_table") == "lead_agency"


def _actions_table(writer: _Writer, priority: dict, cycle_name: str, *, lead_column: bool) -> None:
    """The Actions | Progress table as the HTML report draws it, with the lead agency column when the
    plan asks for it, and the same details under each action's wording (themes only where it has some)."""
    if lead_column:
        headers, widths = ["Action", "Lead agency", "Progress"], [30, 20, 50]
    else:
        headers, widths = ["Actions", "Progress"], [35, 65]
    table = writer.table(
        f"Actions for {priority['title']}, with the progress published for {cycle_name}", headers, widths=widths
    )
    for action in priority["actions"]:
        cells = table.add_row().cells
        writer.cell(cells[0], action["wording"], bold=True)
        meta = [] if lead_column else [("Lead", ", ".join(action["leads"]))]
        if action["supporters"]:
            meta.append(("Supporting", ", ".join(action["supporters"])))
        if action["funding"]:
            meta.append(("Funding", action["funding"]))
        if action.get("themes"):
            meta.append(("Themes", ", ".join(action["themes"])))
        meta.append(("Status", action["status"]))
        if lead_column:
            writer.cell(cells[1], ", ".join(action["leads"]))
            cells = [cells[0], cells[2]]
        for label, value in meta:
            paragraph = cells[0].add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
        if action["progress"]:
            writer.markdown(action["progress"], container=cells[1])
            if action["progress_cycle"] != cycle_name:
                writer.paragraph(f"Progress as published for {action['progress_cycle']}.", container=cells[1])
        else:
            writer.paragraph("No progress published yet.", container=cells[1])
        _evidence_links(writer, action.get("evidence", []), container=cells[1])


def _evidence_links(writer: _Writer, evidence: list[dict], *, container) -> None:
    """The progress's evidence as named links to their download pages (issue 28); reports published
    before evidence existed have none."""
    if not evidence:
        return
    paragraph = writer.paragraph("Evidence: ", container=container, bold=True)
    for position, found in enumerate(evidence):
        _hyperlink(paragraph, found["name"], settings.SITE_URL.rstrip("/") + found["path"])
        separator = "; " if position < len(evidence) - 1 else ""
        paragraph.add_run(f" ({found['type']}, {filesizeformat(found['size'])}){separator}")


class _Writer:
    """Adds paragraphs, headings and tables to a document or a table cell with the document's styles."""

    def __init__(self, document):
        self.document = document
        self.styles = {style.name for style in document.styles}
        self._widths: dict[int, tuple] = {}

    def _paragraph(self, container=None, style: str | None = None):
        container = container if container is not None else self.document
        # A new table cell holds one empty paragraph: use it for the first block.
        paragraphs = getattr(container, "paragraphs", None) if container is not self.document else None
        if paragraphs and len(paragraphs) == 1 and not paragraphs[0].text and not paragraphs[0].runs:
            paragraph = paragraphs[0]
            if style:
                paragraph.style = style
            return paragraph
        return container.add_paragraph(style=style if style in self.styles else None)

    def heading(self, level: int, text: str, *, style: str | None = None):
        name = style if style in self.styles else HEADING_STYLES[level]
        return self.document.add_paragraph(text, style=name)

    def paragraph(self, text: str, *, container=None, bold: bool = False):
        paragraph = self._paragraph(container)
        paragraph.add_run(text).bold = bold or None
        return paragraph

    def fact(self, label: str, value: str):
        paragraph = self._paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    def page_break(self):
        self.document.add_page_break()

    def cell(self, cell, text: str, *, small: str = "", bold: bool = False):
        paragraph = self._paragraph(cell)
        paragraph.add_run(text).bold = bold or None
        if small:
            run = self._paragraph(cell).add_run(small)
            run.font.size = Pt(8)

    def table(self, caption: str, headers: list[str], *, widths: list[int] | None = None):
        """A captioned table whose header row repeats at the top of every page it continues on;
        `widths` are the columns' shares of the text width, in per cent (Word's default is equal columns)."""
        self.document.add_paragraph(caption, style="Caption" if "Caption" in self.styles else None)
        table = self.document.add_table(rows=1, cols=len(headers))
        if "Table Grid" in self.styles:
            table.style = "Table Grid"
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(_element("w:tblHeader", val="true"))
        for cell, text in zip(header.cells, headers, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        if widths:
            self._widths[id(table._tbl)] = (table, widths)
        return table

    def finish_tables(self):
        """Table text a little smaller than body text, as in the PDF, and column widths on every cell
        (Word reads tcW; LibreOffice reads the grid): set once all the rows are there."""
        section = self.document.sections[-1]
        text_width = section.page_width - section.left_margin - section.right_margin
        for table, widths in self._widths.values():
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = run.font.size or TABLE_TEXT
            table.autofit = False
            for column, share in zip(table.columns, widths, strict=True):
                width = int(text_width * share / 100)
                column.width = width
                for cell in column.cells:
                    cell.width = width

    def picture(self, cell, png: bytes, *, alt: str):
        """A chart image in a table cell, with alternative text (docPr descr) that says every figure."""
        shape = self._paragraph(cell).add_run().add_picture(BytesIO(png), width=CHART_WIDTH)
        shape._inline.docPr.set("descr", alt)
        shape._inline.docPr.set("title", alt.split(":", 1)[0])

    def contents(self, headings: list[str]):
        """A TOC field over Heading 1–2; until Word updates it, it shows the section names."""
        paragraphs = [self.document.add_paragraph(text) for text in [*headings, CONTENTS_PLACEHOLDER]]
        first, last = paragraphs[0], paragraphs[-1]
        begin = [
            _element("w:fldChar", fldCharType="begin"),
            _instruction('TOC \\o "1-2" \\h \\z \\u'),
            _element("w:fldChar", fldCharType="separate"),
        ]
        for position, element in enumerate(begin):
            run = OxmlElement("w:r")
            run.append(element)
            first._p.insert(position + (1 if first._p.pPr is not None else 0), run)
        end = OxmlElement("w:r")
        end.append(_element("w:fldChar", fldCharType="end"))
        last._p.append(end)

    def note(self, note: dict):
        paragraph = self._paragraph()
        paragraph.add_run(f"{note['number']}) ")
        if note["url"]:
            _hyperlink(paragraph, note["text"], note["url"])
        else:
            paragraph.add_run(note["text"])

    def markdown(self, text: str, *, container=None, note_anchor: str = ""):
        """Paragraphs, bullet and numbered lists, bold, italic, links and note numbers of a progress or
        narrative text, through the same sanitised Markdown as the page (`csa_tracker.text`)."""
        _MarkdownToWord(self, container).feed(str(render_markdown(text, note_anchor=note_anchor)))


class _MarkdownToWord(HTMLParser):
    """Walks the small sanitised HTML subset of `render_markdown` (p, ul, ol, li, a, strong, em, br, sup)."""

    def __init__(self, writer: _Writer, container):
        super().__init__(convert_charrefs=True)
        self.writer, self.container = writer, container
        self.paragraph = None
        self.lists: list[str] = []
        self.bold = self.italic = self.sup = 0
        self.href = None

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            if style in self.writer.styles:
                self.paragraph = self.writer._paragraph(self.container, style)
            else:
                self.paragraph = self.writer._paragraph(self.container)
                self.paragraph.add_run("• ")
        elif tag == "p":
            if not self.lists:
                self.paragraph = self.writer._paragraph(self.container)
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "sup":
            self.sup += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.href = href if not href.startswith("#") else None
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.paragraph = None
        elif tag in ("p", "li") and not (tag == "p" and self.lists):
            self.paragraph = None
        elif tag == "strong":
            self.bold -= 1
        elif tag == "em":
            self.italic -= 1
        elif tag == "sup":
            self.sup -= 1
        elif tag == "a":
            self.href = None

    def handle_data(self, data):
        if self.paragraph is None:
            if not data.strip():
                return
            self.paragraph = self.writer._paragraph(self.container)
        run = _hyperlink(self.paragraph, data, self.href) if self.href else self.paragraph.add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        if self.sup:
            run.font.superscript = True


def _element(tag: str, **attributes):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _instruction(text: str):
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A simple field (PAGE, NUMPAGES) with the text shown until Word computes it."""
    for element in (
        _element("w:fldChar", fldCharType="begin"),
        _instruction(f" {instruction} "),
        _element("w:fldChar", fldCharType="separate"),
    ):
        paragraph.add_run()._r.append(element)
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="end"))


def _hyperlink(paragraph, text: str, url: str):
    """An external link as Word stores it: a relationship and a w:hyperlink around a styled run."""
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    paragraph._p.append(link)
    run = paragraph.add_run(text)
    link.append(run._r)  # moves the run inside the hyperlink
    run.font.color.rgb = RGBColor(0x1D, 0x4F, 0x7C)
    run.font.underline = True
    return run


def _base_document(template: IO[bytes] | None):
    if template is None:
        document = Document()
        section = document.sections[0]  # python-docx's default is US Letter
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(20)
        return document
    document = Document(template)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _ensure_styles(document) -> None:
    """A template made in Word holds only the styles it uses: add the headings the report needs, with
    outline levels so the contents field finds them."""
    styles = document.styles
    present = {style.name for style in styles}
    for name, size, outline in (("Title", 20, None), ("Heading 1", 14, 0), ("Heading 2", 11, 1)):
        if name in present:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.bold = True
        style.font.size = Pt(size)
        style.paragraph_format.keep_with_next = True
        if outline is not None:
            style.element.get_or_add_pPr().append(_element("w:outlineLvl", val=str(outline)))


def _page_x_of_y(document) -> None:
    for number, section in enumerate(document.sections):
        footer = section.footer
        if footer.is_linked_to_previous:
            if number:
                continue  # it shows the first section's footer
            footer.is_linked_to_previous = False  # give the first section a footer of its own
        paragraph = footer.paragraphs[0] if not footer.paragraphs[0].text.strip() else footer.add_paragraph()
        paragraph.add_run("Page ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES", "1")


def _update_fields_on_open(document) -> None:
    """Word then fills in the contents and page numbers when the document is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        settings.append(_element("w:updateFields", val="true"))


def _escalations(writer, s: dict) -> None:
    writer.page_break()
    writer.heading(2, "Significant changes and areas of concern")
    for escalation in s["escalations"]:
        writer.heading(3, f"{escalation['kind']}: {escalation['subject']}")
        if escalation["priority"]:
            writer.fact("Priority", escalation["priority"])
        if escalation["flag"]:
            reason = f": {escalation['flag_reason']}" if escalation["flag_reason"] else ""
            writer.fact("Flag", f"{escalation['flag']}{reason}")
        writer.fact("Working Group note", escalation["note"])
        writer.markdown(escalation["text"])
    if not s["escalations"]:
        writer.paragraph(f"The Working Group escalated nothing to the governing group in {s['cycle']['name']}.")
