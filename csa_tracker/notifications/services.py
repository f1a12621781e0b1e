"""The one way the app tells people something: `notify` records a notification for each recipient
(their Notifications page lists it) and e-mails it as they chose for its kind; `send_digests`, run by
the daily job (`manage.py send_reminders`), e-mails the daily and weekly digests.

E-mail goes into django-mailer's queue in the database (`csa_tracker.mail`), so recording a
notification and queueing its e-mail are one transaction, and a digest marked sent was queued.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from csa_tracker.accounts.models import Membership
from csa_tracker.mail import send_message

from .kinds import chosen_kinds, kind
from .models import DIGESTS, Delivery, Notification, NotificationChoice

SUBJECT_LENGTH = Notification._meta.get_field("subject").max_length
URL_LENGTH = Notification._meta.get_field("url").max_length


def delivery_for(user, key: str) -> str:
    """How `user` wants notifications of kind `key` e-mailed (at once unless they chose otherwise;
    always at once for a security kind)."""
    if kind(key).security:
        return Delivery.IMMEDIATE
    chosen = NotificationChoice.objects.filter(user=user, kind=key).values_list("delivery", flat=True).first()
    return chosen or Delivery.IMMEDIATE


def choices_of(user) -> dict[str, str]:
    """{kind key: delivery} for every kind a person chooses for."""
    stored = dict(NotificationChoice.objects.filter(user=user).values_list("kind", "delivery"))
    return {found.key: stored.get(found.key, Delivery.IMMEDIATE) for found in chosen_kinds()}


def settings_url(partnership) -> str:
    return settings.SITE_URL + reverse("notification_settings", kwargs={"partnership": partnership.slug})


def _render(template: str, context: dict, subject: str | None) -> tuple[str, str]:
    """(subject, body): a template's first line is the subject unless `subject` is given."""
    text = render_to_string(template, context)
    if subject is None:
        subject, _, text = text.partition("\n")
    return " ".join(subject.split()), text.strip() + "\n"


def _unread_changed(user_ids: Iterable[int], partnership) -> None:
    """Move the generation the menu's unread count is kept under (`Membership.notifications_generation`)
    for these people in this partnership; called inside the change's own transaction."""
    Membership.objects.filter(user_id__in=user_ids, partnership=partnership).update(
        notifications_generation=F("notifications_generation") + 1
    )


@transaction.atomic
def notify(
    *,
    kind_key: str,
    recipients: Iterable,
    partnership,
    template: str,
    context: dict,
    url: str = "",
    subject: str | None = None,
    html_template: str = "",
) -> list[Notification]:
    """Record a notification of kind `kind_key` for each active recipient with an e-mail address (each
    once, whatever the duplicates) and e-mail those who want it at once.

    `template` renders the text (its first line the subject, unless `subject` is given), with the
    context plus "user" (the recipient); `html_template`, if any, an HTML alternative for the e-mail
    sent at once; `url` is the page it is about (absolute). Returns the notifications made.
    Raises ValueError for an undeclared kind."""
    kind(kind_key)
    made, now, seen = [], timezone.now(), set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active or not user.email:
            continue
        seen.add(user.pk)
        person_context = {**context, "user": user}
        title, body = _render(template, person_context, subject)
        notification = Notification.objects.create(
            user=user,
            partnership=partnership,
            kind=kind_key,
            subject=title[:SUBJECT_LENGTH],
            body=body,
            url=url[:URL_LENGTH],
            created_at=now,
            delivery=delivery_for(user, kind_key),
        )
        if notification.delivery == Delivery.IMMEDIATE:
            html = render_to_string(html_template, person_context) if html_template else ""
            _email_at_once(notification, html=html)
        made.append(notification)
    if made:
        _unread_changed([notification.user_id for notification in made], partnership)
    return made


def _email_at_once(notification: Notification, *, html: str = "") -> None:
    footer = "" if kind(notification.kind).security else _footer(notification.partnership)
    send_message(notification.subject, notification.body + footer, [notification.user.email], html=html)
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])


