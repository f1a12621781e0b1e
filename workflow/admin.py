from django.contrib import admin

from .models import Escalation


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ["escalated_at", "cycle", "escalated_by", "note"]
    list_filter = ["cycle"]
