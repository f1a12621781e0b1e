from django.urls import path

from . import views

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<slug:slug>/", views.indicator_page, name="indicator_page"),
    path("indicators/<slug:slug>/csv", views.indicator_csv, name="indicator_csv"),
]
