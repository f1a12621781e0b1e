"""Set-ups shared by the import tests: the test client signed in as the person who uploads."""

import pytest


@pytest.fixture
def reviewer(world, client):
    """The test client signed in as the Working Group member, who may import every kind of file."""
    client.force_login(world.users["working_group"])
    return client


@pytest.fixture
def partner(world, client):
    """The test client signed in as the partner of the own council."""
    client.force_login(world.users["partner"])
    return client
