"""What an evidence file may be, judged by its content (libmagic, the `file` command's database, through
python-magic), not by its name: the name's extension says what it claims to be, and the content must
be that. Word, Excel and OpenDocument files are zip packages, so their inside is checked too (the parts
a document of that kind has, no macros, no encryption, not a zip bomb); a CSV must be text.

`check_upload` returns a `CheckedFile` or raises `Invalid({"file": sentence})`: the sentence names the
file, what is wrong and what to do.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import NoReturn

import magic
from django.conf import settings

from csa_tracker.messages import a_or_an
from csa_tracker.refusals import Invalid

ZIP = "application/zip"
# A package whose parts unpack to more than this is refused (a zip bomb), as for spreadsheet imports.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
NAME_LENGTH = 150
# Characters that mean a path or are refused in Windows names, besides control characters.
PATH_CHARACTERS = set('/\\:*?"<>|')


@dataclass(frozen=True)
class FileType:
    label: str  # how a person calls it: "PDF", "Word document"
    content_type: str  # what the download says it is
    sniffed: frozenset[str]  # what libmagic may answer for its content
    parts: tuple[str, ...] = ()  # a zip package's parts that must be there
    odf_mimetype: str = ""  # an OpenDocument package's first part, "mimetype", holds this
    text: bool = False  # plain text in UTF-8 or Windows-1252 (CSV)


def _ooxml(label: str, content_type: str, main_part: str) -> FileType:
    return FileType(label, content_type, frozenset({content_type, ZIP}), parts=("[Content_Types].xml", main_part))


def _odf(label: str, content_type: str) -> FileType:
    return FileType(
        label, content_type, frozenset({content_type, ZIP}), parts=("content.xml",), odf_mimetype=content_type
    )


def _image(label: str, content_type: str) -> FileType:
    return FileType(label, content_type, frozenset({content_type}))


TYPES: dict[str, FileType] = {
    "pdf": FileType("PDF", "application/pdf", frozenset({"application/pdf"})),
    "docx": _ooxml(
        "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"
    ),
    "xlsx": _ooxml(
        "Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml"
    ),
    "odt": _odf("OpenDocument text", "application/vnd.oasis.opendocument.text"),
    "ods": _odf("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"),
    "csv": FileType("CSV file", "text/csv", frozenset({"text/csv", "text/plain"}), text=True),
    "png": _image("PNG picture", "image/png"),
    "jpg": _image("JPEG picture", "image/jpeg"),
    "jpeg": _image("JPEG picture", "image/jpeg"),
    "gif": _image("GIF picture", "image/gif"),
    "webp": _image("WebP picture", "image/webp"),
}
ACCEPTED = (
    "a PDF, a Word (.docx), Excel (.xlsx) or OpenDocument (.odt, .ods) file, a CSV, or a PNG, JPEG, GIF or WebP picture"
)
# What to do with the old or macro-enabled formats people are likely to have.
SAVE_AS = {
    "doc": "save it from Word as a .docx (or a PDF)",
    "docm": "save it from Word as a .docx without macros (or a PDF)",
    "xls": "save it from Excel as an .xlsx",
    "xlsm": "save it from Excel as an .xlsx without macros",
    "heic": "save or share the photo as a JPEG",
}
# libmagic's answers for what a file really is, in words (anything else: "another kind of file").
DESCRIBED = {found.content_type: found.label for found in TYPES.values()} | {
    ZIP: "a zip archive",
    "text/plain": "plain text",
    "text/html": "a web page",
    "image/svg+xml": "an SVG drawing",
    "application/x-dosexec": "a program",
    "application/msword": "an old Word document (.doc)",
    "application/vnd.ms-excel": "an old Excel workbook (.xls)",
    "application/x-empty": "nothing",
}


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: its safe name, type, bytes and their SHA-256."""

    name: str
    extension: str
    file_type: FileType
    content: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_bytes() -> int:
    return settings.CSA_EVIDENCE_MAX_MB * 1024 * 1024


def readable_size(size: int) -> str:
    """ "820 bytes", "14 KB", "2.3 MB"."""
    if size < 1024:
        return f"{size} byte{'s' if size != 1 else ''}"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _refuse(message: str) -> NoReturn:
    raise Invalid({"file": message})


