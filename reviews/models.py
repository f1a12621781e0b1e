"""What progress updates and indicator readings share: the review state they move through."""

from django.conf import settings
from django.db import models

from csa_tracker.accounts.models import Organisation


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    PUBLISHED = "published", "Published"


# States in which an item is still being worked on; at most one such item per subject.
OPEN_STATES = (ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED)


class Flag(models.TextChoices):
    NONE = "", "No flag"
    SIGNIFICANT_CHANGE = "significant_change", "Significant change"
    AREA_OF_CONCERN = "area_of_concern", "Area of concern"


class ReviewedItem(models.Model):
    """Fields of anything partners submit and the Working Group publishes."""

    state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT)
    flag = models.CharField(max_length=30, choices=Flag.choices, blank=True, default="")
    flag_reason = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Bumped by every change; a write that read an older version is refused (optimistic locking).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
