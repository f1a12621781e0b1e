"""The Django admin, for superusers only.

Partnerships run themselves through the app's own pages; the admin is the developers' and the
service owner's tool, so `is_staff` alone no longer opens it.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class SuperuserAdminSite(admin.AdminSite):
    site_header = "CSA Tracker administration"
    site_title = "CSA Tracker administration"
    index_title = "Records of every partnership"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class AdminConfig(DjangoAdminConfig):
    default_site = "csa_tracker.admin_site.SuperuserAdminSite"
