from django.urls import path

from . import plan_views, views

report = "reports/<slug:plan>/<slug:cycle>"

urlpatterns = [
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/<slug:plan>/", plan_views.plan_detail, name="plan_detail"),
    # "roll-forward" (actions.urls, included earlier) takes precedence over a priority slug.
    path("plans/<slug:plan>/<slug:priority>/", plan_views.priority_detail, name="priority_detail"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/compare/", views.report_compare, name="report_compare"),
    path(f"{report}/", views.report_latest, name="report_latest"),
    path(f"{report}/preview/", views.report_preview, name="report_preview"),
    path(f"{report}/publish/", views.report_publish, name="report_publish"),
    path(f"{report}/publish/ask-for-updates/", views.report_ask_updates, name="report_ask_updates"),
    path(f"{report}/v<int:version>/", views.report_detail, name="report_detail"),
    path(f"{report}/v<int:version>.pdf", views.report_pdf, name="report_pdf"),
    path(f"{report}/v<int:version>.docx", views.report_docx, name="report_docx"),
    path(f"{report}/v<int:version>/files.json", views.report_outputs_status, name="report_outputs_status"),
    path("reports/settings/", views.report_settings, name="report_settings"),
]
