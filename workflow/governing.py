"""The governing group's loop: escalations are e-mailed to its members once per publication round,
they record a response (noted, or action requested with a note), and each published report is
e-mailed to them with a link. Action requested is a request (`models.GoverningRequest`) followed to
its close (issue 25): made of an owner organisation by a due date and e-mailed to its partners and the
Working Group, answered by those partners, closed by the Working Group or the governing group with a
note; each step in the audit trail and told to the others.

A *publication round* is one database transaction: every escalation created inside it (one publish
with an escalation, or a bulk publish of many items) is collected and sent as one message per
partnership once the transaction commits; nothing is sent when it rolls back.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from csa_tracker.accounts.policies import Can, members_of_organisations_who_can, members_who_can
from csa_tracker.audit.services import audit_record
from csa_tracker.dates import day_in_words
from csa_tracker.notifications.services import notify
from csa_tracker.refusals import Invalid, Stale

from .models import Escalation, EscalationResponse, GoverningRequest, RequestState, ResponseKind
from .policies import ESCALATIONS, REQUESTS

_BATCH_ATTRIBUTE = "_csa_escalation_batch"
EMPTY_ANSWER = "Answer: say what your organisation has done or will do."
EMPTY_CLOSE_NOTE = "Note: say why the request is closed."


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


def default_owner(escalation: Escalation):
    """The organisation a request is made of unless the governing group names another: the first lead
    organisation (by name) of the escalated action or indicator, or None when it has none."""
    item = escalation.item
    subject = item.action if escalation.update_id else item.indicator
    return subject.leads.order_by("name", "pk").first()


@transaction.atomic
def escalation_respond(
    *,
    access,
    escalation: Escalation,
    kind: str,
    note: str = "",
    owner=None,
    due: date | None = None,
) -> EscalationResponse:
    """Record the governing group's response, in the audit trail too. "Action requested" also makes a
    request (`GoverningRequest`) of `owner` (an Organisation of the partnership) due by `due` (today or
    later), audited apart and e-mailed after the commit to the owner's partners and the Working Group.
    Raises NotAllowed for any other role and for another partnership's escalation; Invalid (on the
    fields note, owner, due) for a request without a note, an owner of the partnership or a due date,
    and for the same response (kind and note) given again."""
    ESCALATIONS.check(access, "respond", escalation)
    if kind not in ResponseKind.values:
        raise Invalid({"kind": "Choose whether the governing group noted it or requests action."})
    note = note.strip()
    requested = kind == ResponseKind.ACTION_REQUESTED
    if requested:
        _check_request(access, note=note, owner=owner, due=due)
    # A form sent twice (a double click, a back button) records one response and makes one request.
    if EscalationResponse.objects.filter(escalation=escalation, kind=kind, note=note).exists():
        raise Invalid({"note": "Note: the governing group already gave this response; change the note to add another."})
    response = EscalationResponse.objects.create(escalation=escalation, kind=kind, note=note, responded_by=access.user)
    audit_record(
        escalation,
        actor=access.user,
        verb="respond",
        summary=f"Governing group's response: {response.get_kind_display()}",
        reason=note,
        partnership=access.partnership,
    )
    if requested:
        request = GoverningRequest.objects.create(response=response, escalation=escalation, owner=owner, due=due)
        audit_record(
            request,
            actor=access.user,
            verb="request",
            summary=f"Action requested of {owner.name}, due {day_in_words(due)}",
            reason=note,
            partnership=access.partnership,
        )
        transaction.on_commit(lambda: notify_request(request, step="requested"))
    return response


def _check_request(access, *, note: str, owner, due: date | None) -> None:
    errors = {}
    if not note:
        errors["note"] = "Note: say what action the governing group requests."
    if owner is None or owner.partnership_id != access.partnership.pk:
        errors["owner"] = "Organisation asked to act: choose one of the partnership's organisations."
    if due is None:
        errors["due"] = "Due by: enter the date the action is due by."
    elif due < timezone.localdate():
        errors["due"] = "Due by: the date cannot be in the past."
    if errors:
        raise Invalid(errors)


def request_url(request: GoverningRequest) -> str:
    """The escalation's page, where the request is read, answered and closed (relative)."""
    partnership = request.escalation.cycle.plan.partnership
    path = reverse("escalation_detail", kwargs={"partnership": partnership.slug, "pk": request.escalation_id})
    return f"{path}#request-{request.pk}"


