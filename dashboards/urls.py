from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.governing_dashboard, name="dashboard"),
    path("dashboard/working-group/", views.working_group_dashboard, name="working_group_dashboard"),
    path("dashboard/mine/", views.my_dashboard, name="my_dashboard"),
]
