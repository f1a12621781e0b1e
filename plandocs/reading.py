"""Reading an uploaded Word document (.docx) into the plain blocks a plan is recognised in
(`plandocs.recognise`), refusing anything unsafe or unreadable with a sentence that says what the
importer needs.

The work is bounded before anything is parsed, cheapest check first: the file's size; what its first
bytes say it is (an old .doc and a password-protected document are both OLE2 containers, told apart by
the "EncryptedPackage" stream Office writes into the second; a PDF starts "%PDF"); then, from the zip's
directory alone, the number of parts, the sum of their unpacked sizes and each XML part's size (a zip
bomb, or 30 MB of XML, is refused here without being inflated); then each XML part is inflated (at most
`MAX_XML_BYTES`), its elements counted and any DTD refused. Only then does python-docx open it.

The body is walked once, in order: paragraphs (their style's heading level, Word list numbering, text
with links, line breaks and note references) and tables (rows of cells, merged cells kept as spans and
continuations). Headers, footers and comments are not read; a contents page is marked, not read as
text. Footnotes and endnotes are read from their parts. Nothing here touches the database.

Text follows the conventions of `csa_tracker.text`: paragraphs separated by a blank line, a line break
as a newline, list items as "- " or "N. " lines, links as [words](https://…). Note references are left
as markers (`⟦fn:ID⟧`, `⟦en:ID⟧`, `⟦sup:N⟧` for a superscript number) for the recogniser to number.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap, qn
from lxml import etree

from csa_tracker.text import BULLET, NUMBERED, normalise_text

MAX_BYTES = 10 * 1024 * 1024
# Pictures may make a document large; the XML that holds its text never needs to be.
MAX_UNPACKED = 60 * 1024 * 1024
MAX_XML_BYTES = 8 * 1024 * 1024  # any one XML part (Kent's plan: about 0.3 MB)
MAX_ELEMENTS = 500_000  # in all XML parts together (Kent's plan: about 15,000)
MAX_PARTS = 2_000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Office's encryption puts the real document in a stream of this name (MS-OFFCRYPTO 2.3.4.4); the OLE2
# directory stores names as UTF-16LE.
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
WORD_BODY = "word/document.xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

WHAT_WE_READ = (
    "The importer reads a Word document (.docx) in which each priority's title is a heading (one of Word's "
    "Heading styles), followed by its context, numbered notes and a table of its actions."
)
SAVE_AGAIN = "Open it in Word, choose File → Save As → “Word Document (.docx)”, and upload that file."

W = f"{{{nsmap['w']}}}"
R_ID = qn("r:id")
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
SUPERSCRIPT_NUMBERS = re.compile(r"^\s*\d{1,2}(?:\s*,\s*\d{1,2})*\s*$")
WEB_LINK = re.compile(r"^(?:https?://|mailto:)\S+$")
FIELD_URL = re.compile(r'HYPERLINK\s+"([^"]+)"')
SKIPPED_NOTES = {"separator", "continuationSeparator", "continuationNotice"}


class DocumentRefused(Exception):
    """The whole file is refused; the message says why and what to upload instead."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def too_large(size: int) -> str:
    """The refusal of a file over MAX_BYTES (the upload form says it before the file is read)."""
    return (
        f"The file is {_megabytes(size)}; the importer reads Word documents up to {_megabytes(MAX_BYTES)}. "
        "Pictures make a document large: save a copy without them (only the text is read) and upload that."
    )