def _request_recipients(request: GoverningRequest, step: str) -> list:
    """Who hears of each step: the owner's partners and the Working Group of a new request; the Working
    Group and the governing group of an answer; all of them of the close."""
    partnership = request.escalation.cycle.plan.partnership
    owners = members_of_organisations_who_can(partnership, [request.owner_id], Can.WRITE_PROGRESS)
    reviewers = members_who_can(partnership, Can.REVIEW)
    if step == "requested":
        return [*owners, *reviewers]
    if step == "answered":
        return [*reviewers, *governing_group(partnership)]
    return [*owners, *reviewers, *governing_group(partnership)]


def notify_request(request: GoverningRequest, *, step: str) -> None:
    """Tell those concerned that the request was made, answered or closed (`step`: "requested",
    "answered", "closed"), with a link to the escalation's page."""
    request = GoverningRequest.objects.select_related(
        "owner", "response", "escalation__cycle__plan__partnership", "answered_by", "closed_by"
    ).get(pk=request.pk)
    partnership = request.escalation.cycle.plan.partnership
    url = request_url(request)
    context = {
        "request": request,
        "step": step,
        "subject": " ".join(request.escalation.item.subject_title.split()),
        "partnership": partnership,
        "url": settings.SITE_URL + url,
    }
    notify(
        kind_key="governing_request",
        recipients=_request_recipients(request, step),
        partnership=partnership,
        template="reviews/email/governing_request.txt",
        context=context,
        url=url,
    )


def _locked(access, request: GoverningRequest, act: str) -> GoverningRequest:
    """The request's row, locked, after the policy allows `act` on it as it is now."""
    current = GoverningRequest.objects.select_for_update().select_related("owner", "response").get(pk=request.pk)
    if current.state == RequestState.CLOSED:
        raise Stale("This request is closed already: nothing more can be done to it.", current=current)
    REQUESTS.check(access, act, current)
    return current


def _request_step(
    *, access, request: GoverningRequest, state: str, fields: dict, verb: str, summary: str, reason: str, step: str
) -> GoverningRequest:
    """Move the locked request to `state` with `fields` (name: value), record `verb` in the audit trail
    with `summary` and `reason`, and tell those concerned by `step` once committed."""
    for name, value in fields.items():
        setattr(request, name, value)
    request.state = state
    request.save(update_fields=[*fields, "state"])
    audit_record(request, actor=access.user, verb=verb, summary=summary, reason=reason, partnership=access.partnership)
    transaction.on_commit(lambda: notify_request(request, step=step))
    return request


@transaction.atomic
def request_answer(*, access, request: GoverningRequest, answer: str) -> GoverningRequest:
    """A partner of the organisation asked answers the request (again, while it is open: the latest
    answer stands), in the audit trail; the Working Group and the governing group are told after the
    commit. Raises NotAllowed for anyone else, Stale for a closed request, Invalid (on "answer") for an
    empty answer or the one already given."""
    request = _locked(access, request, "answer")
    answer = answer.strip()
    if not answer:
        raise Invalid({"answer": EMPTY_ANSWER})
    if answer == request.answer:
        raise Invalid({"answer": "Answer: this is the answer already given; change it to answer again."})
    return _request_step(
        access=access,
        request=request,
        state=RequestState.ANSWERED,
        fields={"answer": answer, "answered_by": access.user, "answered_at": timezone.now()},
        verb="answer",
        summary=f"Request of the governing group answered for {request.owner.name}",
        reason=answer,
        step="answered",
    )


@transaction.atomic
def request_close(*, access, request: GoverningRequest, note: str) -> GoverningRequest:
    """The Working Group or the governing group closes the request with a note (answered or not), in the
    audit trail; everyone concerned is told after the commit. Raises NotAllowed for anyone else, Stale
    for a request already closed, Invalid (on "note") without a note."""
    request = _locked(access, request, "close")
    note = note.strip()
    if not note:
        raise Invalid({"note": EMPTY_CLOSE_NOTE})
    return _request_step(
        access=access,
        request=request,
        state=RequestState.CLOSED,
        fields={"close_note": note, "closed_by": access.user, "closed_at": timezone.now()},
        verb="close",
        summary=f"Request of the governing group to {request.owner.name} closed",
        reason=note,
        step="closed",
    )
