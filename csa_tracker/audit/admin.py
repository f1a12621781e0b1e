from django.contrib import admin

from .admin_audit import ReadOnlyAdmin
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is written by the services and never edited."""

    list_display = ["at", "actor", "summary", "about", "partnership"]
    list_filter = ["partnership", "verb"]
    search_fields = ["about", "reason"]
