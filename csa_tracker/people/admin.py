"""The partnerships, their organisations and memberships in the Django admin: set up there by the service
owner, every change written to the audit trail (`csa_tracker.audit.admin_audit`)."""

from django.contrib import admin

from csa_tracker.accounts.models import Membership, Organisation, Partnership
from csa_tracker.audit.admin_audit import AuditedAdmin


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    """A new partnership is set up here by the service owner; its own people change its settings on its
    pages afterwards. Every change made here is in the partnership's audit trail."""

    list_display = ["name", "short_name", "slug", "open_data_public", "separate_publisher"]
    prepopulated_fields = {"slug": ["short_name"]}

    def audited_partnership(self, obj):
        return obj

    def has_delete_permission(self, request, obj=None):
        return False  # a partnership's records are its history: never deleted from here


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "role", "organisation", "partnership"]
    list_filter = ["role", "partnership", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["organisation"]