def _footer(partnership) -> str:
    return f"\nChoose how often you are e-mailed, or stop these e-mails: {settings_url(partnership)}\n"


def notify_address(*, kind_key: str, email: str, template: str, context: dict) -> None:
    """A security e-mail (an invitation) to an address that may have no account yet, sent at once. It is
    not listed on anyone's Notifications page: its link is a secret the app keeps only as a hash."""
    if not kind(kind_key).security:
        raise ValueError("Only security kinds go to an address; others go to people (notify).")
    title, body = _render(template, context, None)
    send_message(title, body, [email])


@transaction.atomic
def notification_read(*, user, notification: Notification) -> bool:
    """Mark one of the person's notifications read; False when it already was (nothing changes)."""
    unread = Notification.objects.filter(pk=notification.pk, user=user, read_at__isnull=True)
    if not unread.update(read_at=timezone.now()):
        return False
    _unread_changed([user.pk], notification.partnership_id)
    return True


@transaction.atomic
def notifications_read_all(*, access) -> int:
    """Mark every unread notification of the person in this partnership read; returns how many."""
    marked = Notification.objects.visible_to(access).unread().update(read_at=timezone.now())
    if marked:
        _unread_changed([access.user.pk], access.partnership)
    return marked


@transaction.atomic
def notification_choices_save(*, user, choices: dict[str, str]) -> int:
    """Store the person's delivery per kind ({kind key: Delivery value}); returns how many changed (0 when
    saved unchanged: nothing is written). Raises ValueError for an undeclared or security kind."""
    current = choices_of(user)
    changed = 0
    for key, delivery in choices.items():
        if kind(key).security:
            raise ValueError(f"“{key}” is always e-mailed at once.")
        if current.get(key) == delivery:
            continue
        NotificationChoice.objects.update_or_create(user=user, kind=key, defaults={"delivery": Delivery(delivery)})
        changed += 1
    return changed


def digests_due(today: date) -> tuple[str, ...]:
    """The digests sent on `today`: the daily one, and the weekly one on `CSA_DIGEST_WEEKDAY`."""
    return DIGESTS if today.weekday() == settings.CSA_DIGEST_WEEKDAY else (Delivery.DAILY,)


def send_digests(*, today: date) -> int:
    """One e-mail per person listing every notification waiting for a digest due today (by partnership,
    oldest first), each then marked sent; returns how many e-mails. Running it twice sends nothing
    twice: the second run finds nothing waiting."""
    due = digests_due(today)
    users = Notification.objects.awaiting_digest(due).values_list("user", flat=True).distinct()
    sent = 0
    for user in get_user_model().objects.filter(pk__in=users, is_active=True).exclude(email="").order_by("pk"):
        sent += _send_digest(user, due)
    return sent


@transaction.atomic
def _send_digest(user, due) -> int:
    waiting = list(
        Notification.objects.select_for_update()
        .filter(user=user)
        .awaiting_digest(due)
        .select_related("partnership")
        .order_by("partnership__name", "created_at", "pk")
    )
    if not waiting:
        return 0
    weekly = any(notification.delivery == Delivery.WEEKLY for notification in waiting)
    by_partnership: dict = {}
    for notification in waiting:
        by_partnership.setdefault(notification.partnership, []).append(notification)
    context = {
        "user": user,
        "period": "weekly" if weekly else "daily",
        "groups": [
            {"partnership": partnership, "notifications": found, "settings_url": settings_url(partnership)}
            for partnership, found in by_partnership.items()
        ],
        "count": len(waiting),
        "site_url": settings.SITE_URL,
    }
    subject, body = _render("notifications/email/digest.txt", context, None)
    send_message(subject, body, [user.email])
    Notification.objects.filter(pk__in=[notification.pk for notification in waiting]).update(emailed_at=timezone.now())
    return 1
