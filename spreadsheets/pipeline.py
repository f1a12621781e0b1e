"""The one preview and confirm of every import: readings, progress updates, actions, the police file, and
the partnership's settings (organisations, areas, indicators, populations, people).

    upload → `SheetImport.read` (spreadsheets.files: the file read once, within the upload's limits)
           → `SheetImport.preview` (each row new, changed, unchanged, skipped or in error; nothing written)
           → stored server-side (`Upload`: the "imports" storage, under an opaque token, bound to the person
             and partnership, at most `limits.MAX_STORED_BYTES`; never in the session)
    confirm → the stored table previewed again; written through the import's services in one transaction
              only if the result is what the person saw, else the new preview is shown.

Every refusal, from any layer, is a `csa_tracker.refusals.Refusal` whose message is shown on the page.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from csa_tracker.accounts.people import display_name
from csa_tracker.refusals import Refusal, Stale
from csa_tracker.text import name_key, typed_number

from . import cells
from .files import Table, read_table, table_from_json, table_to_json
from .limits import MAX_STORED_BYTES, FileRefused

NEW, CHANGED, UNCHANGED, READ_ONLY, ERROR = "new", "changed", "unchanged", "read_only", "error"
STATUS_LABELS = {
    NEW: "New",
    CHANGED: "Changed",
    UNCHANGED: "Unchanged",
    READ_ONLY: "Skipped (yours to read only)",
    ERROR: "Error",
}
BADGES = {
    NEW: "text-bg-primary",
    CHANGED: "text-bg-warning",
    UNCHANGED: "text-bg-secondary",
    READ_ONLY: "text-bg-light",
    ERROR: "text-bg-danger",
}
# Rows kept for the page: those in error first (they need correcting), then new and changed ones.
ROWS_KEPT = 500
# A change is shown truncated on the page; this keeps the stored preview small for long progress text.
CHANGE_CHARS = 1_000
UPLOAD_KEPT_FOR = timedelta(days=1)
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class ImportRefused(Refusal):
    """Nothing was written; the message says which row stopped the import and why."""


class _Status:
    """How a row's status reads on the page."""

    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge_class(self) -> str:
        return BADGES[self.status]


@dataclass
class RowResult(_Status):
    number: int
    status: str = NEW
    label: str = ""
    changes: list[tuple[str, object, object]] = field(default_factory=list)  # (column, old, new)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)
    item: object = None  # what the row changes, if it exists
    fields: dict = field(default_factory=dict)  # the values to write
    read_only: tuple[str, str] | None = None  # (column, reason) when the person may only read this subject
    note: str = ""  # what confirming does besides writing, e.g. "an invitation is sent"

    def error(self, column: str, reason: str) -> None:
        self.errors.append((column, reason))
        self.status = ERROR


@dataclass
class Preview:
    rows: list[RowResult]
    skipped: list[tuple[str, int]] = field(default_factory=list)  # (what, how many), e.g. districts outside Kent
    notes: list[str] = field(default_factory=list)  # sentences about rows left alone

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(row.status for row in self.rows)
        return {status: found.get(status, 0) for status in STATUS_LABELS}

    @property
    def has_errors(self) -> bool:
        return any(row.status == ERROR for row in self.rows)

    @property
    def to_write(self) -> list[RowResult]:
        return [row for row in self.rows if row.status in (NEW, CHANGED)]


def shown(value) -> object:
    """A value as a preview shows it: lists joined with "; ", Yes/No, "(blank)", a number as a person writes
    it (`typed_number`: a stored count 3200.00 shows as "3200")."""
    if isinstance(value, frozenset | set | list | tuple):
        return "; ".join(sorted(str(member) for member in value)) or "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, Decimal):
        return typed_number(value)
    return value


