from django.urls import path

from . import views

v1 = "open-data/v1"

urlpatterns = [
    path("open-data/", views.open_data_page, name="opendata_page"),
    path("open-data/settings/", views.open_data_settings, name="opendata_settings"),
    path(f"{v1}/", views.open_data_index, name="opendata_index"),
    path(f"{v1}/plan.json", views.open_data_plan, name="opendata_plan_json"),
    path(f"{v1}/actions.json", views.open_data_actions, {"fmt": "json"}, name="opendata_actions_json"),
    path(f"{v1}/actions.csv", views.open_data_actions, {"fmt": "csv"}, name="opendata_actions_csv"),
    path(f"{v1}/figures.json", views.open_data_figures, {"fmt": "json"}, name="opendata_figures_json"),
    path(f"{v1}/figures.csv", views.open_data_figures, {"fmt": "csv"}, name="opendata_figures_csv"),
]

# Not inside a partnership: the schemas describe every partnership's files alike.
unscoped_urlpatterns = [
    path("open-data/schema/v1/<slug:name>.json", views.open_data_schema, name="opendata_schema"),
]
