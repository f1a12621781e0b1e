"""E-mails the workflow sends: to the Working Group when something is submitted, to the author when
it is returned or published. Plain text, with a link straight to the page that needs them."""

from django.conf import settings

from csa_tracker.accounts.policies import Can, members_who_can
from csa_tracker.mail import send_templated


def working_group_addresses(partnership) -> list[str]:
    """E-mail addresses of the partnership's active Working Group members (who review)."""
    return list(members_who_can(partnership, Can.REVIEW).values_list("email", flat=True))


def notify_submitted(item, *, partnership, review_url: str) -> None:
    context = {
        "item": item,
        "title": " ".join(item.subject_title.split()),
        "url": settings.SITE_URL + review_url,
        "partnership": partnership,
    }
    send_templated("reviews/email/submitted.txt", context, working_group_addresses(partnership))


def notify_decided(item, *, decision: str, comment: str, url: str) -> None:
    if item.author is None:
        return
    context = {
        "item": item,
        # On one line: the subject is the template's first line and names the item in full, never cut.
        "title": " ".join(item.subject_title.split()),
        "decision": decision,
        "comment": comment,
        "url": settings.SITE_URL + url,
    }
    send_templated("reviews/email/decided.txt", context, [item.author.email])