def check_file(data: bytes) -> zipfile.ZipFile:
    """The upload as an open zip, once it has passed every check that needs no parsing.
    Raises DocumentRefused naming what the file is and what to do."""
    if len(data) > MAX_BYTES:
        raise DocumentRefused(too_large(len(data)))
    if not data.strip():
        raise DocumentRefused(f"The file is empty. {WHAT_WE_READ}")
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTED_STREAM in data:
            raise DocumentRefused(
                "This document is protected with a password, so it cannot be read. Open it in Word, remove the "
                "password (File → Info → Protect Document → Encrypt with Password, then clear the box), save it "
                "and upload it again."
            )
        raise DocumentRefused(f"This is an old Word document (.doc), which the importer cannot read. {SAVE_AGAIN}")
    if data.lstrip()[:5] == b"%PDF-":
        raise DocumentRefused(
            "This is a PDF. A PDF keeps the look of a page, not its headings and tables: upload the Word document "
            "(.docx) the PDF was made from."
        )
    if data.startswith(b"{\\rtf"):
        raise DocumentRefused(f"This is a Rich Text (.rtf) file. {SAVE_AGAIN}")
    if not data.startswith(ZIP_MAGIC):
        raise DocumentRefused(f"This is not a Word document. {WHAT_WE_READ}")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentRefused(f"The file cannot be opened: it may be damaged. {SAVE_AGAIN}") from exc
    names = {entry.filename for entry in entries}
    if WORD_BODY not in names:
        other = {"xl/workbook.xml": "an Excel workbook", "ppt/presentation.xml": "a PowerPoint presentation"}
        what = next((label for part, label in other.items() if part in names), "not a Word document")
        raise DocumentRefused(f"This is {what}. {WHAT_WE_READ}")
    if len(entries) > MAX_PARTS:
        raise DocumentRefused(f"The document has {len(entries):,} parts, more than any plan needs: it may be damaged.")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED:
        raise DocumentRefused(
            f"The document unpacks to {_megabytes(unpacked)}, more than the importer reads "
            f"({_megabytes(MAX_UNPACKED)}). Save a copy without pictures and upload that."
        )
    _check_xml(archive, entries)
    return archive


