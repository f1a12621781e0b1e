"""An empty partnership, as a superuser makes one: the partnership, its first administrator, a member of
its Working Group and two organisations; no plan, no statuses, nothing else."""

from dataclasses import dataclass

import pytest

from csa_tracker.accounts.models import Organisation, Role
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory


@dataclass
class Empty:
    partnership: object
    kcst: object
    police: object
    working_group: object  # a member of the Working Group, for the Community Safety Team
    colleague: object  # another member of the Working Group
    admin: object
    partner: object


@pytest.fixture
def empty(db) -> Empty:
    partnership = PartnershipFactory(name="Kent Community Safety Partnership", short_name="KCSP", slug="kent")
    kcst = OrganisationFactory(
        partnership=partnership,
        name="Kent Community Safety Team",
        short_name="KCST",
        kind=Organisation.Kind.PARTNERSHIP_TEAM,
    )
    police = OrganisationFactory(
        partnership=partnership, name="Kent Police", short_name="Kent Police", kind=Organisation.Kind.POLICE
    )
    people = {}
    for username, role, organisation in (
        ("rhiannon", Role.WORKING_GROUP, kcst),
        ("colleague", Role.WORKING_GROUP, kcst),
        ("admin", Role.ADMIN, kcst),
        ("partner", Role.PARTNER, police),
    ):
        people[username] = UserFactory(username=username)
        MembershipFactory(user=people[username], partnership=partnership, organisation=organisation, role=role)
    return Empty(
        partnership,
        kcst,
        police,
        people["rhiannon"],
        people["colleague"],
        people["admin"],
        people["partner"],
    )
