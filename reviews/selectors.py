"""What the dashboards read from the review workflow, in a fixed number of queries."""

import heapq
from dataclasses import dataclass
from itertools import islice

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from .kinds import KINDS
from .models import Escalation, ReviewState

NOT_FLAGGED = Q(flag="", rule_flags=[])


def submitted(kind, access, *, flagged_only: bool = False):
    """A kind's submitted items in queue order: flagged first, then the longest waiting."""
    items = kind.visible(access).filter(state=ReviewState.SUBMITTED)
    if flagged_only:
        items = items.exclude(NOT_FLAGGED)
    unflagged = Case(When(NOT_FLAGGED, then=Value(1)), default=Value(0), output_field=IntegerField())
    waiting_since = Coalesce("submitted_at", "created_at")
    return items.annotate(unflagged=unflagged, waiting_since=waiting_since).order_by("unflagged", "waiting_since", "pk")


class ReviewQueue:
    """Submitted progress updates and readings as one list for the paginator: each kind is ordered in the
    database and the two are merged, reading only as far as the page asked for."""

    def __init__(self, querysets, *, key=None, reverse: bool = False):
        """`key` (with `reverse`) must match each queryset's own ordering; the default is the queue order."""
        self.querysets = list(querysets)
        self.key = key or (lambda item: (item.unflagged, item.waiting_since))
        self.reverse = reverse

    def count(self) -> int:
        return sum(queryset.count() for queryset in self.querysets)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        stop = index.stop
        merged = heapq.merge(*(queryset[:stop] for queryset in self.querysets), key=self.key, reverse=self.reverse)
        return list(islice(merged, index.start or 0, stop))


@dataclass(frozen=True)
class QueueSummary:
    waiting: int
    flagged: int


def queue_summary(access) -> QueueSummary:
    """How many submitted items wait for the Working Group, and how many of them are flagged."""
    waiting = flagged = 0
    for kind in KINDS.values():
        items = kind.model.objects.visible_to(access).filter(state=ReviewState.SUBMITTED)
        waiting += items.count()
        flagged += items.exclude(NOT_FLAGGED).count()
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
