"""The Django admin and the audit trail: a domain record is either read-only in the admin, or every
change made there is written to the audit trail with its fields before and after, in the same
transaction, like a change made through the pages.

`ReadOnlyAdmin` is for records the partnership's own pages and services manage (actions, plans,
escalations...). `AuditedAdmin` is for the few the service owner sets up there (a new partnership, its
first organisation and administrator); its `audited_partnership(obj)` names the partnership an entry
belongs to.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from .services import audit_record, changes_between, field_values


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to superusers, never changed here: the app's pages change it, through its services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and deletion made in the admin writes one audit entry (who, when, what, the
    fields before and after, and "Django admin" as the reason)."""

    def audited_partnership(self, obj):
        return obj.partnership

    def _fields(self, obj) -> list[str]:
        return [
            field.name
            for field in obj._meta.concrete_fields
            if not field.primary_key and field.editable and field.name != "password"
        ]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = field_values(type(obj).objects.get(pk=obj.pk), self._fields(obj)) if change else {}
            super().save_model(request, obj, form, change)
            changes = changes_between(before, field_values(obj, self._fields(obj)))
            if change and not changes:
                return
            noun = obj._meta.verbose_name
            audit_record(
                obj,
                actor=request.user,
                verb="edit" if change else "create",
                summary=f"{noun.capitalize()} {'changed' if change else 'added'} in the Django admin",
                reason="Django admin",
                changes=changes,
                partnership=self.audited_partnership(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                obj,
                actor=request.user,
                verb="delete",
                summary=f"{obj._meta.verbose_name.capitalize()} deleted in the Django admin",
                reason="Django admin",
                partnership=self.audited_partnership(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
