"""What a plan document says, from the blocks `plandocs.reading` read: its priorities (headings at the
level the person chooses), each priority's context narrative, numbered notes with their sources, and
its actions (the rows of tables whose columns the person names), with lead agencies and progress as
the document words them. Names are not matched to the partnership's organisations here
(`plandocs.drafts` does that); nothing here touches the database.

The shapes read are Kent's ("Priority: Domestic Abuse" headings, a "Context" label, "Notes:" with
"1) …" lines, an "Actions | Progress" table) and the usual variations: numbered headings ("1. Road
Safety", "Priority 2: …"), notes as a numbered list, as footnotes or as endnotes, an "Action | Agency |
Progress" table, merged cells, a contents page; and the editable plan this app exports
(`plandocs.writing`), which reads back unchanged: "Lead:", "Supporting:", "Status:" lines under an
action's wording, and "Source:", "Publisher:", "Published:", "Link:" lines under a note.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from csa_tracker.text import NOTE_REF, name_key, normalise_text

from .reading import WHAT_WE_READ, DocumentRefused, join_paragraphs

# Column roles of an actions table.
ACTION, LEAD, SUPPORTERS, PROGRESS, STATUS, DUE, IGNORE = (
    "action",
    "lead",
    "supporters",
    "progress",
    "status",
    "due",
    "ignore",
)
ROLES = [
    (ACTION, "The action's wording"),
    (LEAD, "Lead agencies"),
    (SUPPORTERS, "Supporting organisations"),
    (PROGRESS, "Progress"),
    (STATUS, "Status"),
    (DUE, "Due date"),
    (IGNORE, "Leave this column out"),
]
ROLE_GUESSES = [  # first match wins, on the header's words
    (PROGRESS, re.compile(r"progress|update|commentary|comments?\b|position")),
    (SUPPORTERS, re.compile(r"support|partners\b")),
    (LEAD, re.compile(r"lead|agenc|owner|responsib|organisation|who\b")),
    (STATUS, re.compile(r"status|\brag\b|rating")),
    (DUE, re.compile(r"\bdue\b|deadline|by when|timescale|target date")),
    (ACTION, re.compile(r"action|what we will do|activit|task|objective")),
]

# Limits of what a priority holds: the database's columns and the forms' limits (`csa_tracker.forms`).
TITLE_MAX = 200
CONTEXT_MAX = 50_000
WORDING_MAX = 2_000
TEXT_MAX = 20_000
SOURCE_MAX = {"source_title": 300, "publisher": 200, "published": 50, "url": 200}

PRIORITY_PREFIX = re.compile(
    r"^\s*(?:priority\s*(?:\d{1,2}|[ivx]{1,4})?\s*[:.\-–—]\s*|(?:\d{1,2}(?:\.\d{1,2})*[.):]?|[ivx]{1,4}[.):])\s+(?=\S))",
    re.IGNORECASE,
)
NOT_PRIORITIES = re.compile(
    r"^(introduction|foreword|contents|table of contents|overview|summary|executive summary|background|"
    r"purpose|appendix|appendices|glossary|significant changes|performance|indicators)\b",
    re.IGNORECASE,
)
INTRODUCTION = re.compile(r"^(introduction|foreword|overview)\b", re.IGNORECASE)
CONTENTS = re.compile(r"^(table of )?contents\b", re.IGNORECASE)
# Sub-headings and label lines inside a priority: what follows them.
CONTEXT_LABEL = re.compile(r"^context\s*:?$", re.IGNORECASE)
NOTES_LABEL = re.compile(r"^(notes?( and sources)?|sources|references|footnotes)\s*:?$", re.IGNORECASE)
ACTIONS_LABEL = re.compile(r"^(actions?( and progress| plan)?|actions?\s*\|?\s*progress)\s*:?$", re.IGNORECASE)
SKIPPED_SECTION = re.compile(r"^(performance( summary)?|indicators?|figures)\b", re.IGNORECASE)
NOTE_START = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s+")
NOTE_FIELD = re.compile(r"^(Source|Publisher|Published|Link):\s*(.*)$")
NOTE_FIELD_NAMES = {"Source": "source_title", "Publisher": "publisher", "Published": "published", "Link": "url"}
# A source as Kent cites one: "Publisher. Title (January 2018);" or "Title (published Aug ’17)".
CITED_DATE = re.compile(r"\s*\((?:published\s+)?([^()]{2,40})\)\s*[;.]?\s*$", re.IGNORECASE)
DATE_WORDS = re.compile(r"\d{2}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.IGNORECASE)
URL = re.compile(r"https?://[^\s<>\"\[\]()]+")
META_LINE = re.compile(
    r"^(lead agenc(?:y|ies)|lead organisations?|leads?|led by|supporting|supported by|supporters|status|"
    r"funding(?: source)?|funded by|themes?|starts?|start date|due|due date)\s*:\s*(.*)$",
    re.IGNORECASE,
)
META_FIELD = {
    "lead": "leads",
    "led": "leads",
    "sup": "supporters",
    "sta": "status",
    "fun": "funding",
    "the": "themes",
}
NO_PROGRESS = {"no progress published yet.", "no progress yet.", "none", "-", "—", "n/a"}
MARKER = re.compile(r"⟦(fn|en|sup):([^⟧]+)⟧")
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y")


@dataclass
class NoteDraft:
    number: int
    text: str
    source_title: str = ""
    publisher: str = ""
    published: str = ""
    url: str = ""


@dataclass
class ActionDraft:
    wording: str
    leads: list[str] = field(default_factory=list)
    supporters: list[str] = field(default_factory=list)
    status: str = ""
    funding: str = ""
    themes: list[str] = field(default_factory=list)
    start_date: str = ""  # ISO
    due_date: str = ""
    progress: str = ""


@dataclass
class PriorityDraft:
    heading: int  # the heading's block index
    title: str
    context: str = ""
    notes: list[NoteDraft] = field(default_factory=list)
    actions: list[ActionDraft] = field(default_factory=list)


@dataclass
class PlanDraft:
    """What the document says under the person's choices; `problems` stop the import, `left_out` says
    what was read but not imported."""

    title: str
    introduction: str
    priorities: list[PriorityDraft]
    problems: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    def signature(self) -> str:
        """A short digest of everything the preview shows from the document: the import commits only
        what the person saw."""
        content = json.dumps(
            [self.title, self.introduction, [asdict(p) for p in self.priorities], self.problems], sort_keys=True
        )
        return hashlib.sha256(content.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Heading:
    index: int
    level: int
    text: str

    @property
    def title(self) -> str:
        return clean_title(self.text)


@dataclass
class Choices:
    """What the person says the document means: the heading level of priorities, which of those
    headings are priorities (None: the guess), and each table header's role (by `name_key`)."""

    level: int | None = None
    headings: set[int] | None = None
    columns: dict[str, str] = field(default_factory=dict)


