from django.urls import path

from . import views

urlpatterns = [
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/changes/", views.action_changes, name="action_changes"),
    path("plans/<slug:plan>/roll-forward/", views.plan_roll_forward_page, name="plan_roll_forward"),
    path("plans/<slug:plan>/<slug:priority>/actions/new/", views.action_new, name="action_new"),
]
