"""How big a partnership's Word template may be once unpacked, checked before anything parses it.

A .docx is a zip of XML parts. Its size on disk says little: 80 KB can unpack to 30 MB of XML, and
python-docx holds every part as an lxml tree (about 80 times the XML's size for short elements), so one
such template cost every later .docx download 2.3 GB and 14 s. The template is therefore checked at
upload and again before a download uses it: the zip's declared sizes (which `zipfile` enforces while
reading: a part longer than it declares fails its check), then its XML parts streamed through a
parser that builds no tree and stops at the first element over the limit. A letterhead template
(styles, header, footer, a logo) is far inside every bound: Kent's has about 300 KB of XML.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from lxml import etree

# The file as uploaded, in bytes.
MAX_FILE_BYTES = 5 * 1024 * 1024
# Every part unpacked (pictures included), in bytes.
MAX_UNPACKED_BYTES = 25 * 1024 * 1024
# The XML parts (text, styles, layout) unpacked, in bytes.
MAX_XML_BYTES = 5 * 1024 * 1024
# Elements (paragraphs, runs, cells, style settings...) in all XML parts together.
MAX_ELEMENTS = 200_000
# Parts in the package.
MAX_PARTS = 1_000
_CHUNK = 64 * 1024

SAVE_AGAIN = "save it again from Word as “Word Document (*.docx)” and upload it again"
TOO_LARGE = (
    f"The template is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: remove large pictures from it, or {SAVE_AGAIN}."
)


class _TooMany(Exception):
    pass


class _HasDoctype(Exception):
    pass


class _ElementCounter:
    """An lxml parser target that counts start tags and keeps nothing; stops past `limit`."""

    def __init__(self, limit: int):
        self.count = 0
        self.limit = limit

    def start(self, tag, attrib, nsmap=None):
        self.count += 1
        if self.count > self.limit:
            raise _TooMany

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def doctype(self, *args):
        raise _HasDoctype  # Word never writes one; entity tricks need one

    def close(self):
        return self.count


def _megabytes(size: int) -> str:
    """ "30.4 MB", "5 MB": one decimal, none when it is 0."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def word_template_problem(data: bytes) -> str | None:
    """Why `data` cannot be a partnership's Word template, as a sentence for the person uploading it,
    or None when it is within every bound above (whether python-docx can open it is checked after)."""
    if len(data) > MAX_FILE_BYTES:
        return TOO_LARGE
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return f"This file is not a Word document (.docx) that we can read: {SAVE_AGAIN}."
    if len(parts) > MAX_PARTS:
        return f"The template is made of {len(parts):,} parts, more than a template has ({MAX_PARTS:,}): {SAVE_AGAIN}."
    xml_parts = [part for part in parts if part.filename.endswith((".xml", ".rels"))]
    xml = sum(part.file_size for part in xml_parts)
    too_much_text = (
        "The template holds {what}, more than a letterhead template needs ({limit}): it is built from the "
        f"template's styles, header and footer, so delete the body text and anything pasted in, then {SAVE_AGAIN}."
    )
    if xml > MAX_XML_BYTES:
        return too_much_text.format(what=f"{_megabytes(xml)} of text and layout", limit=_megabytes(MAX_XML_BYTES))
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        return (
            f"The template unpacks to {_megabytes(unpacked)}, more than the {_megabytes(MAX_UNPACKED_BYTES)} a "
            f"template may hold: remove large pictures and pasted documents from it, then {SAVE_AGAIN}."
        )
    counted = 0
    try:
        for part in xml_parts:
            counted += _elements(archive, part, MAX_ELEMENTS - counted)
    except _TooMany:
        return too_much_text.format(
            what=f"over {MAX_ELEMENTS:,} paragraphs, runs and other elements", limit=f"{MAX_ELEMENTS:,}"
        )
    except (_HasDoctype, etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, OSError, ValueError):
        return f"Part of this file is damaged or is not what a Word document holds: {SAVE_AGAIN}."
    return None


def _elements(archive: zipfile.ZipFile, part: zipfile.ZipInfo, limit: int) -> int:
    """Elements in one XML part, read in chunks; raises _TooMany past `limit`."""
    parser = etree.XMLParser(
        target=_ElementCounter(limit), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            parser.feed(chunk)
    return parser.close()
