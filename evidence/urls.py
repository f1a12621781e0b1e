from django.urls import path

from . import views

urlpatterns = [
    path("evidence/<int:pk>/", views.attachment_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.attachment_remove, name="evidence_remove"),
]
