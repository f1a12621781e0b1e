"""The plan a partnership adopts each year (what Kent calls its Community Safety Agreement), and its priorities.

A `Priority` is the lasting identity ("Road Safety" across years and renames); a `PlanPriority`
is what one plan says about it: title, order, context narrative and notes.
"""

from django.core.exceptions import ValidationError
from django.db import models

from csa_tracker.accounts.models import Partnership
from csa_tracker.accounts.scoping import refusal
from csa_tracker.text import shortened

from .policies import PLAN_PRIORITIES, PLANS


class PlanQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        """The partnership's plans, newest first."""
        return self.filter(partnership=partnership).order_by("-starts", "-pk")

    def visible_to(self, access):
        """Everyone in the partnership reads its plans."""
        return PLANS.scope(self, access, "read").order_by("-starts", "-pk")

    def manageable_by(self, access):
        """Plans whose wording, priorities and notes this person may change: the Working Group's."""
        return PLANS.scope(self, access, "change").order_by("-starts", "-pk")


class PlanPriorityQuerySet(models.QuerySet):
    def visible_to(self, access):
        return PLAN_PRIORITIES.scope(self, access, "read")

    def manageable_by(self, access):
        return PLAN_PRIORITIES.scope(self, access, "change")


# Addresses that a plan or priority slug would hide: `plans/new/` (the new-plan page), `plans/import/`
# (a plan from a Word document, plandocs.urls), `plans/<plan>/roll-forward/` (actions.urls, before
# the priority page) and `plans/<plan>/edit/` (the plan's edit page, priorities.urls).
RESERVED_PLAN_SLUGS = frozenset({"new", "import"})
RESERVED_PRIORITY_SLUGS = frozenset({"roll-forward", "edit"})


def reserved_slug_message(slug: str) -> str:
    return f"“{slug}” is a word the site's addresses use: choose another short name."


class ActionTable(models.TextChoices):
    """The columns of the report's action table."""

    PROGRESS = "progress", "Action | Progress"
    LEAD_AGENCY = "lead_agency", "Action | Lead agency | Progress"


class ReportLayout(models.TextChoices):
    """How the report is laid out on paper (PDF and Word); the web page shows the same sections."""

    FULL = "full", "Full: each priority on a new page, with its trend charts and their figures"
    COMPACT = (
        "compact",
        (
            "Compact, close to the published plan's length: priorities run on, each with its latest figures once; "
            "trend charts and their figures in an annex"
        ),
    )


class Plan(models.Model):
    """A plan: what the partnership adopts for a year (or a rolling period)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="plans")
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
    report_layout = models.CharField(
        max_length=10,
        choices=ReportLayout.choices,
        default=ReportLayout.FULL,
        verbose_name="report's layout",
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-starts"]
        verbose_name = "plan"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="plan_unique_slug"),
            models.CheckConstraint(condition=models.Q(ends__gt=models.F("starts")), name="plan_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        """Its short name is not one the site's addresses use; the plan it rolled forward from is one of
        the same partnership's."""
        if self.slug in RESERVED_PLAN_SLUGS:
            raise ValidationError({"slug": reserved_slug_message(self.slug)})
        if self.previous_id and self.partnership_id and self.previous.partnership_id != self.partnership_id:
            raise ValidationError({"previous": refusal(self.previous, self.partnership, "plans")})


class Priority(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="priorities")
    slug = models.SlugField()

    class Meta:
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["partnership", "slug"], name="priority_unique_slug")]

    def __str__(self) -> str:
        return self.slug

    def clean(self):
        if self.slug in RESERVED_PRIORITY_SLUGS:
            raise ValidationError({"slug": reserved_slug_message(self.slug)})


class PlanPriority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_priorities", verbose_name="plan")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="plan_versions")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    context = models.TextField(blank=True, help_text="Markdown; refer to notes as [^1].")

    objects = PlanPriorityQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = "priority in a plan"
        verbose_name_plural = "priorities in plans"
        constraints = [models.UniqueConstraint(fields=["plan", "priority"], name="plan_priority_once_per_plan")]

    def __str__(self) -> str:
        return self.title

    @property
    def partnership(self):
        return self.plan.partnership

    def clean(self):
        """A plan's priorities are its partnership's own: the priority page looks the priority up by its
        slug within the plan's partnership (another partnership's gave a 500 there)."""
        if self.plan_id and self.priority_id:
            partnership = self.plan.partnership
            if self.priority.partnership_id != partnership.pk:
                raise ValidationError({"priority": refusal(self.priority, partnership, "priorities")})


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
        return f"{self.number}) {shortened(self.text, 60)}"
