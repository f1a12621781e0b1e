"""Word-level differences between the published text and the submitted one."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from csa_tracker.text import markdown_to_text, paragraphs

TOKEN = re.compile(r"\S+|\n")


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "insert" or "delete"
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments of unchanged, deleted and inserted words; line breaks are kept as tokens."""
    before = TOKEN.findall(markdown_to_text(old))
    after = TOKEN.findall(markdown_to_text(new))
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", _join(before[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", _join(before[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", _join(after[j1:j2])))
    return segments


def _join(tokens: list[str]) -> str:
    return " ".join(tokens).replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")


def has_changes(segments: list[Segment]) -> bool:
    return any(segment.op != "same" for segment in segments)


# A sentence ends at . ! or ? followed by a space (or the end); "e.g. this" splits too, harmlessly.
SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Two sentences this alike are one sentence rewritten: show the words that changed inside it.
SAME_SENTENCE = 0.5


@dataclass(frozen=True)
class Sentence:
    op: str  # "same", "insert", "delete" or "changed"
    text: str
    words: tuple[Segment, ...] = ()  # for "changed": the word-level segments


@dataclass(frozen=True)
class Block:
    """A paragraph (or bullet) of the new text, or one deleted from the old, as sentences."""

    op: str  # "same", "insert", "delete" or "changed"
    sentences: tuple[Sentence, ...]


def _sentences(paragraph: str) -> list[str]:
    return [part for part in SENTENCE.split(paragraph.strip()) if part]


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a.split(), b=b.split(), autojunk=False).ratio()


def _sentence_diff(old: list[str], new: list[str]) -> list[Sentence]:
    out: list[Sentence] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [Sentence("same", text) for text in new[j1:j2]]
            continue
        before, after = old[i1:i2], new[j1:j2]
        # Pair rewritten sentences in order while they stay alike; the rest are whole deletions or insertions.
        while before and after and _similar(before[0], after[0]) >= SAME_SENTENCE:
            a, b = before.pop(0), after.pop(0)
            out.append(Sentence("changed", b, tuple(word_diff(a, b))))
        out += [Sentence("delete", text) for text in before]
        out += [Sentence("insert", text) for text in after]
    return out


def block_diff(old: str, new: str) -> list[Block]:
    """Differences by paragraph, then by sentence, then by word inside a rewritten sentence: a rewritten
    paragraph reads as whole sentences deleted and inserted, not as scattered fragments."""
    before, after = paragraphs(old), paragraphs(new)
    blocks: list[Block] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag == "equal":
            blocks += [Block("same", tuple(Sentence("same", s) for s in _sentences(p))) for p in after[j1:j2]]
            continue
        old_part, new_part = before[i1:i2], after[j1:j2]
        while old_part and new_part:
            a, b = old_part.pop(0), new_part.pop(0)
            if _similar(a, b) >= SAME_SENTENCE / 2 or set(_sentences(a)) & set(_sentences(b)):
                blocks.append(Block("changed", tuple(_sentence_diff(_sentences(a), _sentences(b)))))
            else:
                blocks.append(Block("delete", tuple(Sentence("delete", s) for s in _sentences(a))))
                blocks.append(Block("insert", tuple(Sentence("insert", s) for s in _sentences(b))))
        blocks += [Block("delete", tuple(Sentence("delete", s) for s in _sentences(p))) for p in old_part]
        blocks += [Block("insert", tuple(Sentence("insert", s) for s in _sentences(p))) for p in new_part]
    return blocks


def blocks_changed(blocks: list[Block]) -> bool:
    return any(block.op != "same" for block in blocks)
