"""The demo accounts, one per role in Kent; the partner and reviewer also take part in Maidstone."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from csa_tracker.accounts.models import Membership, Organisation, Partnership, Role
from csa_tracker.accounts.policies import SECOND_FACTOR_FOR, roles_with

DEMO_DEVICE_NAME = "Demo authenticator"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str
    partnerships: tuple[str, ...] = ("kent",)

    @property
    def needs_two_factor(self) -> bool:
        return any(self.role in roles_with(capability) for capability in SECOND_FACTOR_FOR)


DEMO_USERS = [
    DemoUser("partner", "Priya", "Patel", Role.PARTNER, "Kent Community Safety Team", ("kent", "maidstone")),
    DemoUser("reviewer", "Robert", "Reid", Role.WORKING_GROUP, "Kent County Council", ("kent", "maidstone")),
    DemoUser("board", "Beatrice", "Bennett", Role.GOVERNING, "Office of the Police and Crime Commissioner"),
    DemoUser("admin", "Ada", "Adams", Role.ADMIN, "Kent County Council"),
]


@transaction.atomic
def ensure_demo_users(password: str | None) -> list[str]:
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
        for partnership in Partnership.objects.filter(slug__in=demo.partnerships):
            organisation = Organisation.objects.get(partnership=partnership, name=demo.organisation)
            Membership.objects.get_or_create(
                user=user, partnership=partnership, organisation=organisation, role=demo.role
            )
        if demo.needs_two_factor:
            TOTPDevice.objects.get_or_create(user=user, name=DEMO_DEVICE_NAME, defaults={"confirmed": True})
    return changed


def demo_device(username: str) -> TOTPDevice:
    return TOTPDevice.objects.get(user__username=username, name=DEMO_DEVICE_NAME)
