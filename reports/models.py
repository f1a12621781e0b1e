"""Published reports: the Action Plan & Performance Summary of one plan for one reporting cycle.

A report is frozen by its snapshot: everything it shows is copied into `snapshot` when it is
published, and pages render from that copy only, so later edits never change a published report.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from cycles.models import ReportingCycle
from priorities.models import Agreement


def cycle_slug(cycle: ReportingCycle) -> str:
    """How a cycle is named in report addresses, e.g. "q3-2017-18"."""
    return slugify(cycle.name.replace("/", "-"))


class ReportQuerySet(models.QuerySet):
    def visible_to(self, access):
        """Published reports are for everyone in the partnership (drafts are never stored)."""
        return self.filter(agreement__partnership=access.partnership)

    def current(self):
        """The versions no correction has replaced."""
        return self.filter(superseded_by__isnull=True)


class Report(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="reports")
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField()
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "-cycle__period_start", "-version"]
        constraints = [models.UniqueConstraint(fields=["cycle", "version"], name="report_unique_version")]

    def __str__(self) -> str:
        return f"{self.agreement} — {self.cycle.name}, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("report_detail", kwargs=self.address_kwargs)

    @property
    def partnership(self):
        return self.agreement.partnership

    @property
    def address_kwargs(self) -> dict:
        return {
            "partnership": self.agreement.partnership.slug,
            "plan": self.agreement.slug,
            "cycle": cycle_slug(self.cycle),
            "version": self.version,
        }

    @property
    def pdf_url(self) -> str:
        return reverse("report_pdf", kwargs=self.address_kwargs)
