"""The governing group's loop: escalations are e-mailed to its members once per publication round,
they record a response (noted, or action requested with a note), and each published report is
e-mailed to them with a link.

A *publication round* is one database transaction: every escalation created inside it (one publish
with an escalation, or a bulk publish of many items) is collected and sent as one message per
partnership once the transaction commits; nothing is sent when it rolls back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from csa_tracker.accounts.policies import Can, members_who_can
from csa_tracker.audit.services import audit_record
from csa_tracker.notifications.services import notify
from csa_tracker.refusals import NotAllowed

from .models import Escalation, EscalationResponse, ResponseKind
from .policies import ESCALATIONS

_BATCH_ATTRIBUTE = "_csa_escalation_batch"


def governing_group(partnership):
    """The partnership's active governing group members (who respond to escalations)."""
    return members_who_can(partnership, Can.RESPOND)


class _Batch:
    def __init__(self):
        self.escalations: list[Escalation] = []

    def send(self) -> None:
        by_partnership: dict = {}
        for escalation in self.escalations:
            by_partnership.setdefault(escalation.cycle.plan.partnership, []).append(escalation)
        self.escalations = []
        for partnership, escalations in by_partnership.items():
            notify_escalated(partnership, escalations)


def queue_escalation_notice(escalation: Escalation) -> None:
    """Add the escalation to this transaction's round; the round's one e-mail goes after commit."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        notify_escalated(escalation.cycle.plan.partnership, [escalation])
        return
    batch = getattr(connection, _BATCH_ATTRIBUTE, None)
    # A batch whose transaction rolled back is no longer among the callbacks waiting for the commit.
    if batch is None or not any(func == batch.send for _, func, _ in connection.run_on_commit):
        batch = _Batch()
        setattr(connection, _BATCH_ATTRIBUTE, batch)
        transaction.on_commit(batch.send)
    batch.escalations.append(escalation)


def escalation_url(escalation: Escalation) -> str:
    partnership = escalation.cycle.plan.partnership
    return settings.SITE_URL + reverse(
        "escalation_detail", kwargs={"partnership": partnership.slug, "pk": escalation.pk}
    )


def notify_escalated(partnership, escalations: list[Escalation]) -> None:
    """One message to the governing group listing every escalation of the round, each with its link."""
    rows = [(escalation, escalation_url(escalation)) for escalation in escalations]
    list_path = reverse("escalations", kwargs={"partnership": partnership.slug})
    context = {"partnership": partnership, "rows": rows, "count": len(rows), "list_url": settings.SITE_URL + list_path}
    notify(
        kind_key="escalated",
        recipients=governing_group(partnership),
        partnership=partnership,
        template="reviews/email/escalated.txt",
        context=context,
        url=list_path,
    )


def notify_report_published(report) -> None:
    """Tell the governing group a report (or a correction of one) is published, with its link."""
    partnership = report.plan.partnership
    context = {"report": report, "url": settings.SITE_URL + report.get_absolute_url()}
    notify(
        kind_key="report_published",
        recipients=governing_group(partnership),
        partnership=partnership,
        template="reviews/email/report_published.txt",
        context=context,
        url=report.get_absolute_url(),
    )


@transaction.atomic
def escalation_respond(*, access, escalation: Escalation, kind: str, note: str = "") -> EscalationResponse:
    """Record the governing group's response, in the audit trail too. Raises NotAllowed for any other
    role, for another partnership's escalation, and for "action requested" without a note saying what
    action."""
    ESCALATIONS.check(access, "respond", escalation)
    if kind not in ResponseKind.values:
        raise NotAllowed("Choose whether the governing group noted it or requests action.")
    note = note.strip()
    if kind == ResponseKind.ACTION_REQUESTED and not note:
        raise NotAllowed("Say what action the governing group requests: a note is needed.")
    response = EscalationResponse.objects.create(escalation=escalation, kind=kind, note=note, responded_by=access.user)
    audit_record(
        escalation,
        actor=access.user,
        verb="respond",
        summary=f"Governing group's response: {response.get_kind_display()}",
        reason=note,
        partnership=access.partnership,
    )
    return response
