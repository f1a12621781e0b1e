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
        # Imported here: this module is read while the apps load, before any model can be.
        from csa_tracker.accounts.policies import may_open_admin_site

        return may_open_admin_site(request.user)


class AdminConfig(DjangoAdminConfig):
    default_site = "csa_tracker.admin_site.SuperuserAdminSite"
