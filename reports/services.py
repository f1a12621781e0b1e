"""Publishing reports. A report is published once per cycle; a later version is a correction with
a reason, and the version it replaces stays readable, marked as superseded."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from actions.models import ProgressUpdate
from cycles.models import CycleState, ReportingCycle
from cycles.services import cycle_mark_published
from reviews.governing import notify_report_published
from reviews.workflow import NotAllowed, WorkflowError

from .models import Report
from .rendering import render_html, render_pdf  # noqa: F401 - the benchmark times these
from .snapshot import build_snapshot


class NeedsReason(WorkflowError):
    """The cycle's report is already published and its content has changed: that is a correction."""


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
    content has changed since, the new version is a correction and needs a reason. Each new version
    is e-mailed to the governing group with its link, once the transaction commits.
    """
    if not access.is_working_group:
        raise NotAllowed("Only the Working Group publishes reports.")
    # Lock the cycle so two people publishing at once cannot both create a version.
    cycle = ReportingCycle.objects.select_for_update().select_related("agreement__partnership").get(pk=cycle.pk)
    if cycle.agreement.partnership_id != access.partnership.pk:
        raise NotAllowed("This cycle belongs to another partnership.")
    snapshot = build_snapshot(cycle)
    current = Report.objects.current().filter(cycle=cycle).first()
    if current is not None and current.snapshot == snapshot:
        return current, False
    if current is not None and not reason.strip():
        raise NeedsReason(
            f"Version {current.version} of this report is already published and its content has changed since: "
            "publish a correction, with a reason, instead."
        )
    report = Report.objects.create(
        agreement=cycle.agreement,
        cycle=cycle,
        version=current.version + 1 if current else 1,
        published_at=timezone.now(),
        published_by=access.user,
        snapshot=snapshot,
        supersedes=current,
        correction_reason=reason.strip() if current else "",
    )
    if cycle.state != CycleState.PUBLISHED:  # a correction re-publishes an already published cycle
        cycle_mark_published(access=access, cycle=cycle)
    if notify:
        transaction.on_commit(lambda: notify_report_published(report))
    return report, True
