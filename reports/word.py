"""The report as a Word document (.docx), built with python-docx from the same frozen snapshot as the
web page and the PDF, for councils that file board papers through a committee system.

Structure mirrors the HTML: its h1 is the Word "Title", h2 is "Heading 1" and h3 "Heading 2", so
Word's navigation pane and the contents field list the same sections. On paper (issue 27): tables
repeat their header row on every page (`w:tblHeader`) and have fixed column widths; headings, captions
and header rows keep with what follows, so "Actions and progress" never ends a page without its table;
an action's row that fits on a page is never split (`w:cantSplit`); the footer says "Page X of Y" with
PAGE and NUMPAGES fields holding a result already, and nothing asks Word to update fields on opening
(the contents field shows the section names until someone updates it). The plan's layout setting is
followed: "compact" runs priorities on and puts the trend charts with their figures in an annex.

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
from docx.shared import Mm, Pt, RGBColor
from weasyprint import CSS, HTML

from csa_tracker.dates import day_in_words
from csa_tracker.text import render_markdown
from reports import charts, dates
from reports.rendering import fits_on_a_page, has_lead_column, is_compact
from reports.templatetags.report_charts import figure_rows, has_ratings, has_targets, indicator_chart

# HTML heading level -> Word paragraph style.
HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2"}
# The charts at the size the PDF prints them (reports.charts: WIDTH × HEIGHT CSS px), so their text is 7.5 pt.
CHART_WIDTH = Mm(charts.WIDTH * 25.4 / 96)
TABLE_TEXT = Pt(9)
SMALL_TEXT = Pt(8)


def render_docx(report, *, snapshot: dict | None = None, template: IO[bytes] | None = None) -> bytes:
    """The report version as .docx bytes. `template` is a .docx file object to build on (letterhead,
    styles); without it python-docx's default document is used. Raises whatever python-docx raises
    for a template that is not a Word document (callers validate templates when they are uploaded)."""
    s = snapshot if snapshot is not None else report.snapshot
    compact = is_compact(s)
    document = base_document(template, compact=compact)
    _ensure_styles(document)
    writer = _Writer(document)
    title = f"{s['plan']['title']}: Action Plan & Performance Summary"
    document.core_properties.title = f"{title}, {s['cycle']['name']}"
    document.core_properties.author = s["partnership"]["name"]
    document.core_properties.language = "en-GB"

    writer.paragraph(s["partnership"]["name"])
    writer.heading(1, title)
    if plan_dates := dates.plan_dates(s["plan"]):
        writer.fact("Plan period", plan_dates)
    if s["plan"].get("version"):
        writer.fact("Plan version", s["plan"]["version"])
    writer.fact("Reporting cycle", dates.cycle_with_months(s["cycle"]))
    if report is not None:
        writer.fact("Published", day_in_words(_published(report)))
        correction = f" (correction: {report.correction_reason})" if report.correction_reason else ""
        writer.fact("Version", f"{report.version}{correction}")
        superseded_by = getattr(report, "superseded_by", None)
        if superseded_by is not None:
            writer.paragraph(
                f"Superseded by version {superseded_by.version} on {day_in_words(_published(superseded_by))}: "
                f"{superseded_by.correction_reason}",
                bold=True,
            )
    else:
        writer.fact("Status", "Draft preview, not published")

    writer.heading(2, "Introduction", new_page=not compact)  # after a title page of its own, as in the PDF
    writer.markdown(s["introduction"])

    pictures = chart_pictures(s["priorities"])
    annex = compact and any(priority["indicators"] for priority in s["priorities"])
    writer.heading(2, "Contents", style="TOC Heading")
    contents = ["Introduction", *(f"Priority: {p['title']}" for p in s["priorities"])]
    if "escalations" in s:
        contents.append("Significant changes and areas of concern")
    if s.get("governing_requests"):
        contents.append("Requests from the governing group")
    writer.contents([*contents, *(["Annex: trends and figures"] if annex else [])])

    for priority in s["priorities"]:
        writer.heading(2, f"Priority: {priority['title']}", new_page=not compact)
        writer.heading(3, "Context")
        writer.markdown(priority["context"], note_anchor=priority["slug"])
        if priority["indicators"]:
            writer.heading(3, "Performance summary")
            _performance_table(writer, priority)
            if not compact:
                writer.heading(3, "Trends")
                _trends(writer, priority, pictures)
        if priority["notes"]:
            writer.heading(3, "Notes and sources")
            for note in priority["notes"]:
                writer.note(note)
        writer.heading(3, "Actions and progress")
        if priority["actions"]:
            _actions_table(writer, priority, s["cycle"]["name"], lead_column=has_lead_column(s))
        else:
            writer.paragraph("This priority has no actions.")

    if "escalations" in s:  # left out for readers who may not read escalations (reports.audience)
        _escalations(writer, s, compact=compact)
    if s.get("governing_requests"):  # as the escalations, for those who read them (reports.audience)
        _governing_requests(writer, s, compact=compact)
    if annex:
        writer.heading(2, "Annex: trends and figures")
        writer.paragraph(
            "Each indicator's published figures over time: a chart where there are two or more, a sentence "
            "saying what it shows, and the figures in a table."
        )
        for priority in s["priorities"]:
            if priority["indicators"]:
                writer.heading(3, priority["title"])
                _trends(writer, priority, pictures)

    writer.finish_tables()
    _page_x_of_y(document)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def chart_alt_text(indicator: dict) -> str:
    figures = "; ".join(f"{point['period']}: {point['display']}" for point in indicator["series"])
    return f"Chart of {indicator['name']}: {figures or 'no published figures'}"


def chart_pictures(priorities: list[dict]) -> dict[tuple[str, str], bytes]:
    """Each drawn indicator chart (the same SVG as the PDF's, reports.charts.is_drawn) as a PNG, keyed
    by (priority slug, indicator slug). All charts are drawn in one WeasyPrint document, a page each at
    the chart's own size, and rasterised by poppler's pdftoppm in one call; without pdftoppm there are no
    pictures and the tables carry the figures."""
    drawn = [(p, i) for p in priorities for i in p["indicators"] if charts.is_drawn(i)]
    if not drawn or shutil.which("pdftoppm") is None:
        return {}
    pages = "".join(f"<section>{indicator_chart(i, p['slug'])}</section>" for p, i in drawn)
    css = CSS(
        string=f"@page {{ size: {charts.WIDTH}px {charts.HEIGHT}px; margin: 0 }} html, body {{ margin: 0 }} "
        f"section {{ break-after: page; height: {charts.HEIGHT}px }} svg {{ display: block }}"
    )
    pdf = HTML(string=f"<!doctype html><html><body>{pages}</body></html>").write_pdf(stylesheets=[css])
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "charts.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 - poppler on our own file
            [shutil.which("pdftoppm"), "-png", "-r", "200", str(source), str(Path(folder) / "chart")],
            check=True,
            capture_output=True,
            timeout=120,
        )
        images = sorted(Path(folder).glob("chart-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
        return {(p["slug"], i["slug"]): image.read_bytes() for (p, i), image in zip(drawn, images, strict=True)}


def _published(report):
    value = report.published_at
    return parse_datetime(value) if isinstance(value, str) else value


def _performance_table(writer: _Writer, priority: dict) -> None:
    rated = has_ratings(priority["indicators"])  # as the PDF: a report before format 3 has no ratings
    table = writer.table(
        f"Performance summary for {priority['title']}: latest published figures, each compared with the earlier "
        "figure its indicator is measured against (the “Compared with” column)",
        ["Indicator", "Latest", *(["Target and rating"] if rated else []), "Compared with", "Change",
         "Direction of travel"],
        widths=[24, 13, 13, 13, 21, 16] if rated else [30, 14, 14, 24, 18],
    )  # fmt: skip
    for indicator in priority["indicators"]:
        latest, comparison = indicator["latest"], indicator["comparison"]
        row = table.add_row()
        writer.keep_row_whole(row)
        cells = row.cells
        writer.cell(cells[0], indicator["name"], small=f"{indicator['geography']}. Source: {indicator['source']}")
        if latest:
            writer.cell(cells[1], latest["value"], small=latest["period"])
        else:
            writer.cell(cells[1], "No published figure")
        if rated:
            rating = indicator["rating"]
            if rating:
                writer.cell(cells[2], rating["target"], small=rating["rating_label"])
            else:
                writer.cell(cells[2], "No target for this period")
            cells = [cells[0], cells[1], *cells[3:]]  # the comparison's cells follow
        if comparison:
            writer.cell(cells[2], comparison["baseline"], small=comparison["baseline_period"])
            writer.cell(cells[3], comparison["wording"])
            writer.cell(cells[4], f"{comparison['arrow']} {comparison['direction_label']}", bold=True)
        else:
            writer.cell(cells[2], "—")
            writer.cell(cells[3], "No comparable earlier figure")
            writer.cell(cells[4], "—")
        if comparison and comparison["note"]:
            # A full-width row, as in the PDF: the note explains the direction of travel, so it stays with it.
            writer.keep_with_next(row)
            note_row = table.add_row()
            writer.keep_row_whole(note_row)
            merged = note_row.cells[0].merge(note_row.cells[-1])
            paragraph = merged.paragraphs[0]
            paragraph.add_run(f"Comparability note for {indicator['name']}: ").bold = True
            paragraph.add_run(comparison["note"])


def _trends(writer: _Writer, priority: dict, pictures: dict) -> None:
    """Each indicator's figure, three a row as in the PDF: its chart picture (where drawn), a caption in
    words (reports.charts.chart_caption) and its figures as a table, in a borderless layout table."""
    shown = [indicator for indicator in priority["indicators"] if indicator["series"]]
    layout = writer.layout_table(columns=3)
    for start in range(0, len(shown), 3):
        row = layout.add_row()
        writer.keep_row_whole(row)
        for cell, indicator in zip(row.cells, shown[start : start + 3], strict=False):
            picture = pictures.get((priority["slug"], indicator["slug"]))
            if picture:
                writer.picture(cell, picture, alt=chart_alt_text(indicator))
            caption = writer.paragraph(charts.chart_caption(indicator), container=cell)
            for run in caption.runs:
                run.font.size = SMALL_TEXT
            _figures_table(writer, cell, indicator)


def _figures_table(writer: _Writer, cell, indicator: dict) -> None:
    rows = figure_rows(indicator)
    targets = has_targets(rows)
    headers = ["Period", "Figure", *(["Target"] if targets else [])]
    table = writer.table(None, headers, widths=[46, 27, 27] if targets else [60, 40], container=cell)
    for figure in rows:
        cells = table.add_row().cells
        values = [figure["period"], figure["display"], *([figure["target"] or "—"] if targets else [])]
        for target_cell, value in zip(cells, values, strict=True):
            writer.cell(target_cell, value)


def _actions_table(writer: _Writer, priority: dict, cycle_name: str, *, lead_column: bool) -> None:
    """The Actions | Progress table as the HTML report draws it, with the lead agency column when the
    plan asks for it, and the same details under each action's wording (themes only where it has some).
    A row that fits on a page is never split, so its action's name is on the page its row starts on."""
    if lead_column:
        headers, widths = ["Action", "Lead agency", "Progress"], [30, 18, 52]
    else:
        headers, widths = ["Actions", "Progress"], [32, 68]
    table = writer.table(
        f"Actions for {priority['title']}, with the progress published for {cycle_name}", headers, widths=widths
    )
    for action in priority["actions"]:
        row = table.add_row()
        if fits_on_a_page(action):
            writer.keep_row_whole(row)
        cells = row.cells
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
            paragraph.add_run(value).font.size = SMALL_TEXT
            paragraph.runs[0].font.size = SMALL_TEXT
        if action["progress"]:
            writer.markdown(action["progress"], container=cells[1])
            if source := dates.progress_source(action, cycle_name):
                writer.paragraph(source, container=cells[1])
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
        hyperlink(paragraph, found["name"], settings.SITE_URL.rstrip("/") + found["path"])
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

    def heading(self, level: int, text: str, *, style: str | None = None, new_page: bool = False):
        """A heading paragraph, kept with the paragraph after it (whatever its style says); `new_page`
        starts it on a new page (a property of the heading, so no empty page can come of it)."""
        name = style if style in self.styles else HEADING_STYLES[level]
        paragraph = self.document.add_paragraph(text, style=name)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.page_break_before = new_page or None
        return paragraph

    def paragraph(self, text: str, *, container=None, bold: bool = False):
        paragraph = self._paragraph(container)
        paragraph.add_run(text).bold = bold or None
        return paragraph

    def fact(self, label: str, value: str):
        paragraph = self._paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    def cell(self, cell, text: str, *, small: str = "", bold: bool = False):
        paragraph = self._paragraph(cell)
        paragraph.add_run(text).bold = bold or None
        if small:
            run = self._paragraph(cell).add_run(small)
            run.font.size = SMALL_TEXT

    def table(self, caption: str | None, headers: list[str], *, widths: list[int], container=None):
        """A table whose header row repeats at the top of every page it continues on, after its caption
        (none when None); the caption and the header row keep with the first row, so a table never starts
        at the foot of a page with nothing under its header. `widths` are the columns' shares of the width
        available (the text width, or the cell's for a table in `container`), in per cent."""
        place = container if container is not None else self.document
        if caption is not None:
            paragraph = place.add_paragraph(caption, style="Caption" if "Caption" in self.styles else None)
            paragraph.paragraph_format.keep_with_next = True
        table = place.add_table(rows=1, cols=len(headers))
        if "Table Grid" in self.styles:
            table.style = "Table Grid"
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(_element("w:tblHeader", val="true"))
        self.keep_row_whole(header)
        for cell, text in zip(header.cells, headers, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        self.keep_with_next(header)
        self._widths[id(table._tbl)] = (table, widths, container is not None)
        return table

    def layout_table(self, *, columns: int):
        """A table without borders or header, only to set blocks side by side (the trend figures)."""
        table = self.document.add_table(rows=0, cols=columns)
        borders = _element("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_element(f"w:{side}", val="nil"))
        table._tbl.tblPr.append(borders)
        self._widths[id(table._tbl)] = (table, [100 / columns] * columns, False)
        return table

    @staticmethod
    def keep_row_whole(row):
        """The row is never split over two pages (`w:cantSplit`): for rows that fit on one."""
        row._tr.get_or_add_trPr().append(_element("w:cantSplit", val="true"))

    @staticmethod
    def keep_with_next(row):
        """Every paragraph of the row keeps with the next, which keeps the row on the page of the next row."""
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True

    def finish_tables(self):
        """Table text a little smaller than body text, as in the PDF, and fixed column widths on every
        cell (Word reads tcW; LibreOffice reads the grid), the same in every table of a kind: set once all
        the rows are there. A table inside a layout cell takes that cell's width."""
        section = self.document.sections[-1]
        text_width = section.page_width - section.left_margin - section.right_margin
        cell_width = int(text_width / 3) - Mm(4)  # a trend figure's cell, less its margins
        for table, widths, nested in self._widths.values():
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = run.font.size or TABLE_TEXT
            table.autofit = False
            for column, share in zip(table.columns, widths, strict=True):
                width = int((cell_width if nested else text_width) * share / 100)
                column.width = width
                for cell in column.cells:
                    cell.width = width

    def picture(self, cell, png: bytes, *, alt: str):
        """A chart image in a table cell at its printed size, with alternative text (docPr descr) that
        says every figure."""
        shape = self._paragraph(cell).add_run().add_picture(BytesIO(png), width=CHART_WIDTH)
        shape._inline.docPr.set("descr", alt)
        shape._inline.docPr.set("title", alt.split(":", 1)[0])

    def contents(self, headings: list[str]):
        """A TOC field over Heading 1–2 whose result, until someone updates it in Word (F9), is the list
        of sections: nothing asks to update it, and no instruction or placeholder shows."""
        paragraphs = [self.document.add_paragraph(text) for text in headings]
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
            hyperlink(paragraph, note["text"], note["url"])
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
        run = hyperlink(self.paragraph, data, self.href) if self.href else self.paragraph.add_run(data)
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


def hyperlink(paragraph, text: str, url: str):
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


def base_document(template: IO[bytes] | None, *, compact: bool = False):
    """python-docx's default document on A4 (its own is US Letter), with 20 mm margins and 11 pt text, or
    15 mm and 10 pt for the compact layout; or the partnership's template, its body emptied."""
    if template is None:
        document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        margin = Mm(15) if compact else Mm(20)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin
        document.styles["Normal"].font.size = Pt(10) if compact else Pt(11)
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


def _governing_requests(writer, s: dict, *, compact: bool) -> None:
    """The governing group's requests for action, open or closed since the cycle began, as on the page:
    each with what was asked, its owner, due date, state, answer and close."""
    writer.heading(2, "Requests from the governing group", new_page=not compact)
    writer.paragraph(
        "Action the governing group requested in its responses to escalations: open requests, and those "
        f"closed since {s['cycle']['name']} began."
    )
    for request in s["governing_requests"]:
        writer.heading(3, request["subject"])
        writer.fact("Requested", f"{request['asked']} ({request['cycle']})")
        writer.fact("Owner", request["owner"])
        writer.fact("Due", request["due"])
        writer.fact("State", request["state"])
        writer.fact("Answer", request["answer"] or "Not answered yet.")
        if request["close_note"]:
            writer.fact("Closed", request["close_note"])


def _escalations(writer, s: dict, *, compact: bool) -> None:
    """What the Working Group escalated in the cycle, each with the governing group's responses so far,
    and the governing group's responses to the previous cycle's escalations, as on the page."""
    writer.heading(2, "Significant changes and areas of concern", new_page=not compact)
    for escalation in s["escalations"]:
        writer.heading(3, f"{escalation['kind']}: {escalation['subject']}")
        if escalation["priority"]:
            writer.fact("Priority", escalation["priority"])
        if escalation["flag"]:
            reason = f": {escalation['flag_reason']}" if escalation["flag_reason"] else ""
            writer.fact("Flag", f"{escalation['flag']}{reason}")
        writer.fact("Working Group note", escalation["note"])
        if escalation["corrected"]:
            writer.fact(
                "Corrected",
                f"The escalated version was superseded by a correction ({escalation['corrected']}); "
                "the current version is quoted.",
            )
        for response in escalation["responses"]:
            note = f": {response['note']}" if response["note"] else ""
            writer.fact("Governing group", f"{response['kind']} ({response['at']}){note}")
        writer.markdown(escalation["text"])
    if not s["escalations"]:
        writer.paragraph(f"The Working Group escalated nothing to the governing group in {s['cycle']['name']}.")
    if s["earlier_responses"]:
        writer.heading(3, "The governing group's responses to earlier escalations")
        for response in s["earlier_responses"]:
            paragraph = writer.document.add_paragraph(style="List Bullet" if "List Bullet" in writer.styles else None)
            paragraph.add_run(f"{response['cycle']}, {response['subject']}: ")
            paragraph.add_run(response["kind"]).bold = True
            note = f": {response['note']}" if response["note"] else ""
            paragraph.add_run(f"{note} (Working Group note: {response['escalation']})")
