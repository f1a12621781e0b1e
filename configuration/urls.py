from django.urls import path

from . import views

urlpatterns = [
    path("settings/", views.settings_home, name="settings_home"),
    path("settings/lists/<slug:kind>/", views.vocabulary_list, name="settings_vocabulary"),
    path("settings/lists/<slug:kind>/new/", views.vocabulary_edit, name="settings_vocabulary_new"),
    path("settings/lists/<slug:kind>/<int:pk>/", views.vocabulary_edit, name="settings_vocabulary_edit"),
    path("settings/lists/<slug:kind>/<int:pk>/delete/", views.vocabulary_delete, name="settings_vocabulary_delete"),
    path("settings/plans/<slug:plan>/", views.plan_settings, name="settings_plan"),
    path("settings/areas/<int:pk>/populations/", views.area_populations, name="settings_populations"),
    path("settings/populations/import/", views.population_import, name="settings_population_import"),
    path("settings/spreadsheets/", views.spreadsheet_index, name="settings_spreadsheets"),
    path("settings/spreadsheets/import/<str:token>/", views.import_preview, name="settings_import_preview"),
    path("settings/spreadsheets/<slug:kind>.<slug:fmt>", views.spreadsheet_export, name="settings_spreadsheet_export"),
    path("settings/year/", views.partnership_year, name="settings_year"),
    path("settings/indicators/", views.indicator_list, name="settings_indicators"),
    path("settings/indicators/new/", views.indicator_edit, name="settings_indicator_new"),
    path("settings/indicators/<slug:slug>/", views.indicator_edit, name="settings_indicator"),
    path("settings/indicators/<slug:slug>/targets/", views.indicator_add_target, name="settings_indicator_target"),
    path("settings/indicators/<slug:slug>/notes/", views.indicator_add_note, name="settings_indicator_note"),
    path("settings/indicators/<slug:slug>/retire/", views.indicator_retire, name="settings_indicator_retire"),
]
