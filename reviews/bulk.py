"""Publishing several reviewed items at once from the queue: each goes through `item_publish` (so the
version check, the separate-publisher rule and the audit entry apply to each), all or none, and each
author gets one e-mail listing what was published, not one per item."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from csa_tracker.notifications.services import notify
from csa_tracker.refusals import Refusal
from csa_tracker.text import shortened
from workflow.services import item_publish, item_url


class BulkPublishError(Refusal):
    """One item could not be published, so none was; the message names it."""


def items_publish(*, access, items: list[tuple[object, int]]) -> list:
    """Publish every (item, version the person saw); returns the published items. Raises
    BulkPublishError naming the first item refused, after rolling every one back."""
    published = []
    with transaction.atomic():
        for item, version in items:
            try:
                published.append(item_publish(access=access, item=item, version=version, notify=False))
            except Refusal as exc:
                raise BulkPublishError(
                    f"Nothing was published: “{shortened(item.subject_title, 80)}” could not be. {exc}"
                ) from exc
        transaction.on_commit(lambda: notify_authors(published))
    return published


def notify_authors(items: list) -> None:
    by_author: dict = {}
    for item in items:
        if item.author is not None:
            by_author.setdefault(item.author, []).append(item)
    for author, own in by_author.items():
        rows = [(item, settings.SITE_URL + item_url(item)) for item in own]
        notify(
            kind_key="decided",
            recipients=[author],
            partnership=own[0].partnership,
            template="reviews/email/published_many.txt",
            context={"rows": rows, "count": len(rows)},
            url=item_url(own[0]) if len(own) == 1 else "",
        )
