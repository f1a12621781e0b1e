"""What the dashboards read from the review workflow, in a fixed number of queries."""

from dataclasses import dataclass

from .kinds import KINDS
from .models import Escalation, ReviewState


@dataclass(frozen=True)
class QueueSummary:
    waiting: int
    flagged: int


def queue_summary(access) -> QueueSummary:
    """How many submitted items wait for the Working Group, and how many of them are flagged."""
    waiting = flagged = 0
    for kind in KINDS.values():
        submitted = kind.model.objects.visible_to(access).filter(state=ReviewState.SUBMITTED)
        waiting += submitted.count()
        flagged += submitted.exclude(flag="", rule_flags=[]).count()
    return QueueSummary(waiting=waiting, flagged=flagged)


def recent_escalations(access, limit: int = 10):
    return Escalation.objects.visible_to(access).select_related(
        "cycle", "escalated_by", "update__action", "reading__indicator", "reading__geography"
    )[:limit]


def returned_to(access) -> list:
    """Items the Working Group returned to the person's organisations, oldest first."""
    items = []
    for kind in KINDS.values():
        items += kind.visible(access).filter(state=ReviewState.RETURNED, organisation_id__in=access.organisation_ids)
    return sorted(items, key=lambda item: item.updated_at)
