from django import forms
from django.contrib import admin

from csa_tracker.accounts.scoping import fits

from .models import Action, FundingSource, Status


class ActionAdminForm(forms.ModelForm):
    """Refuses lead or supporting organisations of another partnership than the action's plan."""

    class Meta:
        model = Action
        fields = [
            "plan_priority",
            "wording",
            "leads",
            "supporters",
            "funding",
            "status",
            "start_date",
            "due_date",
            "order",
            "carried_from",
        ]
        labels = {"plan_priority": "Priority in a plan", "leads": "Lead organisations", "funding": "Funding source"}

    def clean(self):
        data = super().clean()
        plan_priority = data.get("plan_priority")
        if plan_priority is None:
            return data
        partnership = plan_priority.plan.partnership
        for name in ("leads", "supporters"):
            elsewhere = [org for org in data.get(name) or [] if not fits(org, partnership.pk)]
            if elsewhere:
                names = ", ".join(str(org) for org in elsewhere)
                self.add_error(name, f"{names} belong to another partnership; choose {partnership}'s organisations.")
        return data


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "severity", "is_complete"]
    list_editable = ["order", "severity", "is_complete"]


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    form = ActionAdminForm
    list_display = ["wording", "priority_in_plan", "status", "due_date"]
    list_filter = ["plan_priority__plan", "status", "funding"]
    search_fields = ["wording"]
    filter_horizontal = ["leads", "supporters"]

    @admin.display(description="Priority in a plan", ordering="plan_priority")
    def priority_in_plan(self, action):
        return action.plan_priority
