"""Word documents for the plan import's tests, built here with python-docx (never with the app's own
writer, so a fault shared by writer and reader cannot hide).

The Kent document: the Kent Community Safety Agreement 2017/18 (tests/data/kent_csa_2017_18_seed.txt
is its text as a PDF gives it: the two columns of each actions table interleaved line by line and the
links gathered at the end) as its Word original was laid out, with the words of the transcription in
fixtures/kent_2017_18.toml, which tests/demo/test_seed_fixture.py proves is the seed word for word in both
directions: "Priority: …" headings, a "Context" line, context paragraphs with superscript note numbers,
"Notes:" with "1) …" lines, and an "Actions | Progress" table whose progress keeps its bullets and links.

Bad files are made from their signatures: an OLE2 header (an old .doc, or with an "EncryptedPackage"
stream name, a password-protected document), "%PDF-1.4", a picture-only document, one without headings,
one over the size limit, a zip bomb.
"""

from __future__ import annotations

import os
import re
import struct
import tomllib
import zipfile
import zlib
from io import BytesIO

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell

from tests.paths import ROOT

KENT_FIXTURE = ROOT / "fixtures" / "kent_2017_18.toml"


def png() -> bytes:
    """A 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


PIECE = re.compile(r"\[([^\]\n]*)\]\((https?://[^)\s]+)\)|\[\^(\d+)\]")


def kent() -> dict:
    with KENT_FIXTURE.open("rb") as found:
        return tomllib.load(found)


def to_bytes(document) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def link(paragraph, words: str, url: str) -> None:
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = words
    text.set(qn("xml:space"), "preserve")
    run.append(text)
    element.append(run)
    paragraph._p.append(element)


def words(paragraph, text: str) -> None:
    """Text with [words](url) links and [^N] superscript note numbers, as Word holds them."""
    position = 0
    for match in PIECE.finditer(text):
        paragraph.add_run(text[position : match.start()])
        if match[3]:
            paragraph.add_run(match[3]).font.superscript = True
        else:
            link(paragraph, match[1], match[2])
        position = match.end()
    paragraph.add_run(text[position:])


def prose(container, text: str) -> None:
    """Paragraphs (blank-line separated) and "- " bullet lines as Word paragraphs in `container` (a new
    table cell's own empty paragraph is used first)."""
    first = container.paragraphs[0] if isinstance(container, _Cell) else None
    for block in text.strip().split("\n\n"):
        for line in block.split("\n") if block.startswith("- ") else [block]:
            is_bullet = line.startswith("- ")
            paragraph = first if first is not None else container.add_paragraph()
            first = None
            if is_bullet:
                paragraph.style = "List Bullet"
            words(paragraph, line[2:] if is_bullet else line)


def kent_docx(*, leads: str = "none", plan: dict | None = None) -> bytes:
    """The Kent document. `leads`: "none" (as Kent's own, "Actions | Progress", no lead agencies),
    "column" ("Action | Agency | Progress", the transcription's leads) or "lines" ("Actions |
    Progress" with "Lead: …" under each wording)."""
    plan = plan or kent()
    document = Document()
    section = document.sections[0]
    section.header.paragraphs[
        0
    ].text = "Appendix:  Kent Community Safety Agreement (CSA) - Action Plan & Performance Summary"
    section.footer.paragraphs[0].text = "Page 1 of 10"
    document.add_paragraph(plan["plan"]["title"], style="Title")
    document.add_paragraph("Introduction", style="Heading 1")
    prose(document, plan["plan"]["introduction"])
    for priority in plan["priorities"]:
        document.add_paragraph(f"Priority: {priority['title']}", style="Heading 1")
        document.add_paragraph().add_run("Context").bold = True
        prose(document, priority["context"])
        if priority.get("notes"):
            document.add_paragraph("Notes:")
            for note in priority["notes"]:
                document.add_paragraph(f"{note['number']}) {note['text']}")
        headers = ["Action", "Agency", "Progress"] if leads == "column" else ["Actions", "Progress"]
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.paragraphs[0].add_run(header).bold = True
        for action in priority["actions"]:
            cells = table.add_row().cells
            cells[0].paragraphs[0].add_run(action["wording"])
            if leads == "lines":
                cells[0].add_paragraph(f"Lead: {', '.join(action['leads'])}")
            if leads == "column":
                cells[1].paragraphs[0].add_run(action["leads"][0])
                for name in action["leads"][1:]:
                    cells[1].add_paragraph(name)
            prose(cells[-1], action["progress"])
    return to_bytes(document)


def simple_docx(build) -> bytes:
    """A document made by `build(document)`."""
    document = Document()
    build(document)
    return to_bytes(document)


def ole2(*, encrypted: bool) -> bytes:
    """An OLE2 compound file's header and a directory entry's name: an old .doc ("WordDocument"), or
    Office's encrypted container ("EncryptedPackage")."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(24) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    name = "EncryptedPackage" if encrypted else "WordDocument"
    return header + bytes(512 - len(header)) + name.encode("utf-16-le") + bytes(1024)


def picture_only() -> bytes:
    def build(document):
        document.add_picture(BytesIO(png()))

    return simple_docx(build)


def no_headings() -> bytes:
    def build(document):
        document.add_paragraph("Kent Community Safety Agreement 2017/18")
        document.add_paragraph("Domestic Abuse")
        document.add_paragraph("The cost of domestic abuse in Kent is estimated to be over £170 million per year.")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Actions", "Progress"
        table.cell(1, 0).text, table.cell(1, 1).text = "Support the strategy", "Ongoing."

    return simple_docx(build)


def over_limit(limit: int) -> bytes:
    """A real document made just over `limit` bytes by an incompressible part."""
    document = Document()
    document.add_heading("Priority: Road Safety", 1)
    return with_part(to_bytes(document), "word/media/noise.bin", os.urandom(limit), compress=False)


def with_part(data: bytes, name: str, content: bytes, *, compress: bool = True) -> bytes:
    """A copy of the .docx `data` with the part `name` replaced (or added)."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as archive:
        for entry in source.infolist():
            if entry.filename != name:
                archive.writestr(entry, source.read(entry.filename))
        archive.writestr(name, content)
    return out.getvalue()
