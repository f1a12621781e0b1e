"""The lists people can download, each with the same access rule as its page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from actions.models import Action, ProgressUpdate
from actions.policies import ACTIONS, UPDATES
from csa_tracker.audit.models import AUDIT_COLUMNS, AuditEntry
from csa_tracker.audit.policies import AUDIT
from indicators.models import IndicatorReading
from indicators.policies import READINGS

from .importers import ActionImporter, ReadingImporter, UpdateImporter


@dataclass(frozen=True)
class ExportList:
    title: str
    policy: object  # the listed model's policy: whoever it lets "read" may download the list
    header: list[str]
    rows: object  # (access) -> iterable of rows

    def readable_by(self, access) -> bool:
        return self.policy.permits(access, "read")


def _not_superseded(items, *, same_subject: dict):
    """Drop published versions that a later published version of the same subject replaced."""
    newer = items.model.objects.published().filter(
        **{name: OuterRef(name) for name in same_subject}, published_at__gt=OuterRef("published_at")
    )
    return items.exclude(Exists(newer))


def _readings(access):
    readings = _not_superseded(
        IndicatorReading.objects.visible_to(access), same_subject={"indicator", "geography", "period_end"}
    )
    readings = readings.select_related("indicator__partnership", "geography").order_by(
        "indicator__name", "geography__name", "period_end"
    )
    return (ReadingImporter.export_row(reading) for reading in readings.iterator(chunk_size=2000))


def _updates(access):
    updates = _not_superseded(ProgressUpdate.objects.visible_to(access), same_subject={"action"})
    updates = updates.select_related("action", "status", "cycle").order_by("action_id", "created_at")
    return (UpdateImporter.export_row(update) for update in updates.iterator(chunk_size=2000))


def _actions(access):
    actions = (
        Action.objects.visible_to(access)
        .select_related("plan_priority__plan", "status", "funding")
        .prefetch_related("leads", "supporters", "themes")
        .order_by("plan_priority__plan__slug", "plan_priority__order", "order")
    )
    return (ActionImporter.export_row(action) for action in actions)


def _audit(access):
    entries = AuditEntry.objects.visible_to(access).select_related("actor", "content_type").order_by("at", "pk")
    for entry in entries.iterator(chunk_size=2000):
        yield [entry.content_type.name.capitalize(), entry.object_id, *entry.cells()]


LISTS = {
    "actions": ExportList("Actions", ACTIONS, ActionImporter().headers, _actions),
    "updates": ExportList("Progress updates", UPDATES, UpdateImporter().headers, _updates),
    "readings": ExportList("Indicator readings", READINGS, ReadingImporter().headers, _readings),
    "audit": ExportList("Audit trail", AUDIT, ["Kind", "ID", *AUDIT_COLUMNS], _audit),
}
