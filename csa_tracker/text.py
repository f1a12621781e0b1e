"""Progress and narrative text: a small Markdown subset rendered to sanitised HTML, or to plain text.

Partners type paragraphs, bullet lists (`- item`) and links (`[text](https://…)`). Whatever else
they type (raw HTML, script, javascript: links) is removed by nh3 after Markdown conversion, so
the result is safe to show anywhere: pages, e-mails and the PDF.
"""

import re

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
