"""An import's preview, computed once when the file is uploaded and stored beside it as JSON, so viewing
the preview page never reads the file again (a slow or hostile file costs one upload, not every view).

`confirm` re-runs the importer on the stored table (no file reading: the cells were read once) and
commits only if the result is the preview the person saw; otherwise the new preview is stored and shown.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from .importers import BADGES, CHANGED, ERROR, NEW, READ_ONLY, STATUS_LABELS, UNCHANGED, Preview

# Rows kept for the page: those in error first (they need correcting), then new and changed ones.
ROWS_KEPT = 500
# A change is shown truncated on the page; this keeps the stored preview small for long progress text.
CHANGE_CHARS = 1_000


@dataclass
class StoredRow:
    number: int
    status: str
    label: str
    changes: list[tuple[str, str | None, str]]  # (column, old or None for a new row, new), as shown
    errors: list[tuple[str, str]]  # (column, reason)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge_class(self) -> str:
        return BADGES[self.status]


@dataclass
class StoredPreview:
    rows: list[StoredRow]  # at most ROWS_KEPT of the rows that are new, changed or in error
    counts: dict[str, int]
    skipped: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    signature: str = ""

    @property
    def has_errors(self) -> bool:
        return self.counts[ERROR] > 0

    @property
    def writable(self) -> int:
        return self.counts[NEW] + self.counts[CHANGED]


def _text(value, limit: int = CHANGE_CHARS) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def signature(preview: Preview) -> str:
    """What the person agreed to: every row's number, status and changes."""
    digest = hashlib.sha256()
    for row in preview.rows:
        digest.update(repr((row.number, row.status, [tuple(map(str, c)) for c in row.changes])).encode())
    return digest.hexdigest()


def stored(preview: Preview) -> StoredPreview:
    listed = [row for row in preview.rows if row.status not in (UNCHANGED, READ_ONLY)]
    errors = [row for row in listed if row.status == ERROR][:ROWS_KEPT]
    others = [row for row in listed if row.status != ERROR][: ROWS_KEPT - len(errors)]
    rows = [
        StoredRow(
            number=row.number,
            status=row.status,
            label=_text(row.label, 300) or "",
            changes=[(column, _text(old), _text(new)) for column, old, new in row.changes],
            errors=[(column, _text(reason)) for column, reason in row.errors],
        )
        for row in sorted(errors + others, key=lambda row: row.number)
    ]
    return StoredPreview(
        rows=rows,
        counts=preview.counts,
        skipped=[(str(what), int(count)) for what, count in preview.skipped],
        notes=preview.notes,
        signature=signature(preview),
    )


def to_json(preview: StoredPreview) -> str:
    return json.dumps(
        {
            "rows": [[r.number, r.status, r.label, r.changes, r.errors] for r in preview.rows],
            "counts": preview.counts,
            "skipped": preview.skipped,
            "notes": preview.notes,
            "signature": preview.signature,
        }
    )


def from_json(text: str) -> StoredPreview:
    data = json.loads(text)
    return StoredPreview(
        rows=[
            StoredRow(number, status, label, [tuple(c) for c in changes], [tuple(e) for e in errors])
            for number, status, label, changes, errors in data["rows"]
        ],
        counts=data["counts"],
        skipped=[tuple(s) for s in data["skipped"]],
        notes=data["notes"],
        signature=data["signature"],
    )