class SheetImport:
    """What every import says about itself; subclasses read rows (`preview`) and write them (`commit`)."""

    noun: str
    title: str
    columns: list[str]  # in template order; all required in the header
    optional: list[str] = []  # read when the file has them (after `columns` in the template); absent: kept
    informational: list[str] = []  # exported for people to read, accepted in the header, never imported
    reviewed = False  # written as submitted items through the review workflow
    decimal_comma = False  # the file writes decimals with a comma: the column rules read "12,5" as 12.5

    @property
    def headers(self) -> list[str]:
        return [*self.columns, *self.optional, *self.informational]

    def unread_note(self, table: Table) -> list[str]:
        """A sentence naming the informational columns `table` has, which the import does not read (issue 25:
        a column ignored without a word); [] when it has none."""
        present = {name_key(header) for header in table.headers}
        unread = [column for column in self.informational if name_key(column) in present]
        if not unread:
            return []
        names = " and ".join(", ".join(f"“{column}”" for column in unread).rsplit(", ", 1))
        which, them = ("column", "it is") if len(unread) == 1 else ("columns", "they are")
        return [
            f"Not read: the {which} {names}; {them} in the export for reading only, so a change there is not imported."
        ]

    def landing(self, access) -> str:
        """Where a confirmed import takes the person: a page that shows what it wrote. My actions, where a
        progress import's updates are listed; an import of other things says its own (`ReadingImporter`)."""
        return reverse("my_work", kwargs={"partnership": access.partnership.slug})

    def counted(self, count: int) -> str:
        """ "1 indicator reading", "2 indicator readings", "2 people"."""
        plural = getattr(self, "plural", f"{self.noun}s")
        return f"{count:,} {self.noun if count == 1 else plural}"

    def read(self, access, data: bytes, meta: dict) -> tuple[Table, list[tuple[str, int]]]:
        """The table to preview, and what was left out of it ((what, how many), for the page)."""
        return read_table(data, columns=self.columns, optional=[*self.optional, *self.informational]), []

    def preview(self, access, table: Table) -> Preview:
        """Each row of `table` as new, changed, unchanged, skipped or in error; nothing is written."""
        self.decimal_comma = table.decimal_comma
        return self.judge(access, table)

    def judge(self, access, table: Table) -> Preview:
        raise NotImplementedError

    def commit(self, access, preview: Preview) -> int:
        """Write every new and changed row through the services, all or none; the number written."""
        raise NotImplementedError

    def number(self, value):
        return cells.number(value, decimal_comma=self.decimal_comma)

    def whole_number(self, value, what: str):
        return cells.whole_number(value, decimal_comma=self.decimal_comma, what=what)

    def cell(self, result: RowResult, column: str, parse, value):
        """`parse(value)`, or None with the row in error naming the column."""
        try:
            return parse(value)
        except cells.CellError as exc:
            result.error(column, str(exc))
            return None


# What waits between upload and confirm.


@dataclass
class StoredRow(_Status):
    number: int
    status: str
    label: str
    changes: list[tuple[str, str | None, str]]  # (column, old or None for a new row, new), as shown
    errors: list[tuple[str, str]]  # (column, reason)
    note: str = ""


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

    @property
    def limit(self) -> int:
        return ROWS_KEPT

    def to_json(self) -> str:
        return json.dumps(
            {
                "rows": [[r.number, r.status, r.label, r.changes, r.errors, r.note] for r in self.rows],
                "counts": self.counts,
                "skipped": self.skipped,
                "notes": self.notes,
                "signature": self.signature,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> StoredPreview:
        data = json.loads(text)
        return cls(
            rows=[
                StoredRow(number, status, label, [tuple(c) for c in changes], [tuple(e) for e in errors], note)
                for number, status, label, changes, errors, note in data["rows"]
            ],
            counts=data["counts"],
            skipped=[tuple(s) for s in data["skipped"]],
            notes=data["notes"],
            signature=data["signature"],
        )


def _cut(value, limit: int = CHANGE_CHARS) -> str | None:
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
            label=_cut(row.label, 300) or "",
            changes=[(column, _cut(old), _cut(new)) for column, old, new in row.changes],
            errors=[(column, _cut(reason)) for column, reason in row.errors],
            note=_cut(row.note, 300) or "",
        )
        for row in sorted(errors + others, key=lambda row: row.number)
    ]
    return StoredPreview(
        rows=rows,
        counts=preview.counts,
        skipped=[(str(what), int(count)) for what, count in preview.skipped],
        notes=list(preview.notes),
        signature=signature(preview),
    )


def _storage() -> Storage:
    """What an upload was read into waits in the "imports" storage between preview and confirm, as two
    JSON files: `<token>.table` (the cells) and `<token>.json` (who, what, and the preview). Never served."""
    return storages["imports"]


def _forget_abandoned(storage: Storage) -> None:
    """What an upload kept is deleted a day after it was last touched: the cells of a file never confirmed,
    the record of one imported."""
    if not storage.exists(""):
        return
    cutoff = timezone.now() - UPLOAD_KEPT_FOR
    for name in storage.listdir("")[1]:
        if storage.get_modified_time(name) < cutoff:
            storage.delete(name)


# The imports that can be confirmed by the background worker: kind → (importer from the upload's meta and
# the partnership). Each app registers its own (`spreadsheets.importers`, `configuration.spreadsheets`).
IMPORTS: dict[str, object] = {}


def register_import(kind: str, importer_of) -> None:
    IMPORTS[kind] = importer_of


