"""Published reports: the Action Plan & Performance Summary of one plan for one reporting cycle.

A report is frozen by its snapshot: everything it shows is copied into `snapshot` when it is
published, and pages render from that copy only, so later edits never change a published report.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from cycles.models import ReportingCycle
from priorities.models import Plan

from .policies import REPORTS


def cycle_slug(cycle: ReportingCycle) -> str:
    """How a cycle is named in report addresses, e.g. "q3-2017-18"."""
    return slugify(cycle.name.replace("/", "-"))


class ReportQuerySet(models.QuerySet):
    def visible_to(self, access):
        """Published reports are for everyone in the partnership (drafts are never stored)."""
        return REPORTS.scope(self, access, "read")

    def current(self):
        """The versions no correction has replaced."""
        return self.filter(superseded_by__isnull=True)


class Report(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports")
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField()
    # reports.snapshot.snapshot_digest of `snapshot`, written with it: publishing again compares this instead
    # of reading the stored content back (issue 26). Empty where none was written (then compared in full).
    snapshot_digest = models.CharField(max_length=64, blank=True, editable=False)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-cycle__period_start", "-version"]
        constraints = [models.UniqueConstraint(fields=["cycle", "version"], name="report_unique_version")]

    def __str__(self) -> str:
        return f"{self.plan} — {self.cycle.name}, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("report_detail", kwargs=self.address_kwargs)

    @property
    def partnership(self):
        return self.plan.partnership

    @property
    def address_kwargs(self) -> dict:
        return {
            "partnership": self.plan.partnership.slug,
            "plan": self.plan.slug,
            "cycle": cycle_slug(self.cycle),
            "version": self.version,
        }

    @property
    def pdf_url(self) -> str:
        return reverse("report_pdf", kwargs=self.address_kwargs)

    @property
    def docx_url(self) -> str:
        return reverse("report_docx", kwargs=self.address_kwargs)


class OutputFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"


OUTPUT_CONTENT_TYPES = {
    OutputFormat.PDF: "application/pdf",
    OutputFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class ReportOutput(models.Model):
    """A published report version as a file (PDF or .docx), made once from its frozen snapshot and
    kept in the default storage, so downloads never render the report again."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="outputs")
    format = models.CharField(max_length=8, choices=OutputFormat.choices)
    # reports.audience: "full" (with escalations) for those who may read them, "members" for everyone else.
    audience = models.CharField(max_length=10, default="full")
    file = models.FileField(upload_to="reports/outputs/%Y/", max_length=255)
    etag = models.CharField(max_length=64, help_text="SHA-256 of the file, hexadecimal: the download's ETag.")
    size = models.PositiveIntegerField(help_text="Bytes.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "format", "audience"], name="report_output_unique_format")
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.get_format_display()})"

    @property
    def content_type(self) -> str:
        return OUTPUT_CONTENT_TYPES[self.format]


class ReportSettings(models.Model):
    """A partnership's choices for its report outputs: the Word template its .docx reports are built on."""

    partnership = models.OneToOneField("accounts.Partnership", on_delete=models.CASCADE, related_name="report_settings")
    word_template = models.FileField(upload_to="reports/word-templates/", blank=True, max_length=255)
    word_template_name = models.CharField(max_length=255, blank=True, help_text="The file name as uploaded.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "report settings"

    def __str__(self) -> str:
        return f"Report settings of {self.partnership}"
