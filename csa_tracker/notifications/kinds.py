"""What the app tells people, each kind once: the e-mails it sends are notifications of these kinds,
each listed on the person's Notifications page and e-mailed as they chose for its kind
(`models.Delivery`). `security` kinds (an invitation, whose link is a secret kept only as a hash) are
always e-mailed at once, cannot be turned off and are not listed; nor are Django's password-reset
e-mails, which are sent by its own views."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotificationKind:
    key: str  # stored on each notification and choice
    label: str  # as the settings page names it
    who: str  # who gets it, completing "Sent to …"
    security: bool = False


KINDS: dict[str, NotificationKind] = {
    kind.key: kind
    for kind in (
        NotificationKind(
            "submitted",
            "Work submitted for review",
            "the Working Group, for progress updates and readings submitted or imported and corrections waiting "
            "for a second person",
        ),
        NotificationKind("decided", "Your work returned or published", "the author of a progress update or reading"),
        NotificationKind(
            "comment",
            "Comments on progress updates and readings",
            "the partner's organisation and the Working Group, when the other side writes in an item's conversation",
        ),
        NotificationKind("escalated", "Escalations", "the governing group, when the Working Group escalates"),
        NotificationKind(
            "governing_request",
            "Requests from the governing group",
            "the partners of the organisation asked to act and the Working Group, when the governing group requests "
            "action; the Working Group and the governing group when it is answered; all of them when it is closed",
        ),
        NotificationKind("report_published", "Published reports", "the governing group, for each report published"),
        NotificationKind(
            "reminder",
            "Deadline reminders and requests for updates",
            "partners whose organisations still owe progress in a reporting cycle",
        ),
        NotificationKind(
            "queue_digest",
            "The Working Group's weekly summary",
            "the Working Group, once a week: the review queue and the actions still without an update",
        ),
        NotificationKind("invitation", "Invitations", "the person invited", security=True),
    )
}


def kind(key: str) -> NotificationKind:
    """The declared kind; raises ValueError (a programming error) for any other key."""
    if key not in KINDS:
        raise ValueError(f"“{key}” is not a notification kind: declare it in csa_tracker.notifications.kinds.")
    return KINDS[key]


def chosen_kinds() -> list[NotificationKind]:
    """The kinds each person chooses a delivery for (every kind but the security ones)."""
    return [found for found in KINDS.values() if not found.security]
