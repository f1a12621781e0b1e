"""What the workflow tells people (through `csa_tracker.notifications.services.notify`, which lists it
on their Notifications page and e-mails it as they chose): the Working Group when something is
submitted, the author when it is returned or published, the other side of an item's conversation
when someone writes in it. Plain text, with a link straight to the page that needs them."""

from django.conf import settings

from csa_tracker.accounts.policies import Can, members_of_organisations_who_can, members_who_can
from csa_tracker.notifications.services import notify


def working_group(partnership):
    """The partnership's active Working Group members (who review)."""
    return members_who_can(partnership, Can.REVIEW)


def _title(item) -> str:
    # On one line: the subject is the template's first line and names the item in full, never cut.
    return " ".join(item.subject_title.split())


def notify_submitted(item, *, partnership, review_url: str) -> None:
    context = {"item": item, "title": _title(item), "url": settings.SITE_URL + review_url, "partnership": partnership}
    notify(
        kind_key="submitted",
        recipients=working_group(partnership),
        partnership=partnership,
        template="reviews/email/submitted.txt",
        context=context,
        url=review_url,
    )


def notify_decided(item, *, decision: str, comment: str, url: str) -> None:
    if item.author is None:
        return
    context = {
        "item": item,
        "title": _title(item),
        "decision": decision,
        "comment": comment,
        "url": settings.SITE_URL + url,
    }
    notify(
        kind_key="decided",
        recipients=[item.author],
        partnership=item.partnership,
        template="reviews/email/decided.txt",
        context=context,
        url=url,
    )


def notify_commented(comment, *, from_working_group: bool, url: str) -> None:
    """Tell the other side of the item's conversation: the partners of the item's organisation when the
    Working Group wrote, the Working Group when a partner did (never the writer)."""
    item = comment.item
    partnership = item.partnership
    if from_working_group:
        recipients = members_of_organisations_who_can(partnership, [item.organisation_id], Can.WRITE_PROGRESS)
    else:
        recipients = working_group(partnership)
    context = {"item": item, "title": _title(item), "comment": comment, "url": settings.SITE_URL + url}
    notify(
        kind_key="comment",
        recipients=recipients.exclude(pk=comment.author_id),
        partnership=partnership,
        template="reviews/email/commented.txt",
        context=context,
        url=url,
    )
