from django.contrib import admin

from .models import Agreement, Note, PlanPriority, Priority


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
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
    list_display = ["title", "agreement", "order"]
    list_filter = ["agreement"]
    inlines = [NoteInline]
