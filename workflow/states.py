"""The states and flags every reviewed item shares (kept apart from the models so the policies, which
the models' QuerySets ask, can read them)."""

from django.db import models


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


class RequestState(models.TextChoices):
    """Where a request of the governing group stands (`models.GoverningRequest`)."""

    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"
