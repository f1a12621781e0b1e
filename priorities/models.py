"""The agreement (plan) a partnership adopts each year, and the priorities in it.

A `Priority` is the lasting identity ("Road Safety" across years and renames); a `PlanPriority`
is what one plan says about it: title, order, context narrative and notes.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from csa_tracker.accounts.models import Partnership


class AgreementQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)


class ActionTable(models.TextChoices):
    """The columns of the report's action table."""

    PROGRESS = "progress", "Action | Progress"
    LEAD_AGENCY = "lead_agency", "Action | Lead agency | Progress"


class Agreement(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(max_length=200)
    slug = models.SlugField(help_text="Short name used in addresses, e.g. 2017-18.")
    starts = models.DateField()
    ends = models.DateField()
    introduction = models.TextField(blank=True, help_text="Markdown: paragraphs, bullet lists and links.")
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next",
        help_text="The plan this one rolled forward from.",
    )
    version_label = models.CharField(
        max_length=50,
        blank=True,
        verbose_name="version",
        help_text="Shown with the title, e.g. “Version 2, March 2018” or “Rolling”.",
    )
    action_table = models.CharField(
        max_length=20,
        choices=ActionTable.choices,
        default=ActionTable.PROGRESS,
        verbose_name="report's action table",
    )
    history = HistoricalRecords()

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-starts"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="agreement_unique_slug"),
            models.CheckConstraint(condition=models.Q(ends__gt=models.F("starts")), name="agreement_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class Priority(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="priorities")
    slug = models.SlugField()

    class Meta:
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["partnership", "slug"], name="priority_unique_slug")]

    def __str__(self) -> str:
        return self.slug


class PlanPriority(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="plan_priorities")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="plan_versions")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    context = models.TextField(blank=True, help_text="Markdown; refer to notes as [^1].")
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "order"]
        verbose_name = "priority in a plan"
        constraints = [models.UniqueConstraint(fields=["agreement", "priority"], name="plan_priority_once_per_plan")]

    def __str__(self) -> str:
        return self.title


class Note(models.Model):
    """A numbered footnote of a priority's context: a source, or an explanation."""

    plan_priority = models.ForeignKey(PlanPriority, on_delete=models.CASCADE, related_name="notes")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    source_title = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published = models.CharField(max_length=50, blank=True, help_text="As the source states it, e.g. January 2018.")
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["plan_priority", "number"]
        constraints = [models.UniqueConstraint(fields=["plan_priority", "number"], name="note_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}) {self.text[:60]}"
