"""Writing the audit trail. Every service that changes something that matters calls `audit_record`
inside its own transaction, so the change and its entry are saved together or not at all.

An audited object gives `partnership` (the Partnership it belongs to); `str(obj)` names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.utils import timezone

from csa_tracker.accounts.models import Organisation, Partnership
from csa_tracker.text import shortened  # names of any length the forms accept fit the trail's columns

from .models import AuditEntry
from .verbs import registered

ABOUT_LENGTH = AuditEntry._meta.get_field("about").max_length
SUMMARY_LENGTH = AuditEntry._meta.get_field("summary").max_length


def _entry(
    obj,
    *,
    actor,
    verb: str,
    summary: str,
    reason="",
    from_state="",
    to_state="",
    changes=None,
    at=None,
    partnership=None,
):
    return AuditEntry(
        partnership=partnership or obj.partnership,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        about=shortened(str(obj), ABOUT_LENGTH),
        actor=actor,
        at=at or timezone.now(),
        verb=registered(verb),
        summary=shortened(summary, SUMMARY_LENGTH),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        changes=changes or {},
    )


def _followers(obj) -> set[int] | None:
    """The organisations whose partners' own pages show `obj` when it is a piece of their work (a progress
    update, a reading: its `work_organisation_ids()`); None for anything else, which every page may show."""
    found = getattr(obj, "work_organisation_ids", None)
    return set(found()) if found is not None else None


def _work_changed(partnership_ids, followers: set[int] | None = None) -> None:
    """A new work generation for each partnership a change was recorded in; and (issue 26) a new one for
    the organisations in `followers` (a change to one piece of partners' work, `_followers`), or, with
    None, the partnership's shared one (`Partnership.shared_work_generation`). Two UPDATEs at most."""
    moved = {"work_generation": F("work_generation") + 1}
    if followers is None:
        moved["shared_work_generation"] = F("shared_work_generation") + 1
    Partnership.objects.filter(pk__in=set(partnership_ids)).update(**moved)
    if followers:
        Organisation.objects.filter(pk__in=followers).update(work_generation=F("work_generation") + 1)


def audit_record(obj, *, actor, verb: str, summary: str, **details) -> AuditEntry:
    """Write one entry about `obj`. `verb`: one of `verbs.Verb` (ValueError otherwise). `details`:
    reason, from_state, to_state, changes ({label: [before, after]}), at, and partnership (for objects
    such as a person that belong to none themselves). `actor` None is the scheduled job. The summary is
    shortened with an ellipsis to fit its column. The partnership's work generation moves with it (and the
    generation partners' own pages are keyed by: `_work_changed`), so no work-in-progress page is served
    from before the change."""
    entry = _entry(obj, actor=actor, verb=verb, summary=summary, **details)
    entry.save()
    _work_changed([entry.partnership_id], _followers(obj))
    return entry


def audit_record_many(objs: Iterable, *, actor, verb: str, summary: str, **details) -> int:
    """One entry per object, in one bulk insert (a spreadsheet import, a new item). Returns how many.
    For one object, only the organisations following it have their partners' pages rebuilt (as
    `audit_record`); for more (an import), every page is, so the queries do not grow with the rows
    (each object's followers cost a query or two; issue 26)."""
    objs = list(objs)
    entries = [_entry(obj, actor=actor, verb=verb, summary=summary, **details) for obj in objs]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    followers = _followers(objs[0]) if len(objs) == 1 else None
    _work_changed([entry.partnership_id for entry in entries], followers)
    return len(entries)


def _as_text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ", ".join(sorted(str(item) for item in value))
    return str(value)


def field_values(obj, fields: Iterable[str]) -> dict[str, str]:
    """The named fields of `obj` as text (foreign keys by name, many-to-many as a sorted list), keyed by
    their verbose name: what `changes_between` compares."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = list(getattr(obj, name).all()) if field.many_to_many else getattr(obj, name)
        values[str(field.verbose_name).capitalize()] = _as_text(value)
    return values


def changes_between(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    """{label: [before, after]} for each value that differs; {} when nothing changed."""
    return {label: [before.get(label, ""), value] for label, value in after.items() if before.get(label, "") != value}
