"""Documents that differ from Kent's in the usual ways still import: priorities as numbered headings one
level down ("1. Road Safety", "Priority 2: …"), notes as Word footnotes and endnotes, a contents page,
headers and footers, an "Action | Agency | Progress" table with merged cells, bullets and line breaks in
its cells; and where the document is ambiguous the person says what it means."""

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from actions.models import Action, ProgressUpdate
from plandocs.reading import read_document
from plandocs.recognise import IGNORE, Choices, guess_level, recognise
from priorities.models import Note, Plan, PlanPriority
from tests.factories import StatusFactory

from .documents import to_bytes
from .importing import post, preview

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _notes_part(document, kind: str, texts: dict[int, str]) -> None:
    """A footnotes or endnotes part holding `texts` by id (with Word's separator notes)."""
    tag = "footnote" if kind == "footnotes" else "endnote"
    notes = "".join(
        f'<w:{tag} w:id="{number}"><w:p><w:r><w:{tag}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r>'
        f"</w:p></w:{tag}>"
        for number, text in texts.items()
    )
    separators = f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
    xml = f'<w:{kind} xmlns:w="{W}">{separators}{notes}</w:{kind}>'
    content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
    part = Part(PackURI(f"/word/{kind}.xml"), content_type, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES)


def _reference(paragraph, kind: str, number: int) -> None:
    run = OxmlElement("w:r")
    reference = OxmlElement(f"w:{kind}Reference")
    reference.set(qn("w:id"), str(number))
    run.append(reference)
    paragraph._p.append(run)


def _field_char(paragraph, kind: str) -> None:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    paragraph._p.append(run)


def _contents(document) -> None:
    """A contents page as Word makes one: a TOC field over three paragraphs."""
    document.add_paragraph("Contents", style="Heading 1")
    first = document.add_paragraph()
    _field_char(first, "begin")
    code = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.text = ' TOC \\o "1-3" \\h \\z \\u '
    code.append(text)
    first._p.append(code)
    _field_char(first, "separate")
    first.add_run("1. Road Safety\t3")
    document.add_paragraph("Priority 2: Anti-social behaviour\t5")
    last = document.add_paragraph("Appendix\t9")
    _field_char(last, "end")


def variant_docx() -> bytes:
    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "OFFICIAL – Coastshire Community Safety Partnership"
    section.footer.paragraphs[0].text = "Page 1 of 4"
    document.add_paragraph("Coastshire Community Safety Plan 2026/27", style="Title")
    _contents(document)
    document.add_paragraph("Our priorities", style="Heading 1")
    document.add_paragraph("Two priorities were agreed at the strategic assessment.")

    document.add_paragraph("1. Road Safety", style="Heading 2")
    context = document.add_paragraph("Casualties rose by 5.6% in 2025")
    _reference(context, "footnote", 1)
    context.add_run(" and speeding is residents' first concern")
    _reference(context, "endnote", 1)
    context.add_run(".")
    table = document.add_table(rows=5, cols=3)
    for cell, header in zip(table.rows[0].cells, ["Action", "Agency", "Progress"], strict=True):
        cell.text = header
    merged = table.cell(1, 0).merge(table.cell(2, 0))  # one action over two rows of progress
    merged.text = "Run speed-watch sessions with residents"
    table.cell(1, 1).text = "Coastshire Police"
    progress = table.cell(1, 2)
    progress.text = "Twelve sessions ran this quarter:"
    progress.add_paragraph("Harbour Road", style="List Bullet")
    progress.add_paragraph("Mill Lane", style="List Bullet")
    table.cell(2, 2).text = "Three more are booked."
    across = table.cell(3, 0).merge(table.cell(3, 2))  # a row across the whole table
    across.text = "Young drivers"
    table.cell(4, 0).text = "Fund theatre performances for sixth-formers"
    table.cell(4, 1).text = "Coastshire Council; Coastshire Police"
    line_breaks = table.cell(4, 2).paragraphs[0]
    line_breaks.add_run("Booked for March.")
    line_breaks.add_run().add_break()
    line_breaks.add_run("Four schools so far.")

    document.add_paragraph("Priority 2: Anti-social behaviour", style="Heading 2")
    document.add_paragraph("Reports fell by a tenth.")
    table = document.add_table(rows=2, cols=3)
    for cell, header in zip(table.rows[0].cells, ["Action", "Agency", "Progress"], strict=True):
        cell.text = header
    table.cell(1, 0).text = "Train wardens in the new powers"
    table.cell(1, 1).text = "Coastshire Council"
    _notes_part(document, "footnotes", {1: "Department for Transport. Reported road casualties (September 2025)"})
    _notes_part(document, "endnotes", {1: "Coastshire residents' survey, 2025."})
    return to_bytes(document)


