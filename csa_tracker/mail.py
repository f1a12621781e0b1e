"""Sending the site's e-mails (`send_message`, called only by the notification service,
`csa_tracker.notifications.services`, which records each one for its recipient first). E-mail is
queued, never sent during a request (django-mailer).

`send_mail` (Django's, and every `EmailMessage.send()`: invitations, reminders, password resets) stores
the message in the database through `QueuedBackend` (django-mailer's `DbBackend`); once the transaction
that queued it commits, one `deliver_mail` job is queued for the background worker (`manage.py
tasks_worker`), which sends the queue through the real backend (`MAILER_EMAIL_BACKEND`, from
DJANGO_EMAIL_BACKEND); `manage.py send_mail` from cron does the same. A message that cannot be sent is deferred,
logged at ERROR and kept in the message log (admin: Mailer › Message logs); `manage.py retry_deferred`
puts deferred messages back in the queue.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task
from mailer.backend import DbBackend

logger = logging.getLogger("csa_tracker.mail")


@task()
def deliver_mail() -> None:
    """Send the queued e-mail (django-mailer's queue: safe to run twice, and by two workers at once)."""
    from mailer.engine import send_all  # the models are not ready when this module loads

    send_all()


def _enqueue_delivery() -> None:
    deliver_mail.enqueue()


def deliver_after_commit() -> None:
    """Queue one `deliver_mail` job for when this transaction commits, however many e-mails it queued."""
    connection = transaction.get_connection()
    if any(func is _enqueue_delivery for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_delivery)


class QueuedBackend(DbBackend):
    """EMAIL_BACKEND: django-mailer's queue, and the worker told to deliver it once the writes commit."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        if sent:
            deliver_after_commit()
        return sent


def send_message(subject: str, body: str, recipients: list[str], *, html: str = "") -> None:
    """One plain-text e-mail (with an HTML alternative when `html` is given) to `recipients`, queued."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def defer_and_log(connection, message, exc):
    """django-mailer's MAILER_ERROR_HANDLER: whatever went wrong (the server down, refused, a bad
    address, a bug in a backend), defer the message for `retry_deferred`, and record why.

    Returns (connection to reuse, "deferred"): None, so the next message opens a new connection.
    """
    from mailer.models import RESULT_FAILURE, MessageLog  # the models are not ready when this module loads

    message.defer()
    reason = f"{type(exc).__name__}: {exc}"
    MessageLog.objects.log(message, RESULT_FAILURE, log_message=reason)
    logger.error(
        "e-mail not sent, deferred for retry",
        extra={"subject": message.subject, "recipients": list(message.to_addresses), "reason": reason},
    )
    return None, "deferred"
