"""What progress updates and indicator readings share: the review state they move through, and the
escalations the Working Group raises to the governing group."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from csa_tracker.accounts.models import Organisation
from csa_tracker.text import shortened

from .kinds import kind_of
from .policies import ESCALATIONS, REQUESTS
from .states import OPEN_STATES, Flag, RequestState, ReviewState

__all__ = ["OPEN_STATES", "Flag", "RequestState", "ReviewState"]  # the states are read from here by the other apps


class ReviewedItemQuerySet(models.QuerySet):
    """What progress updates and readings share: who reads which is their kind's policy
    (`workflow.policies.ReviewedItemPolicy`, named by a subclass's `policy`)."""

    policy = None  # a ReviewedItemPolicy

    def published(self):
        return self.filter(state=ReviewState.PUBLISHED)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def visible_to(self, access):
        """Published items to everyone the partnership lets in; work in progress to the Working Group,
        and to partners on their own subjects."""
        return self.policy.scope(self, access, "read")


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
    # Set when submitted: [{"rule": code, "message": "..."}] from the item's `compute_rule_flags`.
    rule_flags = models.JSONField(default=list, blank=True)
    # `flag` or `rule_flags` set, stored so the queue orders by an index (flagged first, then the
    # longest waiting); kept in step by the review engine (`flag_fields`), never by save().
    flagged = models.BooleanField(default=False)
    # A published correction points at the published version it replaces, with the reason.
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    correction_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_flagged(self) -> bool:
        return bool(self.flag or self.rule_flags)

    @property
    def first_version(self):
        """The version this one corrects, followed back to the first one written (itself when it corrects
        nothing): whose author wrote the item for its `organisation`, while a correction's `author` is the
        member of the Working Group who corrected it (issue 25). One query per correction in the chain."""
        item, seen = self, set()
        while item.corrects_id and item.pk not in seen:
            seen.add(item.pk)
            item = item.corrects
        return item

    @property
    def kind(self):
        """The declaration of this item's kind (`workflow.kinds`): its name, label, form and policy."""
        return kind_of(self)

    @classmethod
    def flags_read_from(cls, items) -> list:
        """Items waiting for review whose rule flags read one of `items` (a reading's comparison figure),
        so are worked out again when one of `items` is submitted; none for most kinds."""
        return []

    # What each kind of item says about itself (see actions.models.ProgressUpdate): subject_key,
    # subject_title, partnership, reporting_cycle, accepts_submissions, compute_rule_flags(),
    # on_published().


def flag_fields(item, values: dict) -> dict:
    """The stored `flagged` value after a change of `values` ({field: value}) to `item`: {"flagged": bool}
    when the change touches `flag` or `rule_flags` (or creates the item), else {}. The review state
    machine (`workflow.transitions.machine`) applies it with every transition."""
    if values and "flag" not in values and "rule_flags" not in values:
        return {}
    flag = values.get("flag", item.flag)
    rule_flags = values.get("rule_flags", item.rule_flags)
    return {"flagged": bool(flag or rule_flags)}


# At most one item in progress per subject; a correction waiting for its second pair of eyes is apart
# (the partner's next update may be in progress meanwhile).
OPEN_NOT_CORRECTION = models.Q(state__in=OPEN_STATES, corrects__isnull=True)


def queue_index(name: str) -> models.Index:
    """The review queue's order among open items: state, flagged first, then the longest waiting."""
    return models.Index(
        fields=["state", "-flagged", "submitted_at"], condition=models.Q(state__in=OPEN_STATES), name=name
    )


def exactly_one_item(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            models.Q(update__isnull=False, reading__isnull=True) | models.Q(update__isnull=True, reading__isnull=False)
        ),
        name=name,
    )


