from django.contrib import admin

from csa_tracker.audit.admin_audit import ReadOnlyAdmin

from .models import Action, FundingSource, Status


@admin.register(Status)
class StatusAdmin(ReadOnlyAdmin):
    list_display = ["name", "order", "severity", "is_complete"]


@admin.register(FundingSource)
class FundingSourceAdmin(ReadOnlyAdmin):
    search_fields = ["name"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["wording", "priority_in_plan", "status", "due_date"]
    list_filter = ["plan_priority__plan", "status", "funding"]
    search_fields = ["wording"]

    @admin.display(description="Priority in a plan", ordering="plan_priority")
    def priority_in_plan(self, action):
        return action.plan_priority
