"""Word-level differences between the published text and the submitted one."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from csa_tracker.text import markdown_to_text

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
