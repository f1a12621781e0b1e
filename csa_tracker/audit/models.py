"""The one audit trail: every change that matters, to any model, in one table.

Review decisions, cycle locks and reopenings, report publications, edits to actions, priorities and
indicators (with the fields that changed and the reason given) are each one `AuditEntry`, written
in the same transaction as the change itself, and never updated afterwards.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from csa_tracker.accounts.models import Partnership
from csa_tracker.accounts.people import display_name

from .policies import AUDIT
from .verbs import Verb

# The columns of every audit export and history CSV, in this order.
AUDIT_COLUMNS = ["When", "Who", "About", "What", "From state", "To state", "Reason or comment", "Changes"]


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, access):
        """The Working Group and administrators read the partnership's whole trail; others read none
        of it here (a published item's own history is shown through `for_object` by its page)."""
        return AUDIT.scope(self, access, "read")

    def for_object(self, obj):
        """The entries about one object, oldest first."""
        content_type = ContentType.objects.get_for_model(type(obj))
        return self.filter(content_type=content_type, object_id=obj.pk).order_by("at", "pk")


class AuditEntry(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="audit_entries")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    # What the object was called when the change was made, so the trail reads well after renames.
    about = models.CharField(max_length=300)
    # None: the scheduled job (e.g. a cycle locked when its deadline passed).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    # The transition or change, as a code ("submit", "lock", "edit") and as a sentence ("Submitted").
    verb = models.CharField(max_length=30, choices=Verb.choices)
    summary = models.CharField(max_length=200)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    # {field label: [before, after]} as text, for edits.
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit trail"
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="audit_by_object"),
            models.Index(fields=["partnership", "at"], name="audit_by_partnership"),
        ]

    def __str__(self) -> str:
        return f"{self.summary}: {self.about} ({self.at:%Y-%m-%d %H:%M})"

    @property
    def who(self) -> str:
        return display_name(self.actor, nobody="The scheduled job")

    @property
    def changes_text(self) -> str:
        return "; ".join(f"{label}: “{before}” → “{after}”" for label, (before, after) in self.changes.items())

    def cells(self) -> list:
        """The entry as a row under AUDIT_COLUMNS (needs `actor` selected)."""
        return [
            self.at.isoformat(timespec="seconds"),
            self.who,
            self.about,
            self.summary,
            self.from_state,
            self.to_state,
            self.reason,
            self.changes_text,
        ]
