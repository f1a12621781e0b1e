from django.urls import path

from . import views

urlpatterns = [
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/edit/", views.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/next/", views.cycle_next, name="cycle_next"),
    path("cycles/<int:pk>/lock/", views.cycle_lock, name="cycle_lock"),
    path("cycles/<int:pk>/reopen/", views.cycle_reopen, name="cycle_reopen"),
]

# Not inside a partnership: the link in a digest e-mail, which works without signing in.
unscoped_urlpatterns = [
    path("notifications/digest/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest_unsubscribe"),
]
