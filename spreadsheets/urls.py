from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_start, name="import_start"),
    path("import/templates/<slug:kind>.<slug:fmt>", views.import_template, name="import_template"),
    path("import/<str:token>/", views.import_preview, name="import_preview"),
    path("export/", views.export_index, name="export_index"),
    path("export/<slug:name>.<slug:fmt>", views.export_list, name="export_list"),
]