def clean_title(text: str) -> str:
    """A heading as a priority's title: "Priority 2: Road Safety", "1. Road Safety" → "Road Safety"."""
    text = " ".join(MARKER.sub("", text).split())
    return PRIORITY_PREFIX.sub("", text, count=1).strip(" :") or text


def headings(document: dict) -> list[Heading]:
    return [
        Heading(index, block["level"], block["text"])
        for index, block in enumerate(document["blocks"])
        if block["kind"] == "p" and block["level"] and not block["toc"]
    ]


def levels(document: dict) -> dict[int, list[Heading]]:
    """The headings of the document by level (1 the outermost)."""
    found: dict[int, list[Heading]] = {}
    for heading in headings(document):
        found.setdefault(heading.level, []).append(heading)
    return dict(sorted(found.items()))


def check_readable(document: dict) -> None:
    """Refuse a document there is nothing to recognise a plan in: no text, or text without headings."""
    texts = [block for block in document["blocks"] if block["kind"] == "table" or not block["toc"]]
    if not texts:
        if document["pictures"]:
            raise DocumentRefused(
                "The document holds pictures but no text (a scanned page, or a plan pasted in as an image). "
                f"{WHAT_WE_READ} Upload the document the plan was written in."
            )
        raise DocumentRefused(f"The document holds no text. {WHAT_WE_READ}")
    if not headings(document):
        raise DocumentRefused(
            "The document has no headings, so the importer cannot tell where each priority starts. In Word, "
            "click each priority's title and choose the style “Heading 1” (Home → Styles), save the document "
            "and upload it again."
        )


