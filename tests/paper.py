"""Reading a report on paper page by page (issue 27): what each page of a PDF holds once the repeated
parts are set aside, where each action's row starts and where its name is, field codes that leaked
into the text, fonts that are not embedded, and the tags. Used on WeasyPrint's PDF and on LibreOffice's
conversion of the .docx alike."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdf

# Text a page repeats or frames itself with: page numbers, a table header carried over, the name of an
# action or indicator that runs on ("… (continued)"), and captions. None of it is content on its own.
FURNITURE = [
    re.compile(r"Page \d+ of \d+"),
    re.compile(r"^.*\(continued\)$", re.M),
    re.compile(r"^Actions?\s+(Lead agency\s+)?Progress$", re.M),
    re.compile(r"^Indicator\s+Period\s+Figure(\s+Target)?$", re.M),
    re.compile(r"^Indicator\s+Latest\s+Compared\s+with\s+Change\s+Direction\s+of\s+travel$", re.M),
]
# A page holds real content when, furniture aside, it has at least this much text (about two lines of a
# paragraph), or a whole action's row starts on it. A page holding only a split row's "Lead: … Status: …"
# lines or one "Progress as published for …" sentence has neither.
REAL_CONTENT_CHARACTERS = 160
# What Word or LibreOffice show when a field's instruction leaks into the text, or a field has no result.
FIELD_TEXT = re.compile(
    r"TOC \\|\bPAGE\b|NUMPAGES|MERGEFORMAT|HYPERLINK|Update this field|Error! |F9 in Word|\{ ?[A-Z]+ .*\}"
)


def squash(text: str) -> str:
    """Whitespace-insensitive form (line breaks fall anywhere in a PDF's text)."""
    return re.sub(r"\s+", "", text.replace("\uf0b7", "").replace("\u00ad", ""))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def content_of(text: str) -> str:
    """A page's text without its furniture (FURNITURE), whitespace squashed."""
    for pattern in FURNITURE:
        text = pattern.sub("", text)
    return squash(text)


def pages_without_content(texts: list[str], actions: list[dict]) -> list[tuple[int, str]]:
    """(page number from 1, its text) of every page but the last that holds no real content: less than
    REAL_CONTENT_CHARACTERS of text besides its furniture, and none of `actions`' names (snapshot
    actions) whole."""
    names = [squash(action["wording"]) for action in actions]
    return [
        (number, text)
        for number, text in enumerate(texts[:-1], start=1)
        if len(content := content_of(text)) < REAL_CONTENT_CHARACTERS and not any(name in content for name in names)
    ]


@dataclass
class RowPlace:
    wording: str
    name_pages: tuple[int, int]  # the pages the action's name starts and ends on (from 1)
    start_page: int  # the page the row starts on: where the first of its cells' text is


def row_places(texts: list[str], actions: list[dict]) -> list[RowPlace]:
    """Where each of `actions` (snapshot actions, in report order) sits: the pages its name spans and
    the page its row starts on, the earlier of the name's page and the page its progress begins on.
    Names and progress are found in order, each after the one before, so repeated text ("No progress
    published yet.") is matched to its own row. Raises AssertionError naming an action not found."""
    # Without the furniture, a name or paragraph split over two pages reads on as one.
    squashed = [content_of(text) for text in texts]
    joined = "".join(squashed)
    starts, position = [], 0
    for text in squashed:
        starts.append(position)
        position += len(text)

    def page_at(offset: int) -> int:
        return max(number for number, start in enumerate(starts, start=1) if start <= offset)

    places, cursor = [], 0
    for action in actions:
        name = squash(action["wording"])
        # A name split by a page break may have its neighbour cell's text between its two parts: as much
        # of it as reads on is matched where it starts, and the rest after that.
        at = joined.find(name[:24], cursor)
        assert at >= 0, f"the action “{action['wording'][:60]}” is not in the document after the one before"
        matched = next((n for n, (a, b) in enumerate(zip(joined[at:], name, strict=False)) if a != b), len(name))
        rest = joined.find(name[matched:], at + matched) if matched < len(name) else at + matched
        assert rest >= 0, f"the end of the action “{action['wording'][:60]}” is not in the document"
        end = rest + len(name) - matched - 1
        first_line = (action["progress"] or "No progress published yet.").strip().splitlines()[0]
        first_line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", re.sub(r"^[-*•]\s+|^\d+\.\s+", "", first_line))
        opening = squash(first_line)[:40]
        # The progress may come before the name in the text (a name pushed to the next page) or after.
        progress_at = joined.find(opening, max(cursor, at - 4000))
        assert progress_at >= 0, f"the progress of “{action['wording'][:60]}” is not in the document"
        places.append(
            RowPlace(
                wording=action["wording"],
                name_pages=(page_at(at), page_at(end)),
                start_page=min(page_at(at), page_at(progress_at)),
            )
        )
        cursor = max(end, progress_at + len(opening))
    return places


def misplaced_names(texts: list[str], actions: list[dict]) -> list[str]:
    """The actions whose name is not wholly on the page their row starts on."""
    return [
        f"{place.wording[:70]}: row starts on page {place.start_page}, name on pages {place.name_pages}"
        for place in row_places(texts, actions)
        if place.name_pages != (place.start_page, place.start_page)
    ]


def field_text(texts: list[str]) -> list[tuple[int, str]]:
    """(page from 1, what matched) wherever a field's instruction or a placeholder shows."""
    return [
        (number, found.group(0)) for number, text in enumerate(texts, start=1) for found in FIELD_TEXT.finditer(text)
    ]


def fonts_not_embedded(data: bytes) -> set[str]:
    """Base names of fonts the pages use without embedding them (no FontFile, FontFile2 or FontFile3
    in the font's descriptor, or its descendant's for a composite font)."""
    missing = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font["/BaseFont"]))
    return missing


def is_tagged(data: bytes) -> bool:
    """A tagged PDF: marked content and a structure tree (what PDF/UA asks of WeasyPrint's output)."""
    root = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    return bool(root.get("/MarkInfo", {}).get("/Marked")) and "/StructTreeRoot" in root


def soffice() -> str:
    """LibreOffice's command; fails (never skips) when it is missing, saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, (
        "LibreOffice is not installed, so the Word report cannot be checked as readers' systems convert it: "
        "run scripts/system-deps.sh as root (it installs libreoffice-writer-nogui)."
    )
    return found


def libreoffice_pdf(docx: bytes, folder: Path) -> bytes:
    """The .docx converted to PDF by LibreOffice headless, as councils' systems convert it."""
    (folder / "report.docx").write_bytes(docx)
    subprocess.run(  # noqa: S603 - LibreOffice on our own file
        [
            soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(folder / "report.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (folder / "report.pdf").read_bytes()
