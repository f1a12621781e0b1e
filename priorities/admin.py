from django.contrib import admin

from .models import Note, Plan, PlanPriority, Priority


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "starts", "ends"]
    list_filter = ["partnership"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["slug", "partnership"]
    list_filter = ["partnership"]


class NoteInline(admin.TabularInline):
    model = Note
    extra = 0


@admin.register(PlanPriority)
class PlanPriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]
    inlines = [NoteInline]