def guess_level(document: dict) -> int:
    """The heading level of the priorities: the level whose headings start "Priority", else the
    outermost level with two or more headings (not "Introduction" and the like) holding an actions
    table, else the outermost with two or more such headings, else the outermost."""
    by_level = levels(document)
    for level, found in by_level.items():
        if sum(1 for h in found if h.text.lower().startswith("priority")) >= 2:
            return level
    candidates = {level: [h for h in found if not NOT_PRIORITIES.match(h.title)] for level, found in by_level.items()}
    roles = guess_roles(document)
    for level, found in candidates.items():
        with_actions = [h for h in found if _section_has_actions(document, h, level, roles)]
        if len(with_actions) >= 2:
            return level
    for level, found in candidates.items():
        if len(found) >= 2:
            return level
    return next(iter(by_level))


def _section(document: dict, heading: Heading, level: int) -> list[dict]:
    """The blocks under `heading`, up to the next heading at `level` or above."""
    blocks = document["blocks"]
    end = heading.index + 1
    while end < len(blocks):
        block = blocks[end]
        if block["kind"] == "p" and block["level"] and not block["toc"] and block["level"] <= level:
            break
        end += 1
    return blocks[heading.index + 1 : end]


def _section_has_actions(document, heading, level, roles) -> bool:
    return any(
        block["kind"] == "table" and ACTION in _table_roles(block, roles)
        for block in _section(document, heading, level)
    )


def default_headings(document: dict, level: int) -> set[int]:
    """The headings at `level` taken as priorities unless the person says otherwise: all but
    "Introduction", "Contents", "Appendix" and the like."""
    return {h.index for h in levels(document).get(level, []) if not NOT_PRIORITIES.match(h.title)}


def table_headers(document: dict) -> list[tuple[str, str]]:
    """(key, label) of every distinct column header of the document's tables, in order."""
    found: dict[str, str] = {}
    for block in document["blocks"]:
        if block["kind"] == "table":
            for label in _header_labels(block):
                if label:
                    found.setdefault(name_key(label), label)
    return list(found.items())


def guess_roles(document: dict) -> dict[str, str]:
    """Each header's role as its words suggest ("Actions" the wording, "Agency" the lead agencies, ...)."""
    return {key: guess_role(label) for key, label in table_headers(document)}


def guess_role(label: str) -> str:
    words = label.lower()
    return next((role for role, pattern in ROLE_GUESSES if pattern.search(words)), IGNORE)


def _header_labels(table: dict) -> list[str]:
    """A table's column headers, one per grid column (the last header row's words, a spanning header
    repeated over its columns)."""
    if not table["rows"]:
        return []
    return [" ".join(MARKER.sub("", text).split()) for text in _grid(table["rows"][table["header_rows"] - 1])]


def _grid(row: list[dict]) -> list[str]:
    """A row's text per grid column: a cell spanning columns fills each; a cell continuing a vertical
    merge from the row above is empty (its text was read with that row)."""
    texts = []
    for cell in row:
        texts += ["" if cell["continues"] else cell["text"]] * cell["span"]
    return texts


def _table_roles(table: dict, roles: dict[str, str]) -> list[str]:
    return [roles.get(name_key(label), IGNORE) if label else IGNORE for label in _header_labels(table)]


def recognise(document: dict, choices: Choices) -> PlanDraft:
    """The plan the document gives under `choices` (the level and headings default to the guesses)."""
    level = choices.level or guess_level(document)
    chosen = choices.headings if choices.headings is not None else default_headings(document, level)
    roles = {**guess_roles(document), **choices.columns}
    draft = PlanDraft(title=" ".join(document["title"].split()), introduction="", priorities=[])
    at_level = levels(document).get(level, [])
    for heading in headings(document):
        if heading.level > level:
            continue
        section = _section(document, heading, level)
        if heading.level == level and heading.index in chosen:
            draft.priorities.append(_priority(document, heading, section, level, roles, draft))
        elif INTRODUCTION.match(heading.title):
            draft.introduction = _text([b for b in section if b["kind"] == "p" and not b["level"] and not b["toc"]])
        elif CONTENTS.match(heading.title):
            draft.left_out.append("The contents page.")
        elif any(not block["toc"] for block in section if block["kind"] == "p") or any(
            block["kind"] == "table" for block in section
        ):
            draft.left_out.append(f"The section “{heading.title}” (not a priority).")
    if not at_level:
        draft.problems.append(f"The document has no headings at level {level}: choose another level.")
    elif not draft.priorities:
        draft.problems.append("No heading is chosen as a priority: tick at least one.")
    _check(draft)
    return draft


