"""Publishing reports. A report is published once per cycle; a later version is a correction with
a reason, and the version it replaces stays readable, marked as superseded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import JSONField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from actions.models import ProgressUpdate
from csa_tracker.accounts.figures import figures_changed
from csa_tracker.audit.services import audit_record
from csa_tracker.refusals import NeedsReason, NotAllowed
from cycles.models import CycleState, ReportingCycle
from cycles.services import allowed_cycle_transitions, cycle_mark_published
from reviews.reminders import ASK_ALL, mark_unreachable
from workflow.governing import notify_report_published

from .models import Report
from .outputs import report_outputs_drop
from .rendering import render_html, render_pdf  # noqa: F401 - the benchmark times these
from .snapshot import kept_snapshot, snapshot_unchanged
from .tasks import build_report_outputs


@dataclass
class PublishWarnings:
    """What the publish page warns about (issue 25): `unreviewed`, the cycle's updates still with partners
    or awaiting review; `no_update`, board rows (reviews.board.BoardRow, each with `unreachable` leads) of
    the actions with no update for the cycle at all, whose last published progress the report prints;
    `takes_updates`, whether their leads can be asked for one now (the cycle is open); `may_reopen`,
    whether this person may reopen it."""

    unreviewed: object
    no_update: list
    takes_updates: bool
    may_reopen: bool


def publish_warnings(*, access, cycle: ReportingCycle, today: date) -> PublishWarnings:
    """The publish page's warnings for `cycle`, in a fixed number of queries whatever the plan's size."""
    no_update = ASK_ALL["no_update"](cycle, access, today)
    mark_unreachable(access.partnership, no_update)
    return PublishWarnings(
        unreviewed=unreviewed_updates(cycle),
        no_update=no_update,
        takes_updates=cycle.state == CycleState.OPEN,
        may_reopen="reopen" in allowed_cycle_transitions(access, cycle),
    )


def unreviewed_updates(cycle: ReportingCycle):
    """Progress of the cycle still with partners or awaiting review: a report published now leaves it out."""
    return (
        ProgressUpdate.objects.open()
        .filter(cycle=cycle)
        .select_related("action__plan_priority", "organisation")
        .order_by("action__plan_priority__order", "action__order")
    )


@transaction.atomic
def report_publish(*, access, cycle: ReportingCycle, reason: str = "", notify: bool = True) -> tuple[Report, bool]:
    """Freeze the cycle's report as a new version; returns (report, created).

    Publishing again with nothing changed returns the current version (created False). When the
    content has changed since, the new version is a correction and needs a reason. Once the transaction
    commits, the new version's PDF and .docx are made and stored by the background worker
    (`tasks.build_report_outputs`) and the governing group is e-mailed its link.
    """
    # Lock the cycle so two people publishing at once cannot both create a version, and the partnership's
    # row so no change commits (moving its work generation) before this one does: the report then freezes
    # the partnership exactly as its generations say (`kept_snapshot`).
    cycle = (
        ReportingCycle.objects.manageable_by(access)
        .select_for_update(of=("self", "plan__partnership"))
        .select_related("plan__partnership")
        .filter(pk=cycle.pk)
        .first()
    )
    if cycle is None:
        raise NotAllowed("Only the partnership's Working Group publishes its reports.")
    frozen = kept_snapshot(cycle)
    # The stored content (the bulk of the row, deferred) is read back only when the digests differ: a version
    # with no digest or of an older format may still hold the same (`snapshot_unchanged`). The redirect to the
    # version's address needs its plan, partnership and cycle.
    current = (
        Report.objects.current().filter(cycle=cycle).defer("snapshot").select_related("plan__partnership", "cycle")
    ).first()
    if current is not None and (
        current.snapshot_digest == frozen.digest or snapshot_unchanged(current.snapshot, frozen.data())
    ):
        return current, False
    if current is not None and not reason.strip():
        raise NeedsReason(
            f"Version {current.version} of this report is already published and its content has changed since: "
            "give the reason for publishing a correction."
        )
    report = Report.objects.create(
        plan=cycle.plan,
        cycle=cycle,
        version=current.version + 1 if current else 1,
        published_at=timezone.now(),
        published_by=access.user,
        # Its JSON text as frozen (the same Django would write), not encoded again from the data (issue 26).
        snapshot=Cast(Value(frozen.text), JSONField()),
        snapshot_digest=frozen.digest,
        supersedes=current,
        correction_reason=reason.strip() if current else "",
    )
    del report.snapshot  # read from the row if asked for, as a version read with its snapshot deferred
    if current is None:
        audit_record(report, actor=access.user, verb="publish", summary="Report published")
    else:
        audit_record(
            report, actor=access.user, verb="correct", summary="Report corrected", reason=report.correction_reason
        )
    if current is not None:
        report_outputs_drop(report=current)  # its files must now say it is superseded
    figures_changed(cycle.plan.partnership)  # a new generation of published figures (indicators.figure_cache)
    # Rendering takes seconds: by the worker, once the transaction (and its lock on the cycle) has committed.
    transaction.on_commit(partial(build_report_outputs.enqueue, report.pk))
    if cycle.state != CycleState.PUBLISHED:  # a correction re-publishes an already published cycle
        cycle_mark_published(access=access, cycle=cycle)
    if notify:
        transaction.on_commit(lambda: notify_report_published(report))
    return report, True