class ItemLink(models.Model):
    """Points at the progress update or the indicator reading a record is about."""

    update = models.ForeignKey(
        "actions.ProgressUpdate", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reading = models.ForeignKey(
        "indicators.IndicatorReading", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def item(self):
        return self.update or self.reading


class EscalationQuerySet(models.QuerySet):
    def visible_to(self, access):
        """The partnership's escalations, for those who may read them (`policies.EscalationPolicy`)."""
        return ESCALATIONS.scope(self, access, "read")

    def readable_by(self, access):
        """Those who see escalations, plus a partner on escalations of progress on actions their
        organisations lead (they see the governing group's response there)."""
        return ESCALATIONS.scope(self, access, "read_response")


class Escalation(ItemLink):
    """Something the Working Group wants the governing group to hear about in a cycle."""

    cycle = models.ForeignKey("cycles.ReportingCycle", on_delete=models.PROTECT, related_name="escalations")
    note = models.TextField()
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(auto_now_add=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["-escalated_at"]
        constraints = [exactly_one_item("escalation_one_item")]

    def __str__(self) -> str:
        return f"Escalation in {self.cycle.name}: {shortened(self.note, 60)}"


class ResponseKind(models.TextChoices):
    NOTED = "noted", "Noted"
    ACTION_REQUESTED = "action_requested", "Action requested"


class EscalationResponse(models.Model):
    """The governing group's answer to an escalation: noted, or action requested, with a note. The
    Working Group and the action's lead partners read it, and the next report includes it."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(max_length=20, choices=ResponseKind.choices)
    note = models.TextField(blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["responded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.escalation}"


class CommentOccasion(models.TextChoices):
    COMMENT = "comment", "Comment"
    RETURNED = "returned", "Returned with this comment"
    PUBLISHED = "published", "Published with this comment"


class Comment(ItemLink):
    """One message in the conversation on a progress update or reading between the partners of its
    organisation and the Working Group (`workflow.conversation`); the comment a reviewer returns or
    publishes it with is one too. It belongs to one version of the item: a correction carries it
    (`ItemKind.children`). Never in a published report or the open data."""

    update = models.ForeignKey(
        "actions.ProgressUpdate", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    reading = models.ForeignKey(
        "indicators.IndicatorReading", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Written as the Working Group (who review) rather than as the partner's organisation.
    from_working_group = models.BooleanField(default=False)
    text = models.TextField()
    occasion = models.CharField(max_length=20, choices=CommentOccasion.choices, default=CommentOccasion.COMMENT)
    # Not auto_now_add: a correction's copy keeps the time it was written.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [exactly_one_item("comment_one_item")]

    def __str__(self) -> str:
        return f"Comment on {self.item}: {shortened(self.text, 60)}"


class GoverningRequestQuerySet(models.QuerySet):
    def visible_to(self, access):
        """The requests `access` may read (`policies.GoverningRequestPolicy`): every one for those who
        read escalations, a partner's own organisations' for partners."""
        return REQUESTS.scope(self, access, "read")

    def still_open(self):
        return self.exclude(state=RequestState.CLOSED)

    def of_own_organisations(self, access):
        """The open requests made of one of the person's organisations (what they are asked to do)."""
        return self.visible_to(access).still_open().filter(owner_id__in=REQUESTS.organisations_of(access))


class GoverningRequest(models.Model):
    """Action the governing group requested in its response to an escalation, followed to its close
    (issue 25): the organisation asked (the owner) and the date it is due; the owner's partners answer
    it; the Working Group or the governing group closes it with a note (`workflow.governing`). What is
    asked is the response's note."""

    response = models.OneToOneField(EscalationResponse, on_delete=models.CASCADE, related_name="request")
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="requests")
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    state = models.CharField(max_length=20, choices=RequestState.choices, default=RequestState.OPEN)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    close_note = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = GoverningRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"Request of the governing group to {self.owner.name}: {shortened(self.response.note, 60)}"

    @property
    def asked(self) -> str:
        """What the governing group asked for: its response's note."""
        return self.response.note

    @property
    def is_closed(self) -> bool:
        return self.state == RequestState.CLOSED

    @property
    def is_overdue(self) -> bool:
        """Still open after the day it was due by."""
        return not self.is_closed and self.due < timezone.localdate()
