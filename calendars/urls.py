from django.urls import path

from . import views

urlpatterns = [
    path("calendar/", views.calendar_links, name="calendar_links"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
]

# Not inside a partnership's pages: calendar programs fetch these with the secret token, without signing in.
unscoped_urlpatterns = [
    path("calendars/<str:token>/me.ics", views.calendar_person, name="calendar_person"),
    path(
        "calendars/<str:token>/partnership/<slug:partnership>.ics",
        views.calendar_partnership,
        name="calendar_partnership",
    ),
]
