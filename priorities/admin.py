from django.contrib import admin

from csa_tracker.audit.admin_audit import ReadOnlyAdmin

from .models import Note, Plan, PlanPriority, Priority


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "starts", "ends"]
    list_filter = ["partnership"]


@admin.register(Priority)
class PriorityAdmin(ReadOnlyAdmin):
    list_display = ["slug", "partnership"]
    list_filter = ["partnership"]


class NoteInline(admin.TabularInline):
    model = Note
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanPriority)
class PlanPriorityAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]
    inlines = [NoteInline]
