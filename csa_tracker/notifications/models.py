"""Notifications: everything the app e-mails, recorded per person, listed on their Notifications page
and e-mailed as they chose for its kind (`kinds.KINDS`): at once, in a daily or weekly digest, or not
at all."""

from django.conf import settings
from django.db import models

from csa_tracker.accounts.models import Partnership

from .policies import NOTIFICATIONS


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "E-mail me at once"
    DAILY = "daily", "In a daily digest"
    WEEKLY = "weekly", "In a weekly digest"
    OFF = "off", "No e-mail (listed on the Notifications page only)"


DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, access):
        """The person's own notifications in the partnership of `access`."""
        return NOTIFICATIONS.scope(self, access, "read")

    def unread(self):
        return self.filter(read_at__isnull=True)

    def awaiting_digest(self, deliveries):
        """Notifications to be e-mailed in a digest of one of `deliveries` and not yet sent."""
        return self.filter(delivery__in=deliveries, emailed_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)  # a key of kinds.KINDS
    subject = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)  # the page it is about, on this site
    created_at = models.DateTimeField()
    # How it was to be e-mailed, as the person had chosen when it was made.
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "partnership", "-created_at"], name="notification_list"),
            models.Index(
                fields=["user", "partnership"], condition=models.Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(
                fields=["delivery", "user"], condition=models.Q(emailed_at__isnull=True), name="notification_digest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} (to {self.user})"


class NotificationChoice(models.Model):
    """How one person wants one kind of notification e-mailed; without a row, at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_choice_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.delivery}"