def _priority(document, heading: Heading, section: list[dict], level: int, roles, draft: PlanDraft) -> PriorityDraft:
    priority = PriorityDraft(heading=heading.index, title=heading.title)
    context: list[dict] = []
    notes: list[NoteDraft] = []
    labelled: set[int] = set()  # positions of notes whose source the document labels (this app's export)
    mode = "context"
    for block in section:
        if block["kind"] == "table":
            if mode == "skip":
                draft.left_out.append(f"A table in “{heading.title}” under a performance heading.")
                continue
            table_roles = _table_roles(block, roles)
            if ACTION not in table_roles:
                labels = ", ".join(label for label in _header_labels(block) if label) or "no headings"
                draft.left_out.append(
                    f"A table in “{heading.title}” with the columns {labels}: no column is the action's wording."
                )
                continue
            priority.actions += _actions(block, table_roles, heading.title, draft)
            continue
        if block["toc"]:
            continue
        text = block["text"]
        if block["level"] and block["level"] > level:  # a sub-heading inside the priority
            mode = _mode_of(text, mode, heading=True)
            if mode == "context" and not CONTEXT_LABEL.match(text):
                context.append({"text": text, "list": None})
            continue
        if CONTEXT_LABEL.match(text) or NOTES_LABEL.match(text) or ACTIONS_LABEL.match(text):
            mode = _mode_of(text, mode, heading=False)
            continue
        if mode == "skip":
            continue
        if mode == "notes":
            _note_line(block, notes, labelled)
        else:
            context.append(block)
    priority.notes = _number_notes(notes, labelled, priority.title, draft)
    priority.context = _with_note_numbers(_text(context), priority, document["notes"])
    for action in priority.actions:
        action.progress = _without_markers(action.progress, document["notes"])
        action.wording = _without_markers(action.wording, document["notes"])
    return priority


def _mode_of(text: str, mode: str, *, heading: bool) -> str:
    if CONTEXT_LABEL.match(text):
        return "context"
    if NOTES_LABEL.match(text):
        return "notes"
    if ACTIONS_LABEL.match(text):
        return "actions"
    if heading and SKIPPED_SECTION.match(text):
        return "skip"
    return "context" if heading else mode


def _note_line(block: dict, notes: list[NoteDraft], labelled: set[int]) -> None:
    """A paragraph under "Notes": "1) …" or a numbered list item starts a note; a "Source:" line (this
    app's export) sets a field of the note above; anything else continues the note above."""
    text = block["text"]
    lines = text.split("\n")
    match = NOTE_START.match(lines[0])
    if match or not notes:
        number = int(match[1] or match[2]) if match else 0
        notes.append(NoteDraft(number=number, text=""))
        if match:
            lines[0] = lines[0][match.end() :]
    note = notes[-1]
    body = []
    for line in lines:
        found = NOTE_FIELD.match(line.strip())
        if found and found[1] in NOTE_FIELD_NAMES:
            setattr(note, NOTE_FIELD_NAMES[found[1]], found[2].strip())
            labelled.add(len(notes) - 1)
        else:
            body.append(line)
    addition = "\n".join(body).strip()
    if addition:
        note.text = f"{note.text} {addition}".strip() if note.text else addition


def _number_notes(notes: list[NoteDraft], labelled: set[int], title: str, draft: PlanDraft) -> list[NoteDraft]:
    """Notes numbered as the document numbers them (1, 2, 3 when it does not, or repeats a number);
    a note's source recognised from its wording unless the document labels it."""
    numbers = [note.number for note in notes]
    if 0 in numbers or len(set(numbers)) != len(numbers):
        for position, note in enumerate(notes, start=1):
            note.number = position
        if notes and any(numbers):
            draft.left_out.append(
                f"The notes of “{title}” are numbered 1 to {len(notes)} in order (their numbers repeated)."
            )
    for position, note in enumerate(notes):
        if position not in labelled:
            _recognise_source(note)
    return notes