def test_a_document_unlike_kents_is_read_as_the_plan_it_is():
    document = read_document(variant_docx())
    assert guess_level(document) == 2  # "Our priorities" is alone at level 1
    draft = recognise(document, Choices())
    assert draft.problems == []
    assert draft.title == "Coastshire Community Safety Plan 2026/27"
    assert [p.title for p in draft.priorities] == ["Road Safety", "Anti-social behaviour"]
    road, asb = draft.priorities
    assert road.context == "Casualties rose by 5.6% in 2025[^1] and speeding is residents' first concern[^2]."
    assert [(n.number, n.text, n.publisher, n.source_title, n.published) for n in road.notes] == [
        (
            1,
            "Department for Transport. Reported road casualties (September 2025)",
            "Department for Transport",
            "Reported road casualties",
            "September 2025",
        ),
        (2, "Coastshire residents' survey, 2025.", "", "", ""),
    ]
    speed, theatre = road.actions
    assert speed.wording == "Run speed-watch sessions with residents"
    assert speed.leads == ["Coastshire Police"]
    assert (
        speed.progress == "Twelve sessions ran this quarter:\n\n- Harbour Road\n- Mill Lane\n\nThree more are booked."
    )
    assert theatre.leads == ["Coastshire Council", "Coastshire Police"]
    assert theatre.progress == "Booked for March.\nFour schools so far."
    assert [(a.wording, a.leads, a.progress) for a in asb.actions] == [
        ("Train wardens in the new powers", ["Coastshire Council"], "")
    ]
    assert asb.context == "Reports fell by a tenth."
    assert "The contents page." in draft.left_out
    assert "A row across the whole actions table of “Road Safety”: “Young drivers”." in draft.left_out
    everything = repr(draft)
    assert "OFFICIAL" not in everything and "Page 1 of 4" not in everything  # header and footer
    assert "Anti-social behaviour\t5" not in everything  # the contents page's entries


def test_the_person_says_which_headings_are_priorities_and_what_each_column_is():
    document = read_document(variant_docx())
    one_level_up = recognise(document, Choices(level=1))
    assert [p.title for p in one_level_up.priorities] == ["Our priorities"]
    road_only = recognise(document, Choices(level=2, headings={h for h in [_index(document, "1. Road Safety")]}))
    assert [p.title for p in road_only.priorities] == ["Road Safety"]
    no_progress = recognise(document, Choices(columns={"progress": IGNORE}))
    assert [a.progress for p in no_progress.priorities for a in p.actions] == ["", "", ""]
    agency_is_progress = recognise(document, Choices(columns={"agency": "progress", "progress": IGNORE}))
    assert agency_is_progress.priorities[0].actions[0].progress == "Coastshire Police"
    assert agency_is_progress.priorities[0].actions[0].leads == []


def _index(document, text):
    return next(i for i, block in enumerate(document["blocks"]) if block.get("text") == text)


def test_the_variant_imports_through_the_pages(empty, client):
    StatusFactory(partnership=empty.partnership, name="On track")
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, variant_docx(), filename="coastshire.docx")
    assert "Heading 2 (Road Safety, Anti-social behaviour)" in page
    assert "A row across the whole actions table of “Road Safety”: “Young drivers”." in page
    assert "“Coastshire Police”" in page and "“Coastshire Council”" in page  # proposed, not yet added
    one_up = post(client, url, form, action="refresh", level="1").content.decode()
    assert ">Our priorities</h2>" in one_up and ">Road Safety</h2>" not in one_up
    response = post(client, url, form, progress="import", cycle_name="Q1 2026/27")
    assert response.status_code == 302, response.content.decode()[-3000:]
    plan = Plan.objects.get(title="Coastshire Community Safety Plan 2026/27")
    assert (str(plan.starts), str(plan.ends)) == ("2026-04-01", "2027-03-31")
    assert list(PlanPriority.objects.filter(plan=plan).values_list("title", flat=True)) == [
        "Road Safety",
        "Anti-social behaviour",
    ]
    assert list(Note.objects.filter(plan_priority__plan=plan).values_list("number", "publisher")) == [
        (1, "Department for Transport"),
        (2, ""),
    ]
    theatre = Action.objects.get(plan_priority__plan=plan, wording__startswith="Fund theatre")
    assert sorted(theatre.leads.values_list("name", flat=True)) == ["Coastshire Council", "Coastshire Police"]
    assert list(ProgressUpdate.objects.filter(action=theatre).values_list("text", flat=True)) == [
        "Booked for March.\nFour schools so far."
    ]
    assert ProgressUpdate.objects.filter(action__plan_priority__plan=plan).count() == 2  # one action has none
