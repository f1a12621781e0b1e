from django.contrib import admin

from csa_tracker.audit.admin_audit import ReadOnlyAdmin

from .models import Escalation


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["escalated_at", "cycle", "escalated_by", "note"]
    list_filter = ["cycle"]
