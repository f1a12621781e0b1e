"""A person's secret calendar link: signed with the site's key over their account and a nonce kept
here, so a reset (a new nonce) stops the old link at once and the database alone gives no link."""

from django.conf import settings
from django.db import models


class CalendarKey(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_key")
    nonce = models.CharField(max_length=64)
    reset_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Calendar link of {self.user}"