def _check_xml(archive: zipfile.ZipFile, entries) -> None:
    """Each XML part at most MAX_XML_BYTES (from the directory, before inflating), all of them together
    at most MAX_ELEMENTS elements, and no DTD (entity expansion)."""
    xml_parts = [entry for entry in entries if entry.filename.endswith((".xml", ".rels"))]
    too_large = next((entry for entry in xml_parts if entry.file_size > MAX_XML_BYTES), None)
    if too_large is not None:
        raise DocumentRefused(
            f"The document holds {_megabytes(too_large.file_size)} of Word text markup in one part, more than a "
            f"plan needs (the importer reads up to {_megabytes(MAX_XML_BYTES)}). It may be damaged: {SAVE_AGAIN}"
        )
    elements = 0
    for entry in xml_parts:
        try:
            with archive.open(entry) as part:
                content = part.read(MAX_XML_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise DocumentRefused(f"The file cannot be opened: it may be damaged. {SAVE_AGAIN}") from exc
        if len(content) > MAX_XML_BYTES:
            raise DocumentRefused(f"The document is larger inside than it says: it may be damaged. {SAVE_AGAIN}")
        if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
            raise DocumentRefused(f"The document holds markup Word never writes: it may be damaged. {SAVE_AGAIN}")
        elements += content.count(b"<")
        if elements > MAX_ELEMENTS:
            raise DocumentRefused(
                f"The document has more than {MAX_ELEMENTS:,} pieces of markup, far more than a plan needs: "
                f"it may be damaged. {SAVE_AGAIN}"
            )


def read_document(data: bytes) -> dict:
    """The document as JSON-ready data: {"title", "blocks", "notes", "pictures"}.

    Each block is a paragraph {"kind": "p", "text", "level" (heading level 1–9, 0 for Title, None for
    body text), "list" ("ul", "ol" or None), "toc"} or a table {"kind": "table", "rows": [[{"text",
    "span", "continues"}]], "header_rows"}. `notes` maps "fn:ID"/"en:ID" to a footnote's or endnote's
    text. Raises DocumentRefused.
    """
    check_file(data)
    try:
        document = Document(BytesIO(data))
    except ValueError as exc:  # python-docx: not a .docx (a template, a macro-enabled document)
        raise DocumentRefused(f"This is not a plain Word document. {SAVE_AGAIN}") from exc
    except Exception as exc:  # noqa: BLE001 - a damaged package can fail anywhere in python-docx
        raise DocumentRefused(f"The file cannot be opened: it may be damaged. {SAVE_AGAIN}") from exc
    if document.part.content_type != DOCX_MAIN:
        raise DocumentRefused(f"This is not a plain Word document. {SAVE_AGAIN}")
    reader = _Reader(document)
    blocks = reader.body(document.element.body)
    title = next((block["text"] for block in blocks if block.get("level") == 0 and block["text"]), "")
    return {
        "title": title or (document.core_properties.title or "").strip(),
        "blocks": blocks,
        "notes": reader.notes(),
        "pictures": reader.pictures,
    }


class _Reader:
    """Walks a python-docx document's XML: styles, numbering and links are looked up once."""

    def __init__(self, document):
        self.document = document
        self.part = document.part
        self.styles = _styles(document)
        self.numbering = _numbering(document)
        self.counters: dict[tuple[str, int], int] = {}
        self.pictures = 0
        # Complex fields open at this point of the walk (they may span paragraphs): {"code", "url", "result"}.
        self.fields: list[dict] = []

    # Blocks -----------------------------------------------------------------------------------------

    def body(self, container, *, toc: bool = False) -> list[dict]:
        blocks = []
        for child in container:
            if child.tag == W + "p":
                paragraph = self.paragraph(child, toc=toc)
                if paragraph is not None:
                    blocks.append(paragraph)
            elif child.tag == W + "tbl":
                blocks.append(self.table(child))
            elif child.tag == W + "sdt":
                gallery = child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
                is_toc = gallery is not None and "content" in (gallery.get(W + "val") or "").lower()
                content = child.find(W + "sdtContent")
                if content is not None:
                    blocks += self.body(content, toc=toc or is_toc)
            elif child.tag == W + "customXml":
                blocks += self.body(child, toc=toc)
        return blocks

    def paragraph(self, element, *, toc: bool = False) -> dict | None:
        properties = element.find(W + "pPr")
        style_id = _val(properties, "pStyle") if properties is not None else None
        style = self.styles.get(style_id or "", {})
        level = _outline_level(properties)
        if level is None:
            level = style.get("level")
        in_contents = self._in_contents()  # a contents field that began in an earlier paragraph
        text = self.inline(element)
        toc = toc or in_contents or self._in_contents() or style.get("name", "").lower().startswith("toc")
        text = normalise_text(text).strip()
        if not text:
            return None
        kind = None
        if level is None and not toc:
            kind, text = self.list_item(properties, style, text)
        return {"kind": "p", "text": text, "level": level, "list": kind, "toc": toc}

    def _in_contents(self) -> bool:
        return any(field["code"].lstrip().upper().startswith("TOC") for field in self.fields)

    def list_item(self, properties, style: dict, text: str) -> tuple[str | None, str]:
        """("ul" or "ol", the text with its marker) for a Word list paragraph or a typed bullet."""
        numbering = properties.find(W + "numPr") if properties is not None else None
        num_id = _val(numbering, "numId") if numbering is not None else None
        level = int(_val(numbering, "ilvl") or 0) if numbering is not None else 0
        if num_id is None and style.get("num_id"):
            num_id, level = style["num_id"], style.get("ilvl", 0)
        if num_id and num_id != "0":
            fmt, start = self.numbering.get((num_id, level), ("bullet", 1))
            if fmt in ("bullet", "none"):
                return "ul", f"- {text}"
            for other, deeper in list(self.counters):
                if other == num_id and deeper > level:
                    del self.counters[(other, deeper)]  # a deeper list restarts under each item
            number = self.counters.get((num_id, level), start - 1) + 1
            self.counters[(num_id, level)] = number
            return "ol", f"{number}. {text}"
        if match := BULLET.match(text):
            return "ul", f"- {text[match.end() :].strip()}"
        if NUMBERED.match(text):
            return "ol", text
        return None, text

    def table(self, element) -> dict:
        rows, header_rows = [], 0
        for row in element.findall(W + "tr"):
            properties = row.find(W + "trPr")
            if properties is not None and properties.find(W + "tblHeader") is not None and len(rows) == header_rows:
                header_rows += 1
            cells = []
            for cell in row.findall(W + "tc"):
                cell_properties = cell.find(W + "tcPr")
                span = int(_val(cell_properties, "gridSpan") or 1) if cell_properties is not None else 1
                merge = cell_properties.find(W + "vMerge") if cell_properties is not None else None
                continues = merge is not None and (merge.get(W + "val") or "continue") == "continue"
                cells.append({"text": self.cell_text(cell), "span": max(span, 1), "continues": continues})
            rows.append(cells)
        return {"kind": "table", "rows": rows, "header_rows": header_rows or 1}

    def cell_text(self, cell) -> str:
        """A cell's paragraphs (and any table inside it) as one text."""
        parts = []
        for block in self.body(cell):
            if block["kind"] == "p":
                parts.append(block)
            else:
                parts += [{"text": c["text"], "list": None} for row in block["rows"] for c in row if c["text"]]
        return join_paragraphs(parts)

    # Inline text ------------------------------------------------------------------------------------

    def inline(self, element) -> str:
        out: list[str] = []
        self._walk(element, out)
        return "".join(out)

    def _walk(self, element, out: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag == W + "r":
                self._run(child, out)
            elif tag == W + "hyperlink":
                words = self.inline(child)
                out.append(_link(words, self._target(child.get(R_ID))))
            elif tag == W + "fldSimple":
                words = self.inline(child)
                match = FIELD_URL.search(child.get(W + "instr") or "")
                out.append(_link(words, match[1] if match else None))
            elif tag in (W + "ins", W + "moveTo", W + "smartTag", W + "customXml", W + "sdt", W + "sdtContent"):
                self._walk(child, out)
            # w:del, w:moveFrom (deleted text), w:pPr, bookmarks, comments, proofing marks: nothing to read

    def _run(self, run, out: list[str]) -> None:
        properties = run.find(W + "rPr")
        superscript = properties is not None and _val(properties, "vertAlign") == "superscript"
        for child in run:
            tag = child.tag
            if tag == W + "fldChar":
                self._field_char(child.get(W + "fldCharType"), out)
            elif tag == W + "instrText":
                if self.fields and self.fields[-1]["result"] is None:
                    self.fields[-1]["code"] += child.text or ""
            elif self.fields and self.fields[-1]["result"] is None:
                continue  # inside a field's code
            elif tag == W + "t":
                text = child.text or ""
                if superscript and SUPERSCRIPT_NUMBERS.match(text):
                    text = "".join(f"⟦sup:{int(n)}⟧" for n in re.findall(r"\d+", text))
                self._emit(text, out)
            elif tag == W + "tab":
                self._emit("\t", out)
            elif tag in (W + "br", W + "cr"):
                if (child.get(W + "type") or "textWrapping") == "textWrapping":
                    self._emit("\n", out)
            elif tag == W + "noBreakHyphen":
                self._emit("-", out)
            elif tag == W + "footnoteReference":
                self._emit(f"⟦fn:{child.get(W + 'id')}⟧", out)
            elif tag == W + "endnoteReference":
                self._emit(f"⟦en:{child.get(W + 'id')}⟧", out)
            elif tag in (W + "drawing", W + "pict", W + "object") or tag.endswith("}AlternateContent"):
                self.pictures += 1

    def _emit(self, text: str, out: list[str]) -> None:
        """Text goes to the innermost HYPERLINK field being read (it becomes a link), else to `out`; the
        results of other fields (a contents page, page numbers) are text like any other."""
        linking = next((f for f in reversed(self.fields) if f["result"] is not None and f["url"]), None)
        if linking is not None:
            linking["result"].append(text)
        else:
            out.append(text)

    def _field_char(self, kind: str | None, out: list[str]) -> None:
        if kind == "begin":
            self.fields.append({"code": "", "result": None, "url": None})
        elif kind == "separate" and self.fields:
            field = self.fields[-1]
            match = FIELD_URL.search(field["code"])
            field["url"], field["result"] = (match[1] if match else None), []
        elif kind == "end" and self.fields:
            field = self.fields.pop()
            if field["url"]:
                self._emit(_link("".join(field["result"]), field["url"]), out)

    def _target(self, relationship_id: str | None) -> str | None:
        relationship = self.part.rels.get(relationship_id) if relationship_id else None
        return relationship.target_ref if relationship is not None and relationship.is_external else None

    # Notes ------------------------------------------------------------------------------------------

    def notes(self) -> dict[str, str]:
        """Footnotes ("fn:ID") and endnotes ("en:ID") by id, as text."""
        found = {}
        for prefix, relationship_type, tag in (("fn", RT.FOOTNOTES, "footnote"), ("en", RT.ENDNOTES, "endnote")):
            part = next((r.target_part for r in self.part.rels.values() if r.reltype == relationship_type), None)
            if part is None:
                continue
            root = getattr(part, "element", None)
            if root is None:
                try:
                    root = etree.fromstring(part.blob, parser=SAFE_XML)  # noqa: S320 - entities off, size checked
                except etree.XMLSyntaxError:
                    continue
            saved_part, self.part = self.part, part
            for note in root.findall(W + tag):
                if note.get(W + "type") in SKIPPED_NOTES:
                    continue
                text = join_paragraphs([b for b in self.body(note) if b["kind"] == "p"])
                found[f"{prefix}:{note.get(W + 'id')}"] = text
            self.part = saved_part
        return found


def join_paragraphs(paragraphs: list[dict]) -> str:
    """Paragraphs as one text: list items one a line, other paragraphs separated by a blank line."""
    out = ""
    previous_list = False
    for paragraph in paragraphs:
        is_list = bool(paragraph.get("list"))
        if out:
            out += "\n" if is_list and previous_list else "\n\n"
        out += paragraph["text"]
        previous_list = is_list
    return out


def _link(words: str, url: str | None) -> str:
    """[words](url) for a web link (a bare address when the words are the address), else the words."""
    if not url or not WEB_LINK.match(url) or ")" in url:
        return words
    if not words.strip() or words.strip() == url:
        return url
    return f"[{words.strip()}]({url})"


def _val(parent, name: str) -> str | None:
    found = parent.find(W + name) if parent is not None else None
    return found.get(W + "val") if found is not None else None


def _outline_level(properties) -> int | None:
    """Heading level 1–9 from a paragraph's (or style's) outline level; 9 is body text."""
    value = _val(properties, "outlineLvl")
    if value is None or not value.isdigit() or int(value) > 8:
        return None
    return int(value) + 1


def _styles(document) -> dict[str, dict]:
    """Paragraph styles by id: {"name", "level" (Title 0, headings 1–9), "num_id", "ilvl"}, following
    each style's base styles for what it does not set itself."""
    raw = {}
    for style in document.styles.element.findall(W + "style"):
        if style.get(W + "type") != "paragraph":
            continue
        properties = style.find(W + "pPr")
        numbering = properties.find(W + "numPr") if properties is not None else None
        raw[style.get(W + "styleId")] = {
            "name": _val(style, "name") or "",
            "based_on": _val(style, "basedOn"),
            "outline": _outline_level(properties),
            "num_id": _val(numbering, "numId") if numbering is not None else None,
            "ilvl": int(_val(numbering, "ilvl") or 0) if numbering is not None else 0,
        }
    resolved = {}
    for style_id, style in raw.items():
        level, num_id, ilvl, current, seen = None, None, 0, style, set()
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            name = current["name"].strip()
            if level is None:
                heading = HEADING_STYLE.match(name)
                level = 0 if name.lower() == "title" else int(heading[1]) if heading else current["outline"]
            if num_id is None and current["num_id"]:
                num_id, ilvl = current["num_id"], current["ilvl"]
            current = raw.get(current["based_on"])
        resolved[style_id] = {"name": style["name"], "level": level, "num_id": num_id, "ilvl": ilvl}
    return resolved


def _numbering(document) -> dict[tuple[str, int], tuple[str, int]]:
    """(numId, level) → (number format, start) from the numbering part: "bullet", "decimal", ..."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {}
    for definition in root.findall(W + "abstractNum"):
        levels = {}
        for level in definition.findall(W + "lvl"):
            start = _val(level, "start")
            levels[int(level.get(W + "ilvl") or 0)] = (
                _val(level, "numFmt") or "decimal",
                int(start) if start and start.isdigit() else 1,
            )
        abstract[definition.get(W + "abstractNumId")] = levels
    found = {}
    for number in root.findall(W + "num"):
        for level, value in abstract.get(_val(number, "abstractNumId"), {}).items():
            found[(number.get(W + "numId"), level)] = value
    return found
