"""The escalations page has one name, the field's term "Escalations": in the menu, the browser's title,
the heading, the escalation's breadcrumb and the Working Group's dashboard (issue 25)."""

import re

import pytest
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from workflow.services import item_escalate


def url(route, **kwargs):
    return reverse(route, kwargs={"partnership": "kent-test", **kwargs})


@pytest.fixture
def escalation(world):
    wg = access_for(world.users["working_group"], world.partnership)
    return item_escalate(access=wg, item=world.published_updates["own"], note="Two chairs withdrew.", notify=False)


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def h1(page: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)).strip()


@pytest.mark.parametrize("role", ["working_group", "governing"])
def test_the_list_is_called_escalations_in_menu_title_and_heading(world, client_as, escalation, role):
    page = client_as(world.users[role]).get(url("escalations")).content.decode()
    assert title(page) == "Escalations — CSA Tracker"
    assert h1(page) == "Escalations"
    assert f'href="{url("escalations")}" aria-current="page">Escalations</a>' in page
    assert "Escalated items" not in page


def test_an_escalation_and_the_dashboard_use_the_same_name(world, client_as, escalation):
    client = client_as(world.users["working_group"])
    page = client.get(url("escalation_detail", pk=escalation.pk)).content.decode()
    assert title(page) == "Escalation — CSA Tracker"
    assert h1(page).startswith("Escalation: ")
    assert f'<a href="{url("escalations")}">Escalations</a></li>' in page
    dashboard = client.get(url("working_group_dashboard")).content.decode()
    assert '<h2 id="escalations-heading">Escalations</h2>' in dashboard
    assert ">All escalations</a>" in dashboard
