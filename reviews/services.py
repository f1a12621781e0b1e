"""Review decisions on progress updates and indicator readings. Each is atomic and audited
through `workflow.apply_transition`; e-mails go out only once the transaction has committed."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .models import Escalation, ReviewEvent, ReviewState, Transition
from .notifications import notify_decided, notify_submitted
from .rules import rule_flags_for
from .workflow import NotAllowed, WorkflowError, apply_transition, record_event


def review_url(item) -> str:
    return reverse(f"review_{item.review_link_name}", kwargs={"partnership": item.partnership.slug, "pk": item.pk})


def item_url(item) -> str:
    """Where the author works on the item (or reads it, once published)."""
    return reverse(f"{item.review_link_name}_edit", kwargs={"partnership": item.partnership.slug, "pk": item.pk})


def item_save(
    *, access, model, fields: dict, item=None, version: int | None = None, submit: bool = False, notify: bool = True
):
    """Create a draft (when `item` is None) or edit a draft or returned one; then submit if asked.
    A spreadsheet import passes notify=False and tells the Working Group once, not once per row.

    `fields` are the item's own values (text and status, or value and period, with the flag).
    """
    if item is None:
        item = _item_create(access=access, model=model, fields=fields)
    elif all(getattr(item, name) == value for name, value in fields.items()):
        pass  # saved unchanged: no new version and no history entry (issue 16)
    else:
        item = apply_transition(
            item, access=access, transition=Transition.EDIT, expected_version=version, changes=fields
        )
    if submit:
        item = item_submit(access=access, item=item, version=item.version, notify=notify)
    return item


def _item_create(*, access, model, fields: dict):
    item = model(**fields, state=ReviewState.DRAFT, author=access.user)
    if not item.subject_editable_by(access):
        raise NotAllowed("Your organisation does not lead or support this.")
    if not item.accepts_submissions:
        raise NotAllowed("This reporting cycle is locked: updates can no longer be written for it.")
    item.organisation = item.organisation_for(access)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise WorkflowError(
            f"There is already a {model.kind_label} in progress for this; "
            "open it from your list rather than starting another."
        ) from exc
    record_event(item, actor=access.user, transition=Transition.CREATE)
    return item


@transaction.atomic
def items_import(*, access, model, rows: list[tuple[object | None, dict]], flags=rule_flags_for) -> int:
    """Submit many items from a spreadsheet, all or none: each (None, fields) becomes a new item created
    straight in "submitted" with one "Imported" audit entry; each (open item, fields) is edited and
    submitted as in the forms. Rule flags are raised as for one submission (`flags` may look up what is
    already published in memory). E-mails: none per item; the caller tells the Working Group once.
    """
    now = timezone.now()
    allowed, organisations, created = {}, {}, []
    for item, fields in rows:
        if item is not None:
            item_save(
                access=access, model=model, fields=fields, item=item, version=item.version, submit=True, notify=False
            )
            continue
        new = model(**fields, state=ReviewState.SUBMITTED, author=access.user, submitted_at=now)
        subject = new.subject_key
        if subject not in allowed:
            allowed[subject] = new.subject_editable_by(access)
            organisations[subject] = new.organisation_for(access)
        if not allowed[subject]:
            raise NotAllowed(f"Your organisation does not lead or support “{new.subject_title}”.")
        if not new.accepts_submissions:
            raise NotAllowed("This reporting cycle is locked: updates can no longer be written for it.")
        new.organisation = organisations[subject]
        new.rule_flags = flags(new)
        created.append(new)
    try:
        with transaction.atomic():
            model.objects.bulk_create(created, batch_size=1000)
    except IntegrityError as exc:
        raise WorkflowError(
            f"Another {model.kind_label} for one of these rows was started while you were importing; "
            "upload the file again to see the current position."
        ) from exc
    events = [
        ReviewEvent(
            **{model.review_link_name: item}, actor=access.user, transition=Transition.IMPORT, to_state=item.state
        )
        for item in created
    ]
    ReviewEvent.objects.bulk_create(events, batch_size=1000)
    return len(rows)


@transaction.atomic
def item_correct(*, access, item, fields: dict, reason: str):
    """Correct something already published: a new published version that says what it corrects and why.
    The earlier version stays in the history."""
    if not access.is_working_group:
        raise NotAllowed("Only the Working Group edits published wording.")
    if item.state != ReviewState.PUBLISHED:
        raise NotAllowed("Only published items are corrected; edit drafts directly.")
    if not reason.strip():
        raise NotAllowed("Give a reason for the correction: it is shown in the history.")
    model = type(item)
    item = model.objects.select_for_update().get(pk=item.pk)  # two corrections at once: one waits, then is refused
    if model.objects.filter(corrects=item).exists():
        raise NotAllowed("This version has already been corrected; open the latest published version to correct it.")
    if all(getattr(item, name) == value for name, value in fields.items()):
        raise NotAllowed("Nothing was changed: a correction must change something. Nothing was published.")
    now = timezone.now()
    keep = {f.name: getattr(item, f.name) for f in model._meta.concrete_fields if not f.primary_key}
    keep.update(fields)
    keep.update(
        corrects=item,
        correction_reason=reason.strip(),
        author=access.user,
        version=1,
        created_at=now,
        updated_at=now,
        submitted_at=now,
        published_at=now,
        rule_flags=[],
    )
    corrected = model.objects.create(**keep)
    record_event(corrected, actor=access.user, transition=Transition.CORRECT, from_state=item.state, comment=reason)
    corrected.on_published()
    return corrected


def item_submit(*, access, item, version: int, notify: bool = True):
    """Send a draft or returned item to the Working Group, with the flags rules raise on it."""
    if not item.accepts_submissions:
        raise NotAllowed("This reporting cycle is locked: the Working Group must reopen it before you can submit.")
    item = apply_transition(
        item,
        access=access,
        transition=Transition.SUBMIT,
        expected_version=version,
        changes={"rule_flags": rule_flags_for(item)},
    )
    if notify:
        transaction.on_commit(
            lambda: notify_submitted(item, partnership=access.partnership, review_url=review_url(item))
        )
    return item


def item_withdraw(*, access, item, version: int):
    return apply_transition(item, access=access, transition=Transition.WITHDRAW, expected_version=version)


def item_return(*, access, item, version: int, comment: str, notify: bool = True):
    if not comment.strip():
        raise NotAllowed("Say what needs to change: a comment is required to return an item.")
    item = apply_transition(
        item, access=access, transition=Transition.RETURN, expected_version=version, comment=comment
    )
    if notify:
        transaction.on_commit(lambda: notify_decided(item, decision="returned", comment=comment, url=item_url(item)))
    return item


@transaction.atomic
def item_publish(*, access, item, version: int, comment: str = "", escalation_note: str = "", notify: bool = True):
    """Approve and publish; the published version replaces the previous one on the plan. With a
    note, also escalate it to the governing group."""
    item = apply_transition(
        item, access=access, transition=Transition.PUBLISH, expected_version=version, comment=comment
    )
    item.on_published()
    if escalation_note.strip():
        item_escalate(access=access, item=item, note=escalation_note)
    if notify:
        transaction.on_commit(lambda: notify_decided(item, decision="published", comment=comment, url=item_url(item)))
    return item


@transaction.atomic
def item_escalate(*, access, item, note: str) -> Escalation:
    if not access.is_working_group:
        raise NotAllowed("Only the Working Group escalates to the governing group.")
    if item.state != ReviewState.PUBLISHED:
        raise NotAllowed("Only published items can be escalated.")
    if not note.strip():
        raise NotAllowed("Write a note for the governing group: an escalation needs one.")
    if Escalation.objects.filter(**{item.review_link_name: item}, note=note.strip()).exists():
        raise NotAllowed("This was already escalated to the governing group with this note.")
    escalation = Escalation.objects.create(
        **{item.review_link_name: item}, cycle=item.reporting_cycle, note=note.strip(), escalated_by=access.user
    )
    record_event(item, actor=access.user, transition=Transition.ESCALATE, from_state=item.state, comment=note)
    return escalation