def _recognise_source(note: NoteDraft) -> None:
    """Kent's citations: a link or web address is the source's address; "Publisher. Title (January
    2018);" and "Title (published Aug ’17)" give the title, publisher and date. A note that cites no
    date is an explanation, not a source, and keeps its words only."""
    links = re.findall(r"\[([^\]\n]*)\]\((https?://[^)\s]+)\)", note.text)
    if len(links) == 1 and len(links[0][1]) <= SOURCE_MAX["url"]:
        note.url = links[0][1]
        note.text = note.text.replace(f"[{links[0][0]}]({links[0][1]})", links[0][0] or links[0][1])
    elif not links:
        addresses = URL.findall(note.text)
        if len(addresses) == 1 and len(addresses[0]) <= SOURCE_MAX["url"]:
            note.url = addresses[0].rstrip(".,;")
    cited = CITED_DATE.search(note.text)
    if cited is None or not DATE_WORDS.search(cited[1]):
        return
    published = cited[1].strip()
    rest = note.text[: cited.start()].strip()
    publisher, _, title = rest.partition(". ")
    if not title or len(publisher) > 60 or len(publisher.split()) > 8:
        publisher, title = "", rest
    values = {"source_title": title.strip(), "publisher": publisher.strip(), "published": published}
    if all(len(value) <= SOURCE_MAX[name] for name, value in values.items()):
        for name, value in values.items():
            setattr(note, name, value)


def _with_note_numbers(text: str, priority: PriorityDraft, notes_by_id: dict[str, str]) -> str:
    """Note references in the context as [^N]: a footnote or endnote becomes a note of the priority
    (numbered after its typed notes, in the order referred to); a superscript number is a reference
    when the priority has that note, otherwise the number as written."""
    numbers = {note.number for note in priority.notes}
    from_notes: dict[str, int] = {}  # footnote or endnote id -> its number here

    def replace(match):
        kind, key = match[1], match[2]
        if kind == "sup":
            return f"[^{key}]" if int(key) in numbers else key
        note_id = f"{kind}:{key}"
        if note_id not in notes_by_id:
            return ""
        if note_id not in from_notes:
            note = NoteDraft(number=max(numbers, default=0) + 1, text=notes_by_id[note_id])
            _recognise_source(note)
            priority.notes.append(note)
            numbers.add(note.number)
            from_notes[note_id] = note.number
        return f"[^{from_notes[note_id]}]"

    return MARKER.sub(replace, text)


def _without_markers(text: str, notes_by_id: dict[str, str]) -> str:
    """Outside a context there are no notes: a footnote's words follow in brackets, a superscript
    number stays a number."""

    def replace(match):
        if match[1] == "sup":
            return match[2]
        words = notes_by_id.get(f"{match[1]}:{match[2]}", "")
        return f" ({words})" if words else ""

    return MARKER.sub(replace, text)


def _text(blocks: list[dict]) -> str:
    return normalise_text(join_paragraphs(blocks)).strip()


def _actions(table: dict, roles: list[str], title: str, draft: PlanDraft) -> list[ActionDraft]:
    """One action a row; a row whose action cell continues the one above (merged, or left empty) adds
    its progress and leads to that action; a row across the whole table is left out."""
    actions: list[ActionDraft] = []
    for row in table["rows"][table["header_rows"] :]:
        cells = _grid(row)
        values: dict[str, list[str]] = {}
        for role, text in zip(roles, cells, strict=False):
            if role != IGNORE and text.strip():
                values.setdefault(role, []).append(text.strip())
        action_text = "\n\n".join(values.get(ACTION, []))
        spans_all = len(row) == 1 and row[0]["span"] >= len(roles) > 1
        if spans_all:
            if row[0]["text"].strip():
                draft.left_out.append(f"A row across the whole actions table of “{title}”: “{_short(row[0]['text'])}”.")
            continue
        if not action_text and actions:  # merged with the row above, or left empty: more of the same action
            _add_to(actions[-1], values)
            continue
        if not action_text:
            if any(values.values()):
                draft.left_out.append(f"A row of the actions table of “{title}” with no action: “{_short(cells)}”.")
            continue
        action = _action_from_cell(action_text, draft, title)
        _add_to(action, {role: texts for role, texts in values.items() if role != ACTION})
        actions.append(action)
    return actions


