"""E-mail never fails a request (issue 16): with the mail server down, a partner's submission is
saved and they are told so, the message waits in django-mailer's queue, and the cron-run sender
defers it, logs the failure and keeps it in the message log the administrator reads; once the
server is back, `retry_deferred` and `send_mail` deliver it.

The rest of the suite keeps pytest-django's in-memory backend (`mail.outbox`); these tests switch
to the queue as production runs it."""

import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from mailer.models import RESULT_FAILURE, Message, MessageLog

from actions.models import ProgressUpdate
from tests.factories import ActionFactory, StatusFactory, UserFactory


class MailServerDown(BaseEmailBackend):
    """An SMTP server that does not answer, as smtplib reports it."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class BrokenBackend(BaseEmailBackend):
    """A failure that is not a network error (django-mailer's default handler would re-raise it)."""

    def send_messages(self, email_messages):
        raise RuntimeError("the backend crashed")


@pytest.fixture
def queued_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "csa_tracker.mail.QueuedBackend"
    settings.MAILER_EMAIL_BACKEND = f"{__name__}.MailServerDown"
    settings.MAILER_LOCK_PATH = str(tmp_path / "send-mail")
    return settings


def submit_update(client, world, capture):
    action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])
    client.force_login(world.users["partner"])
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": action.pk})
    data = {
        "text": "Trained 40 staff.",
        "status": StatusFactory(partnership=world.partnership).pk,
        "flag": "",
        "submit": "1",
    }
    with capture(execute=True):
        response = client.post(url, data, follow=True)
    return action, response


def test_submission_succeeds_with_the_mail_server_down_and_the_message_waits(
    world, client, queued_mail, django_capture_on_commit_callbacks
):
    action, response = submit_update(client, world, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Submitted to the Working Group." in response.content.decode()
    assert ProgressUpdate.objects.get(action=action).state == "submitted"
    [queued] = Message.objects.all()
    assert queued.to_addresses == [world.users["working_group"].email]
    assert mail.outbox == []  # nothing was sent during the request


@pytest.mark.parametrize("backend", ["MailServerDown", "BrokenBackend"])
def test_the_sender_defers_logs_and_records_a_failure(
    world, client, queued_mail, django_capture_on_commit_callbacks, caplog, backend
):
    queued_mail.MAILER_EMAIL_BACKEND = f"{__name__}.{backend}"
    submit_update(client, world, django_capture_on_commit_callbacks)
    with caplog.at_level(logging.ERROR, logger="csa_tracker.mail"):
        call_command("send_mail")
    [log] = MessageLog.objects.all()
    assert log.result == RESULT_FAILURE
    assert ("Connection refused" if backend == "MailServerDown" else "RuntimeError: the backend crashed") in (
        log.log_message
    )
    assert Message.objects.deferred().count() == 1
    errors = [record for record in caplog.records if record.name == "csa_tracker.mail"]
    assert [(record.levelname, record.getMessage()) for record in errors] == [
        ("ERROR", "e-mail not sent, deferred for retry")
    ]


def test_retry_deferred_then_send_mail_delivers_once_the_server_is_back(
    world, client, queued_mail, django_capture_on_commit_callbacks
):
    submit_update(client, world, django_capture_on_commit_callbacks)
    call_command("send_mail")
    queued_mail.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_deferred")
    call_command("send_mail")
    assert [message.to for message in mail.outbox] == [[world.users["working_group"].email]]
    assert Message.objects.count() == 0


def test_the_administrator_sees_queued_messages_and_the_failure_log(
    world, client, queued_mail, django_capture_on_commit_callbacks
):
    submit_update(client, world, django_capture_on_commit_callbacks)
    call_command("send_mail")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert "Trained" not in client.get(reverse("admin:mailer_message_changelist")).content.decode()  # subject only
    assert client.get(reverse("admin:mailer_message_changelist")).status_code == 200
    log_page = client.get(reverse("admin:mailer_messagelog_changelist"))
    assert log_page.status_code == 200
    assert "failure" in log_page.content.decode()
