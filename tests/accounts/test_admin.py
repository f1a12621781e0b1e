"""Configuration through Django admin: the admin role reaches it, other roles do not."""

import pytest
from django.urls import reverse

ADMIN_PAGES = [
    "admin:accounts_organisation_changelist",
    "admin:accounts_membership_changelist",
    "admin:actions_status_changelist",
    "admin:actions_fundingsource_changelist",
    "admin:actions_action_changelist",
    "admin:priorities_planpriority_changelist",
    "admin:audit_auditentry_changelist",
]


@pytest.fixture
def superuser(world):
    admin = world.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return admin


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_configures_through_django_admin(world, superuser, client_as, name):
    assert client_as(superuser).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", ["partner", "working_group", "governing"])
def test_other_roles_are_sent_away_from_django_admin(world, client_as, role):
    response = client_as(world.users[role]).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_audit_trail_cannot_be_edited_in_admin(world, superuser, client_as):
    from csa_tracker.audit.services import audit_record

    event = audit_record(world.submitted_updates["own"], actor=superuser, verb="submit", summary="Submitted")
    client = client_as(superuser)
    url = reverse("admin:audit_auditentry_change", args=[event.pk])
    client.post(url, {"reason": "rewritten"})
    event.refresh_from_db()
    assert event.reason == ""
