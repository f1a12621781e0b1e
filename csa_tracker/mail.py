"""Sending the site's plain-text e-mails from templates whose first line is the subject."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_templated(template: str, context: dict, recipients: list[str]) -> None:
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    subject, _, body = render_to_string(template, context).partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, recipients)
