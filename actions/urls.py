from django.urls import path

from . import views

urlpatterns = [
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
]
