"""The conversation on a progress update or reading: the partners of its organisation and the Working
Group write to each other on the item itself (`models.Comment`), each comment in the audit trail and
told to the other side (`notifications.notify_commented`). The comment a reviewer returns or
publishes an item with opens or continues it (`services.item_return`, `item_publish`). Comments belong
to one version and are carried by its correction; they are never published."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from csa_tracker.audit.services import audit_record
from csa_tracker.refusals import Invalid

from .models import Comment
from .notifications import notify_commented


def conversation_url(item) -> str:
    """The item's conversation page, where either side reads and replies."""
    return reverse(f"{item.kind.name}_conversation", kwargs={"partnership": item.partnership.slug, "pk": item.pk})


def may_converse(access, item) -> bool:
    """Whether this person reads and writes the item's conversation (the item's policy, "converse")."""
    return item.kind.policy.permits(access, "converse", item)


def comments_on(item):
    """The item's conversation, oldest first, with who wrote each comment."""
    return Comment.objects.filter(**{item.kind.name: item}).select_related("author")


@transaction.atomic
def comment_add(*, access, item, text: str) -> Comment:
    """Add a comment by this person to the item's conversation, record it in the audit trail and, once
    committed, tell the other side. Raises NotAllowed when the item's policy does not let them converse
    ("converse"), Invalid ({"text": ...}) for an empty comment."""
    kind = item.kind
    kind.policy.check(access, "converse", item)
    text = text.strip()
    if not text:
        raise Invalid({"text": "Write your message before sending it: it is empty."})
    comment = Comment.objects.create(
        **{kind.name: item},
        author=access.user,
        from_working_group=kind.policy.permits(access, "review", item),
        text=text,
    )
    audit_record(item, actor=access.user, verb="comment", summary=f"Comment on the {kind.label}", reason=text)
    url = conversation_url(item)
    transaction.on_commit(lambda: notify_commented(comment, from_working_group=comment.from_working_group, url=url))
    return comment


def decision_comment(*, access, item, occasion: str, text: str) -> Comment | None:
    """The comment a reviewer returned or published the item with, as an entry of its conversation
    (the transition's own audit entry records it, so no second one). None when there is no text."""
    text = text.strip()
    if not text:
        return None
    return Comment.objects.create(
        **{item.kind.name: item}, author=access.user, from_working_group=True, text=text, occasion=occasion
    )
