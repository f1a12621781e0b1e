from django.urls import path

from . import views

urlpatterns = [
    path("settings/", views.settings_home, name="settings_home"),
    path("settings/lists/<slug:kind>/", views.vocabulary_list, name="settings_vocabulary"),
    path("settings/lists/<slug:kind>/new/", views.vocabulary_edit, name="settings_vocabulary_new"),
    path("settings/lists/<slug:kind>/<int:pk>/", views.vocabulary_edit, name="settings_vocabulary_edit"),
    path("settings/lists/<slug:kind>/<int:pk>/delete/", views.vocabulary_delete, name="settings_vocabulary_delete"),
]
