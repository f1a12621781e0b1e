"""The plan as an editable Word document, in the shape the importer reads (`plandocs.recognise`), so a
partnership can edit last year's plan in Word and import it as this year's, and an export imported back
gives the same plan.

Title, then "Introduction" (Heading 1), then per priority "Priority: <title>" (Heading 1) with
"Context", "Notes" and "Actions and progress" (Heading 2). Text keeps the tracker's conventions
(`csa_tracker.text`): a blank line starts a Word paragraph, a single line break is a line break in it,
a block of "- " lines is a bulleted list (Word's List Bullet), "1. " lines keep the writer's numbers as
typed, [words](https://…) is a link, and a note reference [^1] a superscript 1. A note is "1) its
words", with "Source:", "Publisher:", "Published:" and "Link:" lines for what is recorded about its
source. The actions table is the plan's report table ("Action | Lead agency | Progress", or "Actions |
Progress" with a "Lead:" line under the wording); the wording is followed by "Supporting:", "Status:",
"Funding:", "Themes:", "Starts:" and "Due:" lines, and the progress column holds the latest published
progress.
"""

from __future__ import annotations

import re
from io import BytesIO

from django.utils import timezone
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from actions.models import Action
from csa_tracker.dates import day_in_words
from csa_tracker.text import BULLET, LINK, NOTE_REF, NUMBERED
from priorities.models import ActionTable
from reports.word import base_document, hyperlink

INLINE = re.compile(f"{LINK.pattern}|{NOTE_REF.pattern}")


def plan_docx(plan) -> bytes:
    """The plan's priorities, contexts, notes and actions table (with each action's latest published
    progress) as .docx bytes."""
    document = base_document(None)
    section = document.sections[0]
    document.core_properties.title = plan.title
    document.core_properties.author = plan.partnership.name
    document.core_properties.language = "en-GB"
    footer = section.footer.paragraphs[0]
    footer.text = f"{plan.title}: exported from the tracker on {day_in_words(timezone.localdate())}"
    document.add_paragraph(plan.title, style="Title")
    if plan.introduction.strip():
        document.add_paragraph("Introduction", style="Heading 1")
        write_text(document, plan.introduction)
    lead_column = plan.action_table == ActionTable.LEAD_AGENCY
    actions = Action.objects.filter(plan_priority__plan=plan).with_plan_details().prefetch_related("themes")
    by_priority: dict[int, list[Action]] = {}
    for action in actions.order_by("order", "pk"):
        by_priority.setdefault(action.plan_priority_id, []).append(action)
    for plan_priority in plan.plan_priorities.prefetch_related("notes").order_by("order", "pk"):
        document.add_paragraph(f"Priority: {plan_priority.title}", style="Heading 1")
        document.add_paragraph("Context", style="Heading 2")
        write_text(document, plan_priority.context)
        notes = list(plan_priority.notes.all())
        if notes:
            document.add_paragraph("Notes", style="Heading 2")
            for note in notes:
                _note(document, note)
        document.add_paragraph("Actions and progress", style="Heading 2")
        _actions_table(document, by_priority.get(plan_priority.pk, []), lead_column=lead_column)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def write_text(container, text: str) -> None:
    """`text` as Word paragraphs in `container` (the document or a table cell): see the module docstring."""
    paragraphs = getattr(container, "paragraphs", [])
    first = paragraphs[0] if len(paragraphs) == 1 and not paragraphs[0].text else None  # a new cell's own
    for chunk in re.split(r"\n[ \t]*\n", (text or "").strip()):
        lines = chunk.split("\n")
        as_list = all(BULLET.match(line) or NUMBERED.match(line) for line in lines)
        for line in lines if as_list else [chunk]:
            bullet = as_list and BULLET.match(line)
            style = "List Bullet" if bullet else None
            paragraph = first if first is not None else container.add_paragraph(style=style)
            if first is not None and style:
                paragraph.style = style
            first = None
            _inline(paragraph, line[bullet.end() :] if bullet else line)


def _inline(paragraph, text: str) -> None:
    """Runs for a line (or lines, as line breaks): links and note references as Word has them."""
    position = 0
    for match in INLINE.finditer(text):
        _runs(paragraph, text[position : match.start()])
        if match[3] is not None:  # [^N]
            paragraph.add_run(match[3]).font.superscript = True
        else:
            hyperlink(paragraph, match[1].strip() or match[2], match[2])
        position = match.end()
    _runs(paragraph, text[position:])


def _runs(paragraph, text: str) -> None:
    for number, line in enumerate(text.split("\n")):
        if number:
            paragraph.add_run().add_break()
        if line:
            paragraph.add_run(line)


def _note(document, note) -> None:
    paragraph = document.add_paragraph()
    _runs(paragraph, f"{note.number}) {note.text}")
    for label, value in (
        ("Source", note.source_title),
        ("Publisher", note.publisher),
        ("Published", note.published),
        ("Link", note.url),
    ):
        if value:
            paragraph.add_run().add_break()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)


def _actions_table(document, actions: list[Action], *, lead_column: bool) -> None:
    headers = ["Action", "Lead agency", "Progress"] if lead_column else ["Actions", "Progress"]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for action in actions:
        cells = table.add_row().cells
        write_text(cells[0], action.wording)
        leads = [organisation.name for organisation in action.leads.all()]
        meta = [] if lead_column else [("Lead", "; ".join(leads))]
        meta += [
            ("Supporting", "; ".join(organisation.name for organisation in action.supporters.all())),
            ("Status", action.status.name),
            ("Funding", action.funding.name if action.funding else ""),
            ("Themes", "; ".join(theme.name for theme in action.themes.all())),
            ("Starts", day_in_words(action.start_date) if action.start_date else ""),
            ("Due", day_in_words(action.due_date) if action.due_date else ""),
        ]
        for label, value in meta:
            if value:
                paragraph = cells[0].add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
        if lead_column:
            for name in leads:
                paragraph = cells[1].paragraphs[0] if not cells[1].paragraphs[0].text else cells[1].add_paragraph()
                paragraph.add_run(name)
        progress = action.latest_published
        if progress is not None:
            write_text(cells[-1], progress.text)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
