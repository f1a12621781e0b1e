from django.contrib import admin

from .models import Escalation, ReviewEvent


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by the workflow and never edited."""

    list_display = ["at", "actor", "transition", "from_state", "to_state", "update", "reading"]
    list_filter = ["transition"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ["escalated_at", "cycle", "escalated_by", "note"]
    list_filter = ["cycle"]
