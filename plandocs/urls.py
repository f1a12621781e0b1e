from django.urls import path

from . import views

# Before reports.urls (`plans/<plan>/`): "import" is not a plan's short name (priorities.models).
urlpatterns = [
    path("plans/import/", views.plan_import_start, name="plan_import"),
    path("plans/import/<slug:token>/", views.plan_import_preview, name="plan_import_preview"),
    path("plans/<slug:plan>/plan.docx", views.plan_docx_download, name="plan_docx"),
]
