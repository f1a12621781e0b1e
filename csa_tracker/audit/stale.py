"""Stale saves refused, for every edit form (issue 23: two people editing one record silently undid
each other, and the audit trail recorded the undo as the second person's change).

A form built on `csa_tracker.forms.ProjectModelForm` carries, for a record that exists, a hidden
`seen` field: a fingerprint of the record's values for the form's own fields as the page showed them
(`csa_tracker.forms.fingerprint`). The save service calls `refuse_if_changed(instance, form.seen)`
inside its transaction: the record is read again under `select_for_update`, and when its values no
longer give the fingerprint the person saw, the save is refused with `Stale`, naming who changed it
and when (from the audit trail). The view keeps what was typed and shows the saved values beside it.
"""

from __future__ import annotations

from django.utils import timezone

from csa_tracker.accounts.people import display_name
from csa_tracker.forms import Seen, fingerprint
from csa_tracker.refusals import Stale

from .models import AuditEntry


def last_change(obj) -> str:
    """Who last changed `obj` and when, from its audit trail: "by Ann Smith at 14:05 on 6 December";
    "by someone else" when the trail has no entry (a record made before the trail)."""
    entry = AuditEntry.objects.for_object(obj).select_related("actor").last()
    if entry is None:
        return "by someone else"
    at = timezone.localtime(entry.at)
    return f"by {display_name(entry.actor, nobody='someone else')} at {at:%H:%M} on {at:%-d %B}"


def refuse_if_changed(instance, seen: Seen | None, *, noun: str = "this") -> None:
    """Raise Stale (with `current`, the record as saved now) when `instance`'s stored values for
    `seen.fields` are no longer those the person's page showed. Locks the row (`select_for_update`)
    until the caller's transaction ends, so two saves at once are checked one after the other.
    `seen` None (a new record, an import, a service called without a form) checks nothing."""
    if seen is None or instance.pk is None:
        return
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    refuse_if_moved(current, seen.value, fingerprint(current, seen.fields), noun=noun)


def refuse_if_moved(record, seen: str | None, now: str, *, noun: str) -> None:
    """Raise Stale (with `record` as `current`) when `now`, the `digest` of what is stored, is not
    `seen`, the digest of what the person's page showed; `record` is whose audit trail says who saved
    meanwhile (the caller has locked it). `seen` None checks nothing. For a save that would overwrite
    rows of a list (an indicator's targets, an area's populations) as well as a record's own values."""
    if seen is None or seen == now:
        return
    raise Stale(
        f"Someone saved {noun} since you opened it ({last_change(record)}). Nothing was saved: your "
        "values are kept below and the saved ones are shown for comparison. Save again to replace them.",
        record,
    )
