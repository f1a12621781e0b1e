"""Reporting cycles: the periods partners report progress for, with their deadlines."""

from django.db import models

from priorities.models import Agreement


class CycleState(models.TextChoices):
    OPEN = "open", "Open"
    LOCKED = "locked", "Locked"
    PUBLISHED = "published", "Published"


class ReportingCycleQuerySet(models.QuerySet):
    def current_in(self, partnership):
        """The current cycle of the partnership's latest plan."""
        plan = Agreement.objects.for_partnership(partnership).first()
        return self.current_for(plan) if plan else None

    def current_for(self, agreement):
        """The open cycle of a plan, else its latest one."""
        cycles = self.filter(agreement=agreement)
        return (
            cycles.filter(state=CycleState.OPEN).order_by("period_start").first()
            or cycles.order_by("-period_start").first()
        )


class ReportingCycle(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=50, help_text="As partners say it, e.g. Q4 2017/18.")
    period_start = models.DateField()
    period_end = models.DateField()
    update_deadline = models.DateField()
    review_meeting = models.DateField(null=True, blank=True)
    governing_meeting = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=CycleState.choices, default=CycleState.OPEN)

    objects = ReportingCycleQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="cycle_unique_name"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="cycle_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agreement})"
