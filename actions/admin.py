from django.contrib import admin

from .models import Action, FundingSource, Status


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "severity", "is_complete"]
    list_editable = ["order", "severity", "is_complete"]


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["wording", "plan_priority", "status", "due_date"]
    list_filter = ["plan_priority__agreement", "status", "funding"]
    search_fields = ["wording"]
    filter_horizontal = ["leads", "supporters"]
