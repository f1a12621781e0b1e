from django.urls import path

from . import views

urlpatterns = [
    path("plans/<slug:plan>/<slug:priority>/edit/", views.priority_edit, name="priority_edit"),
]