def safe_name(raw: str) -> str:
    """The name as shown and downloaded: NFC, spaces collapsed, at most 150 characters (the extension
    kept). Raises Invalid for a name with path characters or control characters, or none."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        _refuse("Choose a file to attach: the file has no name.")
    if any(char in PATH_CHARACTERS or unicodedata.category(char).startswith("C") for char in name):
        _refuse(
            f'“{name}” has characters a file name cannot have (/ \\ : * ? " < > | or control characters): '
            "rename the file on your computer and attach it again."
        )
    name = " ".join(name.split())
    if name.strip(".") == "" or name.startswith("."):
        _refuse(f"“{name}” is not a file name we can keep: rename the file so it starts with a letter or digit.")
    if len(name) > NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        name = stem[: NAME_LENGTH - len(extension) - 2].rstrip() + "…" + dot + extension
    return name


def check_upload(raw_name: str, content: bytes) -> CheckedFile:
    """Check an uploaded file's name, size and content. Raises Invalid({"file": ...}) when it is empty, too
    large (`CSA_EVIDENCE_MAX_MB`), of a type not accepted, not what its name says, or damaged."""
    name = safe_name(raw_name)
    if not content:
        _refuse(f"“{name}” is empty (0 bytes): attach the file with its content.")
    limit = max_bytes()
    if len(content) > limit:
        _refuse(
            f"“{name}” is {readable_size(len(content))}; the limit is {readable_size(limit)}. "
            "Attach a smaller file, or split it."
        )
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    file_type = TYPES.get(extension)
    if file_type is None:
        advice = SAVE_AS.get(extension, f"attach {ACCEPTED}")
        _refuse(f"“{name}” is not a type of file we accept: {advice}.")
    sniffed = magic.from_buffer(content, mime=True)
    if sniffed not in file_type.sniffed:
        what = DESCRIBED.get(sniffed, f"another kind of file ({sniffed})")
        _refuse(
            f"“{name}” is named as {a_or_an(file_type.label)} but its content is {what}: "
            "attach the file itself, saved in the type its name says."
        )
    if file_type.parts:
        _check_package(name, content, file_type)
    if file_type.text:
        _check_text(name, content)
    return CheckedFile(name, extension, file_type, content, hashlib.sha256(content).hexdigest())


def _check_package(name: str, content: bytes, file_type: FileType) -> None:
    """A Word, Excel or OpenDocument file is a zip package: its parts must be those of that kind of
    document, with no macros, nothing encrypted, and a sensible unpacked size."""
    damaged = (
        f"“{name}” is damaged or is not {a_or_an(file_type.label)} inside: open it and save it again, then attach it."
    )
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        entries = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse(damaged)
    names = {entry.filename for entry in entries}
    if any(entry.flag_bits & 0x1 for entry in entries):
        _refuse(f"“{name}” is password-protected: save a copy without a password and attach that.")
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        _refuse(f"“{name}” unpacks to more than {readable_size(MAX_UNPACKED_BYTES)}: it cannot be a document we keep.")
    if any(part not in names for part in file_type.parts):
        _refuse(damaged)
    if any(entry.lower().endswith("vbaproject.bin") or entry.startswith("Basic/") for entry in names):
        _refuse(f"“{name}” contains macros: save a copy without macros (or as a PDF) and attach that.")
    if file_type.odf_mimetype:
        first = entries[0]
        try:
            declared = package.read(first).decode("ascii", "replace").strip() if first.filename == "mimetype" else ""
        except (zipfile.BadZipFile, OSError, RuntimeError):
            declared = ""
        if declared != file_type.odf_mimetype:
            _refuse(damaged)


def _check_text(name: str, content: bytes) -> None:
    """A CSV is text: no NUL bytes, and readable as UTF-8 (with or without a byte-order mark) or Windows-1252."""
    if b"\x00" in content:
        _refuse(f"“{name}” is not text, so it is not a CSV: save it from your spreadsheet as “CSV UTF-8”.")
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            content.decode("cp1252")
        except UnicodeDecodeError:
            _refuse(f"“{name}” is not text we can read: save it from your spreadsheet as “CSV UTF-8”.")
