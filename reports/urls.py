from django.urls import path

from . import views

report = "reports/<slug:plan>/<slug:cycle>"

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/compare/", views.report_compare, name="report_compare"),
    path(f"{report}/", views.report_latest, name="report_latest"),
    path(f"{report}/preview/", views.report_preview, name="report_preview"),
    path(f"{report}/publish/", views.report_publish, name="report_publish"),
    path(f"{report}/v<int:version>/", views.report_detail, name="report_detail"),
    path(f"{report}/v<int:version>.pdf", views.report_pdf, name="report_pdf"),
    path(f"{report}/v<int:version>.docx", views.report_docx, name="report_docx"),
    path("reports/settings/", views.report_settings, name="report_settings"),
]
