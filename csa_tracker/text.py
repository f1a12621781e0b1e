"""Progress and narrative text: a small Markdown subset rendered to sanitised HTML, or to plain text.

Partners type paragraphs, bullet lists (`- item`) and links (`[text](https://…)`). Whatever else
they type (raw HTML, script, javascript: links) is removed by nh3 after Markdown conversion, so
the result is safe to show anywhere: pages, e-mails and the PDF.
"""

import re
import unicodedata

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "strong", "em", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

NOTE_REF = re.compile(r"\[\^(\d+)\]")
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
LIST_ITEM = re.compile(r"^\s*[-*]\s+")


def _separate_lists(text: str) -> str:
    """Python-Markdown needs a blank line before a list; people often don't type one."""
    lines, out = text.replace("\r\n", "\n").split("\n"), []
    for line in lines:
        if LIST_ITEM.match(line) and out and out[-1].strip() and not LIST_ITEM.match(out[-1]):
            out.append("")
        out.append(line)
    return "\n".join(out)


def render_markdown(text: str, *, note_anchor: str = "") -> SafeString:
    """Sanitised HTML. With `note_anchor`, `[^N]` becomes a link to note N and back."""
    html = markdown.markdown(_separate_lists(text or ""), output_format="html")
    clean = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer"
    )
    if note_anchor:
        anchor = escape(note_anchor)
        clean = NOTE_REF.sub(
            lambda m: (
                f'<sup><a href="#{anchor}-note-{m[1]}" id="{anchor}-ref-{m[1]}" '
                f'aria-label="Note {m[1]}">{m[1]}</a></sup>'
            ),
            clean,
        )
    return mark_safe(clean)  # noqa: S308 - nh3 output; the note links are built from digits and an escaped anchor


def markdown_to_text(text: str) -> str:
    """Plain text for diffs, spreadsheets and search: links keep their words, bullets lose their marker."""
    text = LINK.sub(r"\1", text or "")
    text = NOTE_REF.sub(r"\1", text)
    return "\n".join(LIST_ITEM.sub("", line) for line in text.replace("\r\n", "\n").split("\n"))


def paragraphs(text: str) -> list[str]:
    """The blocks of a Markdown text as plain text: each paragraph, and each bullet on its own."""
    blocks: list[list[str]] = []
    for chunk in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")):
        current: list[str] = []
        for line in chunk.split("\n"):
            if LIST_ITEM.match(line) and current:
                blocks.append(current)
                current = []
            if line.strip():
                current.append(line)
        if current:
            blocks.append(current)
    return [" ".join(markdown_to_text(line).strip() for line in block) for block in blocks]


# Characters that change how text displays or compares without being visible: bidirectional
# overrides and isolates (the "Trojan Source" set), zero-width characters and the BOM.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069],
    None,
)
# Spaces that look like a space: no-break, narrow no-break, thin, figure and the other Unicode spaces.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# C0 and C1 control characters other than tab and newline (C1 appears when Windows-1252 is read as Latin-1).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalise_text(value: str) -> str:
    """The one normalisation every typed or imported text goes through before it is stored.

    Line endings become "\\n" (browsers send CRLF), Unicode is composed (NFC), odd spaces become a
    space, and control, zero-width and bidirectional-override characters are removed. Tabs and
    newlines are kept. Idempotent: normalise_text(normalise_text(x)) == normalise_text(x).
    """
    if not value:
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", value)
    value = _ODD_SPACES.sub(" ", value.translate(_INVISIBLE))
    return _CONTROL.sub("", value)


_APOSTROPHES = re.compile(r"[\u2018\u2019\u201b\u02bc\u2032`´]")
_QUOTES = re.compile(r"[\u201c\u201d\u201e\u2033]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


def name_key(value: str) -> str:
    """What two names must share to be the same name: case, apostrophe and quote style, dash style
    and runs of spaces are ignored ("St Mary’s  Ward" matches "st mary's ward")."""
    value = normalise_text(value or "")
    value = _APOSTROPHES.sub("'", value)
    value = _QUOTES.sub('"', value)
    value = _DASHES.sub("-", value)
    return " ".join(value.split()).casefold()
