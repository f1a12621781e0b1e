"""Evidence: files attached to a progress update or a reading (a report, a photo, a spreadsheet),
reviewed and published with it and carried by its correction (`ItemKind.children`: the copy shares the
stored file by name). The bytes are in the private "evidence" storage (`STORAGES["evidence"]`, never
served from MEDIA_URL); they are read only through the download page, which asks the item's policy."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from workflow.models import ItemLink, exactly_one_item


class Attachment(ItemLink):
    update = models.ForeignKey(
        "actions.ProgressUpdate", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    reading = models.ForeignKey(
        "indicators.IndicatorReading", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    # As shown and downloaded (made safe: `evidence.checks.safe_name`); the storage uses a name of its own.
    name = models.CharField(max_length=150)
    stored_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    label = models.CharField(max_length=50)  # "PDF", "Word document"
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Not auto_now_add: a correction's copy keeps the time it was attached.
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [exactly_one_item("attachment_one_item")]

    def __str__(self) -> str:
        return f"{self.name} on {self.item}"
