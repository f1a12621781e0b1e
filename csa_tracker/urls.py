from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cycles.urls import unscoped_urlpatterns as cycle_links

from . import health, views
from .accounts import two_factor

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", two_factor.verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    *cycle_links,
    path("<slug:partnership>/", views.partnership_home, name="partnership_home"),
    path("<slug:partnership>/", include("priorities.urls")),
    path("<slug:partnership>/", include("actions.urls")),
    path("<slug:partnership>/", include("reviews.urls")),
    path("<slug:partnership>/", include("indicators.urls")),
    path("<slug:partnership>/", include("dashboards.urls")),
    path("<slug:partnership>/", include("reports.urls")),
    path("<slug:partnership>/", include("cycles.urls")),
    path("<slug:partnership>/", include("spreadsheets.urls")),
    path("<slug:partnership>/", include("configuration.urls")),
]
