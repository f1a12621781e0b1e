from django.urls import path

from . import views

# Before reports.urls: "new" is not a plan's short name, and the services refuse it as one.
urlpatterns = [
    path("plans/new/", views.plan_new, name="plan_create"),
    path("plans/<slug:plan>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<slug:plan>/priorities/new/", views.priority_new, name="priority_create"),
    path("plans/<slug:plan>/<slug:priority>/edit/", views.priority_edit, name="priority_edit"),
    path("plans/<slug:plan>/<slug:priority>/move/", views.priority_move, name="priority_move"),
]
