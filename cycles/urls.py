from django.urls import path

from . import draft_views, views

urlpatterns = [
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/edit/", views.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/next/", views.cycle_next, name="cycle_next"),
    path("cycles/<int:pk>/lock/", views.cycle_lock, name="cycle_lock"),
    path("cycles/<int:pk>/reopen/", views.cycle_reopen, name="cycle_reopen"),
    path("cycles/<int:pk>/board/", views.cycle_board, name="cycle_board"),
    path("cycles/<int:pk>/board.csv", views.cycle_board_export, {"fmt": "csv"}, name="cycle_board_csv"),
    path("cycles/<int:pk>/board.xlsx", views.cycle_board_export, {"fmt": "xlsx"}, name="cycle_board_xlsx"),
    path("cycles/<int:pk>/board/request/<int:action>/", views.cycle_request_update, name="cycle_request_update"),
    path("updates/<int:pk>/carry/", draft_views.update_carry, name="update_carry"),
    path("updates/<int:pk>/delete/", draft_views.update_delete, name="update_delete"),
]

# Not inside a partnership: the link in a digest e-mail, which works without signing in.
unscoped_urlpatterns = [
    path("notifications/digest/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest_unsubscribe"),
]
