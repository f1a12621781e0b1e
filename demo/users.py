"""The four demo accounts, one per role, in the Kent partnership."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from csa_tracker.accounts.models import Membership, Organisation, Partnership, Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str


DEMO_USERS = [
    DemoUser("partner", "Priya", "Patel", Role.PARTNER, "Kent Community Safety Team"),
    DemoUser("reviewer", "Robert", "Reid", Role.WORKING_GROUP, "Kent County Council"),
    DemoUser("board", "Beatrice", "Bennett", Role.GOVERNING, "Office of the Police and Crime Commissioner"),
    DemoUser("admin", "Ada", "Adams", Role.ADMIN, "Kent County Council"),
]


@transaction.atomic
def ensure_demo_users(partnership: Partnership, password: str | None) -> list[str]:
    """Create the demo users if missing; set `password` only when given and different. Returns what changed."""
    User = get_user_model()
    changed = []
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@example.org",
                "is_staff": demo.role == Role.ADMIN,
                "is_superuser": demo.role == Role.ADMIN,
            },
        )
        if password and (created or not user.check_password(password)):
            user.set_password(password)
            user.save(update_fields=["password"])
            changed.append(demo.username)
        organisation = Organisation.objects.get(name=demo.organisation)
        Membership.objects.get_or_create(user=user, partnership=partnership, organisation=organisation, role=demo.role)
    return changed
