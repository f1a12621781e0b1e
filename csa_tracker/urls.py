from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from calendars.urls import unscoped_urlpatterns as calendar_feeds
from cycles.urls import unscoped_urlpatterns as cycle_links
from opendata.urls import unscoped_urlpatterns as open_data_schemas

from . import health, sessions
from .accounts import passwords, recovery, two_factor
from .accounts import views as start_views
from .accounts.forms import SignInForm
from .people import views as people_views
from .views import favicon

urlpatterns = [
    path("", start_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/keep-alive/", sessions.keep_alive, name="session_keep_alive"),
    path("accounts/two-factor/", two_factor.verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/recovery/", recovery.verify, name="recovery_verify"),
    path("accounts/two-factor/recovery-codes/", recovery.manage, name="recovery_codes"),
    path("accounts/two-factor/recovery-codes/new/", recovery.show_new, name="recovery_codes_new"),
    path("accounts/password-reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/password-change/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password-change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/invitation/<str:token>/", people_views.invitation_accept, name="invitation_accept"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    *cycle_links,
    *calendar_feeds,
    *open_data_schemas,
    path("<slug:partnership>/", start_views.partnership_home, name="partnership_home"),
    path("<slug:partnership>/", include("search.urls")),
    path("<slug:partnership>/", include("priorities.urls")),
    path("<slug:partnership>/", include("plandocs.urls")),
    path("<slug:partnership>/", include("actions.urls")),
    path("<slug:partnership>/", include("reviews.urls")),
    path("<slug:partnership>/", include("evidence.urls")),
    path("<slug:partnership>/", include("indicators.urls")),
    path("<slug:partnership>/", include("dashboards.urls")),
    path("<slug:partnership>/", include("reports.urls")),
    path("<slug:partnership>/", include("cycles.urls")),
    path("<slug:partnership>/", include("spreadsheets.urls")),
    path("<slug:partnership>/", include("csa_tracker.people.urls")),
    path("<slug:partnership>/", include("csa_tracker.notifications.urls")),
    path("<slug:partnership>/", include("calendars.urls")),
    path("<slug:partnership>/", include("opendata.urls")),
    path("<slug:partnership>/", include("configuration.urls")),
]
