"""The action form lists the organisations already chosen as leads or supporters first, then the rest
by name, so the ticked boxes of a long list are in view; the filter box (static/js/checkbox-filter.js)
narrows the list in the browser (issue 25)."""

import re

import pytest
from django.urls import reverse

from tests.factories import ActionFactory, OrganisationFactory


def listed(page: str, field: str) -> list[tuple[str, bool]]:
    """The (organisation, ticked) pairs of the checkbox list `field`, in page order."""
    box = rf'<input type="checkbox"[^>]* name="{field}"([^>]*)>'
    boxes = re.findall(box + r"\s*<label[^>]*>\s*([^<]+?)\s*</label>", page)
    return [(name, "checked" in attrs) for attrs, name in boxes]


@pytest.fixture
def action(world):
    for name in ("Zeta Fire Service", "Beta Trust", "Alpha Police"):
        OrganisationFactory(partnership=world.partnership, name=name)
    zeta = world.partnership.organisations.get(name="Zeta Fire Service")
    beta = world.partnership.organisations.get(name="Beta Trust")
    return ActionFactory(plan_priority=world.plan_priority, leads=[zeta, world.other_org], supporters=[beta])


def test_chosen_organisations_come_first_then_the_rest_by_name(world, client_as, action):
    reviewer = client_as(world.users["working_group"])
    page = reviewer.get(reverse("action_edit", kwargs={"partnership": "kent-test", "pk": action.pk})).content.decode()
    assert listed(page, "leads") == [
        ("Other Council", True),
        ("Zeta Fire Service", True),
        ("Alpha Police", False),
        ("Beta Trust", False),
        ("Own District Council", False),
    ]
    assert [name for name, _ in listed(page, "supporters")] == [
        "Beta Trust",
        "Alpha Police",
        "Other Council",
        "Own District Council",
        "Zeta Fire Service",
    ]
    assert 'data-checkbox-filter="lead organisations"' in page
    assert "js/checkbox-filter.js" in page


def test_a_form_shown_again_keeps_what_was_ticked_first(world, client_as, action):
    reviewer = client_as(world.users["working_group"])
    url = reverse("action_edit", kwargs={"partnership": "kent-test", "pk": action.pk})
    alpha = world.partnership.organisations.get(name="Alpha Police")
    page = reviewer.post(url, {"wording": "", "leads": [alpha.pk], "order": 1}).content.decode()
    assert listed(page, "leads")[0] == ("Alpha Police", True)
    assert [name for name, _ in listed(page, "leads")[1:]] == [
        "Beta Trust",
        "Other Council",
        "Own District Council",
        "Zeta Fire Service",
    ]
