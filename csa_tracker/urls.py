from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("<slug:partnership>/", views.partnership_home, name="partnership_home"),
    path("<slug:partnership>/", include("priorities.urls")),
    path("<slug:partnership>/", include("actions.urls")),
    path("<slug:partnership>/", include("reviews.urls")),
    path("<slug:partnership>/", include("spreadsheets.urls")),
]
