"""Review decisions on progress updates and indicator readings. Every state change goes through the
review state machine (`workflow.transitions`), which is atomic and audited; e-mails go out only once
the transaction has committed. Refusals are `csa_tracker.refusals` exceptions."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse

from csa_tracker.accounts.figures import figures_changed
from csa_tracker.audit.services import audit_record
from csa_tracker.audit.stale import last_change
from csa_tracker.audit.verbs import Verb
from csa_tracker.messages import a_or_an
from csa_tracker.refusals import NotAllowed, Refusal, Stale

from .conversation import decision_comment
from .governing import queue_escalation_notice
from .kinds import kind_of
from .models import CommentOccasion, Escalation, ReviewState, flag_fields
from .notifications import notify_decided, notify_submitted
from .transitions import Transition, machine


def review_url(item) -> str:
    return reverse(f"review_{item.kind.name}", kwargs={"partnership": item.partnership.slug, "pk": item.pk})


def item_url(item) -> str:
    """Where the author works on the item (or reads it, once published)."""
    return reverse(f"{item.kind.name}_edit", kwargs={"partnership": item.partnership.slug, "pk": item.pk})


def _already_open(model) -> Refusal:
    return Refusal(
        f"There is already {a_or_an(kind_of(model).label)} in progress for this; "
        "open it from your list rather than starting another."
    )


def _refuse_locked_cycle(item) -> None:
    if not item.accepts_submissions:
        raise NotAllowed("This reporting cycle is locked: the Working Group must reopen it before you can submit.")


def item_save(
    *,
    access,
    model,
    fields: dict,
    item=None,
    version: int | None = None,
    submit: bool = False,
    notify: bool = True,
    flags=None,
):
    """Create a draft (when `item` is None) or edit a draft or returned one; then submit if asked.
    A spreadsheet import passes notify=False and tells the Working Group once, not once per row.

    `fields` are the item's own values (text and status, or value and period, with the flag).
    An edit that changes nothing is not saved and leaves no audit entry.

    A new item whose subject already has one in progress (another tab, a colleague) is refused with
    Stale, the one in progress as `current`, unless `version` is that item's: the person saw it beside
    their text and chose to replace it, which edits it (Stale again if it changed meanwhile).
    `flags(item)` gives the rule flags on submission (default the item's own rules; an import's lookup).
    """
    if item is None and version is not None:
        item = kind_of(model).open_twin(model(**fields))
    if item is None:
        item = _item_create(access=access, model=model, fields=fields)
        version = item.version
    elif any(getattr(item, name) != value for name, value in fields.items()):
        item = machine(model).apply(
            item, access=access, transition=Transition.EDIT, expected_version=version, changes=fields
        )
        version = item.version
    if submit:
        item = item_submit(access=access, item=item, version=version, notify=notify, flags=flags)
    return item


def _item_create(*, access, model, fields: dict):
    item = model(**fields, author=access.user)
    policy = kind_of(model).policy
    policy.check(access, "edit", item)
    if not item.accepts_submissions:
        raise NotAllowed("This reporting cycle is locked: updates can no longer be written for it.")
    item.organisation = policy.acting_organisation(access, item)
    try:
        with transaction.atomic():
            machine(model).create([item], access=access, transition=Transition.CREATE)
    except IntegrityError as exc:
        twin = kind_of(model).open_twin(item)
        if twin is None:
            raise _already_open(model) from exc
        raise Stale(
            f"Someone saved this {kind_of(model).label} since you opened it ({last_change(twin)}). Your text is "
            "kept below; the saved version is shown for comparison. Save again to replace it.",
            twin,
        ) from exc
    return item


@transaction.atomic
def items_import(*, access, model, rows: list[tuple[object | None, dict]], flags=None) -> int:
    """Submit many items from a spreadsheet, all or none: each (None, fields) becomes a new item through
    the "import" transition (straight to submitted, one "Imported" audit entry each); each (open item,
    fields) is edited and submitted as in the forms. Rule flags are raised as for one submission
    (`flags(item)` may look up what is already published in memory; default the item's own rules).
    E-mails: none per item; the caller tells the Working Group once. Raises a Refusal for any row.
    """
    flags = flags or (lambda item: item.compute_rule_flags())
    kind = kind_of(model)
    organisations, created = {}, []
    for item, fields in rows:
        if item is not None:
            item_save(
                access=access,
                model=model,
                fields=fields,
                item=item,
                version=item.version,
                submit=True,
                notify=False,
                flags=flags,
            )
            continue
        new = model(**fields, author=access.user)
        if not new.accepts_submissions:
            raise NotAllowed("This reporting cycle is locked: updates can no longer be written for it.")
        subject = new.subject_key
        if subject not in organisations:
            if not kind.policy.permits(access, "edit", new):
                raise NotAllowed(f"Your organisation does not lead or support “{new.subject_title}”.")
            organisations[subject] = kind.policy.acting_organisation(access, new)
        new.organisation = organisations[subject]
        new.rule_flags = flags(new)
        created.append(new)
    if created:
        try:
            with transaction.atomic():
                machine(model).create(created, access=access, transition=Transition.IMPORT)
        except IntegrityError as exc:
            raise Refusal(
                f"Another {kind.label} for one of these rows was started while you were importing; "
                "upload the file again to see the current position."
            ) from exc
        _reflag_waiting(access=access, model=model, items=created, flags=flags)
    return len(rows)


@transaction.atomic
def item_correct(*, access, item, fields: dict, reason: str):
    """Correct something already published: a new version, made through the "correct" transition,
    that says what it corrects and why, and carries the version's child records (`ItemKind.children`).
    It is then published as anything submitted is: at once where the partnership does not ask for a
    second person, otherwise by another member of the Working Group (`workflow.publishers`), from the
    review queue. The earlier version stays in the history. Raises NotAllowed, NeedsReason."""
    if item.state != ReviewState.PUBLISHED:
        raise NotAllowed("Only published items are corrected; edit drafts directly.")
    model = type(item)
    kind = kind_of(model)
    item = model.objects.select_for_update().get(pk=item.pk)  # two corrections at once: one waits, then is refused
    waiting = model.objects.filter(corrects=item).first()
    if waiting is not None and waiting.state != ReviewState.PUBLISHED:
        raise NotAllowed("A correction of this version is already waiting for review: open it from the review queue.")
    if waiting is not None:
        raise NotAllowed("This version has already been corrected; open the latest published version to correct it.")
    if all(getattr(item, name) == value for name, value in fields.items()):
        raise NotAllowed("Nothing was changed: a correction must change something. Nothing was published.")
    keep = {f.name: getattr(item, f.name) for f in model._meta.concrete_fields if not f.primary_key}
    for auto in ("state", "version", "created_at", "updated_at", "submitted_at", "published_at"):
        keep.pop(auto)
    keep.update(fields)
    keep.update(corrects=item, correction_reason=reason.strip(), author=access.user, rule_flags=[])
    corrected = model(**keep)
    machine(model).create([corrected], access=access, transition=Transition.CORRECT, reason=reason)
    kind.copy_children(item, corrected)
    if kind.policy.permits(access, "publish", corrected):
        return item_publish(access=access, item=corrected, version=corrected.version, notify=False)
    transaction.on_commit(
        lambda: notify_submitted(corrected, partnership=access.partnership, review_url=review_url(corrected))
    )
    return corrected


@transaction.atomic
def item_submit(*, access, item, version: int, notify: bool = True, flags=None):
    """Send a draft or returned item to the Working Group, with the flags rules raise on it (`flags(item)`,
    default the item's own rules); items already waiting whose flags read this one are flagged again
    (`_reflag_waiting`, issue 25)."""
    flags = flags or (lambda item: item.compute_rule_flags())
    _refuse_locked_cycle(item)
    item = machine(type(item)).apply(
        item,
        access=access,
        transition=Transition.SUBMIT,
        expected_version=version,
        changes={"rule_flags": flags(item)},
    )
    _reflag_waiting(access=access, model=type(item), items=[item], flags=flags)
    if notify:
        transaction.on_commit(
            lambda: notify_submitted(item, partnership=access.partnership, review_url=review_url(item))
        )
    return item


def _reflag_waiting(*, access, model, items: list, flags) -> int:
    """Work out again the rule flags of the items already waiting for review that read one of `items`
    (`model.flags_read_from`: a later reading compared with a figure submitted after it, in the same
    round), storing and auditing those that change. Returns how many changed. Issue 25: the threshold
    flag was missed when the comparison figure came second."""
    changed = 0
    for waiting in model.flags_read_from(items):
        raised = flags(waiting)
        if raised == waiting.rule_flags:
            continue
        before = waiting.rule_flags
        model.objects.filter(pk=waiting.pk).update(rule_flags=raised, **flag_fields(waiting, {"rule_flags": raised}))
        audit_record(
            waiting,
            actor=access.user,
            verb=Verb.EDIT,
            summary="Flags worked out again: the figure it is compared with was submitted",
            changes={"Flags": [_flag_words(before), _flag_words(raised)]},
        )
        changed += 1
    return changed


def _flag_words(flags: list[dict]) -> str:
    return " ".join(flag["message"] for flag in flags)


def item_withdraw(*, access, item, version: int):
    return machine(type(item)).apply(item, access=access, transition=Transition.WITHDRAW, expected_version=version)


@transaction.atomic
def item_return(*, access, item, version: int, comment: str, notify: bool = True):
    """Return a submitted item to its author with a comment, which opens (or continues) the item's
    conversation. Raises NeedsReason without a comment, Stale, NotAllowed."""
    # The text as returned, so the reviewer later sees what changed since their comment.
    kept = {"returned_text": item.text} if item.kind.keeps_returned_text else None
    item = machine(type(item)).apply(
        item, access=access, transition=Transition.RETURN, expected_version=version, reason=comment, changes=kept
    )
    decision_comment(access=access, item=item, occasion=CommentOccasion.RETURNED, text=comment)
    if notify:
        transaction.on_commit(lambda: notify_decided(item, decision="returned", comment=comment, url=item_url(item)))
    return item


@transaction.atomic
def item_publish(*, access, item, version: int, comment: str = "", escalation_note: str = "", notify: bool = True):
    """Approve and publish; the published version replaces the previous one on the plan. A comment
    joins the item's conversation. With a note, also escalate it to the governing group."""
    item = machine(type(item)).apply(
        item, access=access, transition=Transition.PUBLISH, expected_version=version, reason=comment
    )
    decision_comment(access=access, item=item, occasion=CommentOccasion.PUBLISHED, text=comment)
    item.on_published()
    figures_changed(access.partnership)  # a new generation of published figures (indicators.figure_cache)
    if escalation_note.strip():
        item_escalate(access=access, item=item, note=escalation_note, notify=notify)
    if notify:
        transaction.on_commit(lambda: notify_decided(item, decision="published", comment=comment, url=item_url(item)))
    return item


@transaction.atomic
def item_escalate(*, access, item, note: str, notify: bool = True) -> Escalation:
    """Raise a published item to the governing group in its reporting cycle, with a note. The governing
    group is e-mailed once per transaction, whatever the number of escalations in it (workflow.governing)."""
    if Escalation.objects.filter(**{item.kind.name: item}, note=note.strip()).exists():
        raise NotAllowed("This was already escalated to the governing group with this note.")
    item = machine(type(item)).apply(
        item, access=access, transition=Transition.ESCALATE, expected_version=item.version, reason=note
    )
    escalation = Escalation.objects.create(
        **{item.kind.name: item}, cycle=item.reporting_cycle, note=note.strip(), escalated_by=access.user
    )
    if notify:
        queue_escalation_notice(escalation)
    return escalation
