"""Set-ups shared by the Settings tests."""

import pytest


@pytest.fixture
def reviewer(world, client_as):
    """The test client signed in as the Working Group member, who keeps the partnership's settings."""
    return client_as(world.users["working_group"])
