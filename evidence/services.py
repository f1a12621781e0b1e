"""Attaching evidence to a progress update or reading, and removing it, while the item is its author's
to change (a draft, or returned); each is in the audit trail of the item. Files are stored in the
private "evidence" storage under a name of our own; the person's file name is kept only as the name
shown and downloaded."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from csa_tracker.audit.services import audit_record
from csa_tracker.refusals import NotAllowed
from workflow.services import item_save, item_submit
from workflow.transitions import Transition, allowed_transitions

from .checks import CheckedFile, readable_size
from .models import Attachment

STORAGE = "evidence"


def evidence_storage():
    """The private storage evidence lives in (`STORAGES["evidence"]`: a folder, or S3 where configured)."""
    return storages[STORAGE]


def _check_may_change(access, item) -> None:
    if Transition.EDIT not in allowed_transitions(access, item):
        item.kind.policy.check(access, "edit", item)  # another organisation's: the policy's sentence
        raise NotAllowed(
            f"Evidence is attached and removed while the {item.kind.label} is a draft or returned to you; "
            f"it is {item.get_state_display().lower()}."
        )


@transaction.atomic
def attachment_add(*, access, item, checked: CheckedFile) -> Attachment:
    """Store the checked file and attach it to `item`. Raises NotAllowed unless the person may edit the
    item now (its author's organisation or the Working Group, while it is a draft or returned). The
    file is stored before the row is written; if writing the row fails, the file is deleted again."""
    _check_may_change(access, item)
    storage = evidence_storage()
    stored_name = storage.save(f"evidence/{uuid.uuid4().hex}.{checked.extension}", ContentFile(checked.content))
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                **{item.kind.name: item},
                name=checked.name,
                stored_name=stored_name,
                content_type=checked.file_type.content_type,
                label=checked.file_type.label,
                size=checked.size,
                sha256=checked.sha256,
                added_by=access.user,
            )
            audit_record(
                item,
                actor=access.user,
                verb="attach",
                summary=f"Evidence attached: {checked.name} ({checked.file_type.label}, {readable_size(checked.size)})",
            )
    except Exception:
        storage.delete(stored_name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, access, attachment: Attachment) -> None:
    """Remove evidence from a draft or returned item (NotAllowed otherwise). The stored file goes too,
    once no other version of the item (a correction's copy) shares it."""
    item = attachment.item
    _check_may_change(access, item)
    stored_name = attachment.stored_name
    attachment.delete()
    audit_record(item, actor=access.user, verb="detach", summary=f"Evidence removed: {attachment.name}")
    if not Attachment.objects.filter(stored_name=stored_name).exists():
        transaction.on_commit(lambda: evidence_storage().delete(stored_name))


@transaction.atomic
def item_save_with_evidence(
    *, access, model, fields: dict, item=None, version: int | None = None, submit: bool = False, checked=None
):
    """`workflow.services.item_save` with a file attached before any submission, all or nothing: the
    progress form's Save and Submit. `checked` is a `CheckedFile` or None. Returns the saved item.
    Raises what item_save, attachment_add and item_submit raise (nothing is saved then)."""
    saved = item_save(access=access, model=model, fields=fields, item=item, version=version)
    attachment = attachment_add(access=access, item=saved, checked=checked) if checked is not None else None
    if not submit:
        return saved
    try:
        return item_submit(access=access, item=saved, version=saved.version)
    except Exception:
        if attachment is not None:  # the row is rolled back with the submission: its file goes too
            evidence_storage().delete(attachment.stored_name)
        raise


def attachments_of(item):
    """The item's evidence, oldest first."""
    return Attachment.objects.filter(**{item.kind.name: item}).select_related("added_by")