@dataclass
class Upload:
    """A file read and previewed, waiting for the person to confirm it."""

    token: str
    meta: dict  # kind, filename, user, partnership, the sheet and header row read, the import's own choices
    preview: StoredPreview

    @classmethod
    def start(cls, access, importer: SheetImport, data: bytes, meta: dict) -> Upload:
        """Read and preview `data`, store both, and return the upload; raises a Refusal (nothing kept)
        when the file is refused as a whole."""
        table, skipped = importer.read(access, data, meta)
        preview = importer.preview(access, table)
        preview.skipped = skipped
        meta = {
            **meta,
            "user": access.user.pk,
            "partnership": access.partnership.pk,
            "sheet": table.sheet,
            "header_row": table.header_row,
            "skipped": skipped,
        }
        upload = cls(secrets.token_urlsafe(16), meta, stored(preview))
        table_json = table_to_json(table).encode()
        if len(table_json) + len(upload._json()) > MAX_STORED_BYTES:
            raise FileRefused(
                f"This file would take more than {MAX_STORED_BYTES // (1024 * 1024)} MB to keep until you "
                "confirm it; split it into smaller files."
            )
        storage = _storage()
        _forget_abandoned(storage)
        storage.save(f"{upload.token}.table", ContentFile(table_json))
        upload._save(storage)
        return upload

    @classmethod
    def load(cls, access, token: str) -> Upload:
        """The person's own upload in this partnership (one confirmed too, with its outcome); Http404 for any
        other, and once it is forgotten (a day after it was last touched)."""
        storage, name = _storage(), f"{token}.json"
        if not TOKEN.fullmatch(token) or not storage.exists(name):
            raise Http404("No such upload: upload the file again.")
        with storage.open(name) as found:
            data = json.loads(found.read().decode())
        if data["meta"]["user"] != access.user.pk or data["meta"]["partnership"] != access.partnership.pk:
            raise Http404("No such upload: upload the file again.")
        return cls(token, data["meta"], StoredPreview.from_json(data["preview"]))

    def _json(self) -> bytes:
        return json.dumps({"meta": self.meta, "preview": self.preview.to_json()}).encode()

    def _save(self, storage: Storage) -> None:
        name = f"{self.token}.json"
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(self._json()))

    @property
    def outcome(self) -> dict:
        """Where a confirm left off: {} (not confirmed), {"state": "queued"} (the worker has it),
        {"state": "refused", "message": sentence}, or {"state": "done", "written": n, "unchanged": n,
        "at": ISO datetime, "by": the person's name, "told": whether the page has said so}."""
        return self.meta.get("outcome", {})

    @property
    def imported_at(self) -> datetime | None:
        """When a confirmed upload's rows were written (aware); None before."""
        at = self.outcome.get("at")
        return datetime.fromisoformat(at) if at else None

    def queue(self, access) -> None:
        """Leave the confirm to the background worker (`tasks.confirm_upload`): a large file's rows are
        written there, not inside the request; the page shows the outcome when it is ready."""
        from .tasks import confirm_upload  # the task module imports this one

        self.meta["outcome"] = {"state": "queued"}
        self._save(_storage())
        confirm_upload.enqueue(self.token, access.user.pk, access.partnership.pk)

    def settle(self, outcome: dict) -> None:
        """Record what a confirm came to (the upload's page reads it)."""
        self.meta["outcome"] = outcome
        self._save(_storage())

    def confirm(self, access, importer: SheetImport) -> tuple[int, Preview]:
        """Preview the stored cells again (the file is never read twice) and write them if the result is
        what the person saw; raises Stale (with the new preview stored) when what is recorded changed, or
        the import's Refusal. Returns (rows written, the preview written)."""
        storage = _storage()
        try:
            with storage.open(f"{self.token}.table") as found:
                table = table_from_json(found.read().decode())
        except FileNotFoundError as exc:  # forgotten after a day (`_forget_abandoned`)
            raise ImportRefused("This preview has expired; nothing was imported. Upload the file again.") from exc
        preview = importer.preview(access, table)
        preview.skipped = [tuple(item) for item in self.meta.get("skipped", [])]
        if signature(preview) != self.preview.signature:
            self.preview = stored(preview)
            self._save(storage)
            raise Stale(
                "What is recorded changed since this preview was made; the preview below is up to date. "
                "Check it, then confirm again."
            )
        if preview.has_errors:
            raise ImportRefused("Nothing was imported: the file has rows in error. Correct them and upload it again.")
        written = importer.commit(access, preview)
        storage.delete(f"{self.token}.table")
        # What was written is kept (until `_forget_abandoned`), so the page of an upload already imported
        # says so (Back, a second Confirm) instead of a 404; the worker's outcome is told on the next visit.
        self.settle(
            {
                "state": "done",
                "written": written,
                "unchanged": preview.counts[UNCHANGED],
                "at": timezone.now().isoformat(),
                "by": display_name(access.user),
                "told": not self.outcome,
            }
        )
        return written, preview
