from django.urls import path

from . import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<slug:plan>/", views.plan_detail, name="plan_detail"),
    # Before the priority route, whose slug would otherwise take "roll-forward".
    path("plans/<slug:plan>/roll-forward/", views.plan_roll_forward_page, name="plan_roll_forward"),
    path("plans/<slug:plan>/<slug:priority>/", views.priority_detail, name="priority_detail"),
    path("plans/<slug:plan>/<slug:priority>/edit/", views.priority_edit, name="priority_edit"),
]
