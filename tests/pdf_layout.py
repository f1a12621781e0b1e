"""Reading generated PDFs the way a reader sees them: the text of each page, the fonts embedded,
where each word sits (poppler's `pdftotext -bbox`), and the pixels of a page (`pdftoppm`)."""

from __future__ import annotations

import html
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdf
from PIL import Image

# poppler-utils, from scripts/system-deps.sh; the tools get only our own file names.
PDFTOTEXT, PDFTOPPM = "/usr/bin/pdftotext", "/usr/bin/pdftoppm"


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def embedded_fonts(data: bytes) -> set[str]:
    """Base names of every font the pages use, without the subset prefix: {"DejaVu-Sans", ...}."""
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


@dataclass
class Word:
    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass
class PageBox:
    width: float
    height: float


def words(data: bytes) -> tuple[list[PageBox], list[Word]]:
    """Every word with its box in points, from the top left of its page (page numbers from 0)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(data)
        out = subprocess.run(  # noqa: S603 - our own file
            [PDFTOTEXT, "-bbox", str(source), "-"], capture_output=True, check=True, text=True
        ).stdout
    pages, found = [], []
    for number, (width, height, body) in enumerate(
        re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S)
    ):
        pages.append(PageBox(float(width), float(height)))
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body
        ):
            found.append(Word(number, html.unescape(text), float(x0), float(y0), float(x1), float(y1)))
    return pages, found


def page_image(data: bytes, page: int, *, dpi: int = 50) -> Image.Image:
    """One page (from 0) as a greyscale image."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(data)
        subprocess.run(  # noqa: S603 - our own file
            [
                PDFTOPPM,
                "-gray",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page + 1),
                "-l",
                str(page + 1),
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
        )
        (image,) = Path(folder).glob("page*.png")
        return Image.open(image).convert("L")


def vertical_rules(image: Image.Image, *, min_length: int, darker_than: int = 200) -> list[int]:
    """x positions of vertical lines at least `min_length` pixels long (table borders; text has none)."""
    width, height = image.size
    pixels = image.load()
    found = []
    for x in range(width):
        run = longest = 0
        for y in range(height):
            run = run + 1 if pixels[x, y] < darker_than else 0
            longest = max(longest, run)
        if longest >= min_length:
            found.append(x)
    # Neighbouring columns are one line drawn over two pixels.
    return [x for index, x in enumerate(found) if index == 0 or x - found[index - 1] > 1]
