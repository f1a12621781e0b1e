from django.contrib import admin

from csa_tracker.audit.admin_audit import ReadOnlyAdmin

from .models import Escalation, GoverningRequest


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["escalated_at", "cycle", "escalated_by", "note"]
    list_filter = ["cycle"]


@admin.register(GoverningRequest)
class GoverningRequestAdmin(ReadOnlyAdmin):
    """Read-only, for support: a request is answered and closed in the app, each step audited."""

    list_display = ["due", "owner", "state", "escalation", "answered_at", "closed_at"]
    list_filter = ["state"]
    list_select_related = ["owner", "escalation"]
