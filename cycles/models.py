"""Reporting cycles: the periods partners report progress for, with their deadlines."""

from django.conf import settings
from django.db import models

from priorities.models import Plan

from .policies import CYCLES_POLICY


class CycleState(models.TextChoices):
    OPEN = "open", "Open"
    LOCKED = "locked", "Locked"
    PUBLISHED = "published", "Published"


class ReportingCycleQuerySet(models.QuerySet):
    def in_partnership(self, partnership):
        return self.filter(plan__partnership=partnership)

    def visible_to(self, access):
        """Everyone in the partnership sees its cycles and their deadlines."""
        return CYCLES_POLICY.scope(self, access, "read")

    def manageable_by(self, access):
        """Cycles this person may create, edit, lock, reopen and publish: the Working Group's."""
        return CYCLES_POLICY.scope(self, access, "manage")

    def current_in(self, partnership):
        """The cycle with open work in any of the partnership's plans: the earliest open one, else the
        latest of all (plans overlap at the year's end, see cycles.choice)."""
        cycles = self.in_partnership(partnership)
        return (
            cycles.filter(state=CycleState.OPEN).order_by("period_start", "pk").first()
            or cycles.order_by("-period_start", "-pk").first()
        )

    def current_for(self, plan):
        """The open cycle of a plan, else its latest one."""
        cycles = self.filter(plan=plan)
        return (
            cycles.filter(state=CycleState.OPEN).order_by("period_start").first()
            or cycles.order_by("-period_start").first()
        )


class ReportingCycle(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=50, help_text="As partners say it, e.g. Q4 2017/18.")
    period_start = models.DateField()
    period_end = models.DateField()
    update_deadline = models.DateField()
    review_meeting = models.DateField(null=True, blank=True)
    governing_meeting = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=CycleState.choices, default=CycleState.OPEN)
    # Bumped by every state change (see csa_tracker.audit.transitions).
    version = models.PositiveIntegerField(default=1)

    objects = ReportingCycleQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="cycle_unique_name"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="cycle_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.plan})"

    @property
    def partnership(self):
        return self.plan.partnership


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before_deadline", "Deadline approaching"
    ON_DEADLINE = "on_deadline", "Deadline today"
    UPDATE_REQUESTED = "update_requested", "Update requested"
    DIGEST = "digest", "Weekly digest"


class ReminderLog(models.Model):
    """One row per e-mail sent about an action (or a digest, with no action) per person per day;
    the constraint makes a second run of `send_reminders` on the same day send nothing again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey("actions.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A digest is per partnership: someone in two Working Groups gets both.
    partnership = models.ForeignKey(
        "accounts.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "action", "kind", "sent_on"], name="reminder_once_per_day"),
            # NULLs are distinct in unique constraints, so digests (no action) need their own.
            models.UniqueConstraint(
                fields=["user", "partnership", "kind", "sent_on"],
                condition=models.Q(action__isnull=True),
                name="digest_once_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} on {self.sent_on}"