def _add_to(action: ActionDraft, values: dict[str, list[str]]) -> None:
    for text in values.get(LEAD, []):
        action.leads += [name for name in split_names(text) if name not in action.leads]
    for text in values.get(SUPPORTERS, []):
        action.supporters += [name for name in split_names(text) if name not in action.supporters]
    for text in values.get(PROGRESS, []):
        if text.strip().lower() in NO_PROGRESS:
            continue
        action.progress = f"{action.progress}\n\n{text}".strip() if action.progress else text.strip()
    if values.get(STATUS):
        action.status = " ".join(values[STATUS][0].split())
    if values.get(DUE):
        action.due_date = _date(values[DUE][0]) or action.due_date


def _action_from_cell(text: str, draft: PlanDraft, title: str) -> ActionDraft:
    """The action cell's wording, and the "Lead:", "Supporting:", "Status:", "Funding:", "Themes:",
    "Starts:" and "Due:" lines below it (how this app's export, and its reports, write them)."""
    wording, meta = [], {}
    for paragraph in text.split("\n\n"):
        kept = []
        for line in paragraph.split("\n"):
            found = META_LINE.match(line.strip())
            if found:
                meta[found[1].lower()] = found[2].strip()
            else:
                kept.append(line)
        if "\n".join(kept).strip():
            wording.append("\n".join(kept).strip())
    action = ActionDraft(wording="\n\n".join(wording))
    for label, value in meta.items():
        if label.startswith(("start",)):
            action.start_date = _date(value)
            if value and not action.start_date:
                draft.left_out.append(f"The start date “{value}” of an action in “{title}”: write dates as 31/03/2018.")
        elif label.startswith("due"):
            action.due_date = _date(value)
            if value and not action.due_date:
                draft.left_out.append(f"The due date “{value}” of an action in “{title}”: write dates as 31/03/2018.")
        else:
            name = next(field_name for prefix, field_name in META_FIELD.items() if label.startswith(prefix))
            if name in ("leads", "supporters", "themes"):
                setattr(action, name, split_names(value))
            else:
                setattr(action, name, value)
    return action


def split_names(text: str) -> list[str]:
    """Organisation names in a cell: one a line, or separated by ";", "," or " / "."""
    names = []
    for part in re.split(r"[\n;,]|\s/\s", text):
        name = " ".join(re.sub(r"^[-*•·]\s*", "", part.strip()).split())
        if name and name not in names:
            names.append(name)
    return names


def _date(text: str) -> str:
    text = " ".join(text.split())
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return ""


def _short(value) -> str:
    text = " ".join(" ".join(value).split()) if isinstance(value, list) else " ".join(value.split())
    return text if len(text) <= 80 else text[:79] + "…"


def _check(draft: PlanDraft) -> None:
    """What the plan's records could not hold stops the import, each with a sentence saying where."""
    if len(draft.introduction) > TEXT_MAX:
        draft.problems.append(f"The introduction is longer than {TEXT_MAX:,} characters, the most a plan's takes.")
    seen: dict[str, str] = {}
    for priority in draft.priorities:
        where = f"“{_short(priority.title)}”"
        key = name_key(priority.title)
        if key in seen:
            draft.problems.append(f"Two priorities are called {where}: a plan names each priority once.")
        seen[key] = priority.title
        if len(priority.title) > TITLE_MAX:
            draft.problems.append(
                f"The heading {where} is {len(priority.title):,} characters; a priority's title takes up to "
                f"{TITLE_MAX}. Is it a paragraph styled as a heading? Choose another heading level or untick it."
            )
        if len(priority.context) > CONTEXT_MAX:
            draft.problems.append(f"The context of {where} is longer than {CONTEXT_MAX:,} characters.")
        for note in priority.notes:
            if len(note.text) > TEXT_MAX:
                draft.problems.append(f"Note {note.number} of {where} is longer than {TEXT_MAX:,} characters.")
        for number, action in enumerate(priority.actions, start=1):
            if len(action.wording) > WORDING_MAX:
                draft.problems.append(
                    f"Action {number} of {where} is {len(action.wording):,} characters; an action's wording takes "
                    f"up to {WORDING_MAX:,}. Is the column of the wording the right one?"
                )
            if len(action.progress) > TEXT_MAX:
                draft.problems.append(
                    f"The progress of action {number} of {where} is longer than {TEXT_MAX:,} characters."
                )
        unknown = {int(n) for n in NOTE_REF.findall(priority.context)} - {n.number for n in priority.notes}
        if unknown:
            numbers = ", ".join(str(n) for n in sorted(unknown))
            draft.left_out.append(f"The context of {where} refers to notes {numbers}, which it does not have.")


def iso_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None
