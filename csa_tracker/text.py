"""Progress and narrative text: what the writer wrote, shown as written, as sanitised HTML or plain text.

Partners write prose, not Markdown. Only what they clearly mean as structure is structure:
- paragraphs are separated by a blank line; a single line break stays a line break;
- a list is lines starting with "- ", "* " or a pasted Word bullet ("•", "·", "▪", "§", or "o"
  followed by a tab), one item per line; a numbered list is lines starting "1. " or "1) " (one or
  two digits: "2017. A year of change" is a sentence) and keeps the writer's numbers;
- links are written [the words](https://…) (http, https and mailto only); a bare https://… address
  is a link too.
Nothing else is interpreted: "#KentSafe" keeps its '#', asterisks and underscores stay. Every
character is escaped, so typed HTML shows as text; nh3 then cleans the result as a second guard.
One parser serves the page, the review view, the HTML report and the PDF (they all use
`render_markdown` through the `markdown` template filter), plain text and diffs.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "li": {"value"}}
URL_SCHEMES = {"http", "https", "mailto"}

NOTE_REF = re.compile(r"\[\^(\d+)\]")
LINK = re.compile(r"\[([^\]\n]*)\]\(((?:https?://|mailto:)[^)\s]*)\)")
# "- " or "* ", and the bullets Word pastes: • · ▪ ● ◦ ‣ ⁃ and its symbol-font bullets (U+F0B7,
# U+F0A7 shown as "§", U+F0D8), each followed by a space or tab; "o" (Word's second level) by a tab.
_BULLETS = "-*\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043\u00a7\uf0b7\uf0a7\uf0d8"
BULLET = re.compile(rf"^[ \t]*(?:[{_BULLETS}][ \t]+|o\t[ \t]*)")
# Word's "o" followed by spaces is a bullet only among other bullets ("o" alone is rarely a word).
WORD_O = re.compile(r"^[ \t]*o[ \t]+")
BARE_URL = re.compile(r"https?://[^\s<>\"\[\]]+")
NUMBERED = re.compile(r"^[ \t]*(\d{1,2})[.)][ \t]+")
# Kept for callers that strip markers line by line.
LIST_ITEM = BULLET


@dataclass
class Block:
    kind: str  # "p", "ul" or "ol"
    lines: list[str] = field(default_factory=list)  # a paragraph's lines, or each item's text
    numbers: list[int] = field(default_factory=list)  # an ordered list's numbers, as written


def _item(line: str, previous: str) -> tuple[str, int | None, str]:
    """("ul" | "ol" | "p", number, text without the marker) for one line."""
    if match := BULLET.match(line):
        return "ul", None, line[match.end() :]
    if previous == "ul" and (match := WORD_O.match(line)):
        return "ul", None, line[match.end() :]
    if match := NUMBERED.match(line):
        return "ol", int(match[1]), line[match.end() :]
    return "p", None, line


def blocks(text: str) -> list[Block]:
    """The paragraphs and lists of a text, as the writer laid them out."""
    found: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", normalise_text(text or "")):
        current: Block | None = None
        for line in chunk.split("\n"):
            if not line.strip():
                continue
            kind, number, content = _item(line, current.kind if current else "")
            if kind == "p" and current is not None and current.kind != "p" and line[:1] in (" ", "\t"):
                current.lines[-1] += "\n" + line.strip()  # an indented line continues the item above
                continue
            if current is None or current.kind != kind:
                current = Block(kind)
                found.append(current)
            current.lines.append(content.strip() if kind != "p" else content.rstrip())
            if number is not None:
                current.numbers.append(number)
    return found


def _autolink(text: str) -> str:
    """Escaped text in which a bare web address is a link (without the punctuation that ends a sentence)."""
    out, position = [], 0
    for match in BARE_URL.finditer(text):
        url = match[0].rstrip(".,;:!?’”'\")")
        out.append(escape(text[position : match.start()]))
        out.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        position = match.start() + len(url)
    out.append(escape(text[position:]))
    return "".join(out)


def _inline(text: str) -> str:
    """Escaped text with [words](url) links, bare web addresses as links, and line breaks."""
    out, position = [], 0
    for match in LINK.finditer(text):
        out.append(_autolink(text[position : match.start()]))
        words = match[1].strip() or match[2]
        out.append(f'<a href="{escape(match[2])}">{escape(words)}</a>')
        position = match.end()
    out.append(_autolink(text[position:]))
    return "".join(out).replace("\n", "<br>\n")


def render_markdown(text: str, *, note_anchor: str = "") -> SafeString:
    """Sanitised HTML of `text` as written (see the module docstring for what is structure).
    With `note_anchor`, `[^N]` becomes a link to note N and back."""
    html = []
    for block in blocks(text):
        if block.kind == "p":
            html.append(f"<p>{_inline(chr(10).join(line.strip() for line in block.lines))}</p>")
        elif block.kind == "ul":
            html.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in block.lines) + "</ul>")
        else:
            items = zip(block.numbers, block.lines, strict=True)
            html.append("<ol>" + "".join(f'<li value="{n}">{_inline(item)}</li>' for n, item in items) + "</ol>")
    clean = nh3.clean(
        "\n".join(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
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


def _plain(text: str) -> str:
    return NOTE_REF.sub(r"\1", LINK.sub(lambda m: m[1].strip() or m[2], text))


def markdown_to_text(text: str) -> str:
    """Plain text for diffs, spreadsheets and search: links keep their words, bullets lose their
    marker (numbers stay: the writer wrote them), one line per paragraph line or item."""
    lines = []
    for index, block in enumerate(blocks(text)):
        if index:
            lines.append("")
        if block.kind == "ol":
            lines += [f"{n}. {_plain(item)}" for n, item in zip(block.numbers, block.lines, strict=True)]
        else:
            lines += [_plain(line) for line in block.lines]
    return "\n".join(lines)


def paragraphs(text: str) -> list[str]:
    """The blocks of a text as plain text: each paragraph (its lines joined by a space), and each
    list item on its own."""
    out = []
    for block in blocks(text):
        if block.kind == "p":
            out.append(" ".join(_plain(line).strip() for line in block.lines))
        else:
            out += [" ".join(_plain(item).split("\n")).strip() for item in block.lines]
    return out


# Characters that change how text displays or compares without being visible: bidirectional
# overrides and isolates (the "Trojan Source" set), zero-width characters and the BOM.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069],
    None,
)
# What a PDF pastes that is not the letters it shows: the Latin compatibility ligatures become their
# letters, and soft hyphens (U+00AD, a line-break hint, invisible unless the line breaks there) go, so
# "ﬁnancial" and "house\u00adholds" are searched and read as "financial" and "households". Deliberately
# not NFKC, which would also turn "²" into "2", "½" into "1⁄2" and "™" into "TM".
_PASTED = {
    0x00AD: None,
    **{0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st"},
}
# Spaces that look like a space: no-break, narrow no-break, thin, figure and the other Unicode spaces.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# C0 and C1 control characters other than tab and newline (C1 appears when Windows-1252 is read as Latin-1).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalise_text(value: str) -> str:
    """The one normalisation every typed or imported text goes through before it is stored.

    Line endings become "\\n" (browsers send CRLF), Unicode is composed (NFC), the ligatures ﬀ ﬁ ﬂ ﬃ ﬄ
    ﬅ ﬆ become their letters and soft hyphens go (`_PASTED`: what a PDF pastes), odd spaces become a
    space, and control, zero-width and bidirectional-override characters are removed. Other
    compatibility characters (², ½, ™) are kept: this is not NFKC. Tabs and newlines are kept.
    Idempotent: normalise_text(normalise_text(x)) == normalise_text(x).
    """
    if not value:
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", value.translate(_PASTED))
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


def shortened(text: str, length: int) -> str:
    """`text` on one line, cut to at most `length` characters with an ellipsis ("…", counted) when it is
    longer: what a message, an e-mail subject or a record's name shows of a long wording or title. One rule
    for every cut (issue 25: flash messages cut text with no sign it was cut)."""
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def is_whole(value: Decimal) -> bool:
    """Whether a number has nothing after its decimal point: Decimal("46036.00") is whole, Decimal("21.91") is
    not. The one rule for writing a stored figure without decimals, in a form's field (`typed_number`) and in
    a file (`indicators.selectors.plain_number`)."""
    return value == value.to_integral_value()


def typed_number(value: Decimal) -> str:
    """A stored number as a person writes it, without the zeros the database pads it with: Decimal("1234.00")
    → "1234", Decimal("12.50") → "12.5", Decimal("0.05") → "0.05"; no thousands separator, so a form shows
    what it reads back unchanged. The one rule for a stored figure in a form's field and an import's preview
    (a count is a whole number: never "3200.00")."""
    number = Decimal(value)
    text = format(number, "f")
    return text.partition(".")[0] if is_whole(number) else text.rstrip("0")
