from django.urls import path

from . import board_views, conversation_views, draft_views, escalation_views, views

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("actions/<int:pk>/progress/", views.update_start, name="update_start"),
    path("readings/new/<slug:indicator>/", views.reading_start, name="reading_start"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/publish/", views.review_publish_many, name="review_publish_many"),
    path("escalations/", views.escalations, name="escalations"),
    path("cycles/<int:pk>/board/", board_views.cycle_board, name="cycle_board"),
    path("cycles/<int:pk>/board.csv", board_views.cycle_board_export, {"fmt": "csv"}, name="cycle_board_csv"),
    path("cycles/<int:pk>/board.xlsx", board_views.cycle_board_export, {"fmt": "xlsx"}, name="cycle_board_xlsx"),
    path(
        "cycles/<int:pk>/board/request/<int:action>/",
        board_views.cycle_request_update,
        name="cycle_request_update",
    ),
    path("cycles/<int:pk>/board/remind-overdue/", board_views.cycle_remind_overdue, name="cycle_remind_overdue"),
    path("updates/<int:pk>/carry/", draft_views.update_carry, name="update_carry"),
    path("updates/<int:pk>/delete/", draft_views.update_delete, name="update_delete"),
    path("escalations/<int:pk>/", escalation_views.escalation_detail, name="escalation_detail"),
    path("escalations/<int:pk>/respond/", escalation_views.escalation_respond, name="escalation_respond"),
    path("escalations/requests/<int:pk>/answer/", escalation_views.request_answer, name="request_answer"),
    path("escalations/requests/<int:pk>/close/", escalation_views.request_close, name="request_close"),
]

# The same views serve progress updates and indicator readings.
for kind, prefix in (("update", "updates"), ("reading", "readings")):
    urlpatterns += [
        path(f"{prefix}/<int:pk>/", views.item_edit, {"kind": kind}, name=f"{kind}_edit"),
        path(f"{prefix}/<int:pk>/withdraw/", views.item_withdraw, {"kind": kind}, name=f"{kind}_withdraw"),
        path(f"{prefix}/<int:pk>/history/", views.item_history, {"kind": kind}, name=f"{kind}_history"),
        path(f"{prefix}/<int:pk>/history.csv", views.item_history_csv, {"kind": kind}, name=f"{kind}_history_csv"),
        path(f"{prefix}/<int:pk>/correct/", views.item_correct, {"kind": kind}, name=f"{kind}_correct"),
        path(f"{prefix}/<int:pk>/escalate/", views.item_escalate, {"kind": kind}, name=f"{kind}_escalate"),
        path(f"review/{prefix}/<int:pk>/", views.review_item, {"kind": kind}, name=f"review_{kind}"),
        path(
            f"{prefix}/<int:pk>/conversation/",
            conversation_views.item_conversation,
            {"kind": kind},
            name=f"{kind}_conversation",
        ),
    ]
