"""People pages of one partnership (included under `<slug:partnership>/`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people/invite/", views.people_invite, name="people_invite"),
    path("people/<int:pk>/", views.member_edit, name="member_edit"),
    path("people/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("people/invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
]
