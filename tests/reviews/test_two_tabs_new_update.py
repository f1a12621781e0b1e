"""Case B20-two-tabs-new-update.py (tests/data/cases/, issue 23): two tabs, or two officers of one
organisation, start the same action's progress update; tab A saves a draft, then tab B saves its own.
B used to land on A's draft with no message and B's text was gone. Now B is refused with its text
kept and A's saved text shown beside it; saving again replaces A's draft with B's text. The same
holds for two new readings of one indicator, area and period. The case script drives Chromium through
hunt_helpers.py (copied beside it); these tests replay its steps through the test client."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import ProgressUpdate
from csa_tracker.accounts.models import Role
from indicators.models import IndicatorReading
from tests.audit_entries import verbs
from tests.factories import ActionFactory, MembershipFactory
from tests.html_forms import post_forms
from tests.paths import DATA

CASE = DATA / "cases" / "B20-two-tabs-new-update.py"
TEXT_A = "TAB A: conference feedback report circulated."
TEXT_B = "TAB B: conference venue booked for 2018."


def test_the_case_file_is_the_reported_one():
    steps = CASE.read_text(encoding="utf-8")
    assert "a.fill('textarea[name=text]', 'TAB A: conference feedback report circulated.')" in steps
    assert "b.fill('textarea[name=text]', 'TAB B: conference venue booked for 2018.')" in steps


def _colleague(world):
    """A second partner of the world's own organisation."""
    return MembershipFactory(partnership=world.partnership, organisation=world.own_org, role=Role.PARTNER).user


@pytest.fixture
def action(world):
    return ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])


def _open_form(client, url):
    page = client.get(url)
    assert page.status_code == 200
    [form] = post_forms(page.content.decode(), url)
    return form


@pytest.mark.parametrize("second", ["same person, second tab", "colleague of the same organisation"])
def test_the_second_new_update_is_refused_with_its_text_kept(world, client, action, second):
    partner = world.users[Role.PARTNER]
    tab_b = Client()
    tab_b.force_login(partner if second.startswith("same") else _colleague(world))
    client.force_login(partner)
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": action.pk})
    form_a, form_b = _open_form(client, url), _open_form(tab_b, url)

    saved_a = client.post(url, form_a.data(button="save", text=TEXT_A))
    [draft] = ProgressUpdate.objects.filter(action=action)
    assert saved_a.status_code == 302
    assert saved_a["Location"] == reverse("update_edit", kwargs={"partnership": world.partnership.slug, "pk": draft.pk})

    refused = tab_b.post(url, form_b.data(button="save", text=TEXT_B))
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone saved this progress update since you opened it (by Test " in html
    assert "Your text is kept below; the saved version is shown for comparison. Save again to replace it." in html
    assert "The saved version, for comparison" in html
    assert TEXT_A in html  # A's draft, beside B's text
    [kept] = post_forms(html, url)
    assert dict(kept.values)["text"] == TEXT_B
    assert dict(kept.values)["version"] == str(draft.version)
    assert list(ProgressUpdate.objects.filter(action=action).values_list("text", flat=True)) == [TEXT_A]
    assert verbs(draft) == ["create"]

    # B compared the two and saves again: B's text replaces A's draft (an edit of it, in its history).
    replaced = tab_b.post(url, kept.data(button="save"))
    assert replaced.status_code == 302
    assert list(ProgressUpdate.objects.filter(action=action).values_list("text", flat=True)) == [TEXT_B]
    assert verbs(draft) == ["create", "edit"]


def test_saving_again_after_a_third_save_is_refused_again(world, client, action):
    """The replacement is checked too: if A saves once more meanwhile, B is told again."""
    client.force_login(world.users[Role.PARTNER])
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": action.pk})
    form_a, form_b = _open_form(client, url), _open_form(client, url)
    client.post(url, form_a.data(button="save", text=TEXT_A))
    [kept] = post_forms(client.post(url, form_b.data(button="save", text=TEXT_B)).content.decode(), url)
    draft = ProgressUpdate.objects.get(action=action)
    edit_url = reverse("update_edit", kwargs={"partnership": world.partnership.slug, "pk": draft.pk})
    [on_a] = post_forms(client.get(edit_url).content.decode(), edit_url)
    assert client.post(edit_url, on_a.data(button="save", text=TEXT_A + " More.")).status_code == 302

    again = client.post(url, kept.data(button="save"))
    assert again.status_code == 200
    assert "This item changed while you were looking at it" in again.content.decode()
    assert ProgressUpdate.objects.get(action=action).text == TEXT_A + " More."


def test_opening_the_form_once_a_draft_exists_still_goes_to_the_draft(world, client, action):
    client.force_login(world.users[Role.PARTNER])
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": action.pk})
    client.post(url, _open_form(client, url).data(button="save", text=TEXT_A))
    draft = ProgressUpdate.objects.get(action=action)
    response = client.get(url)
    assert response.status_code == 302
    edit_url = reverse("update_edit", kwargs={"partnership": world.partnership.slug, "pk": draft.pk})
    assert response["Location"] == edit_url


def test_two_tabs_starting_one_reading_the_second_is_refused_with_its_value_kept(world, client):
    client.force_login(world.users[Role.PARTNER])
    url = reverse("reading_start", kwargs={"partnership": world.partnership.slug, "indicator": world.indicator.slug})
    form_a, form_b = _open_form(client, url), _open_form(client, url)
    period = {"period_end": "2021-12-31", "geography": str(world.indicator.geography_id)}
    assert client.post(url, form_a.data(button="save", value="411", **period)).status_code == 302

    refused = client.post(url, form_b.data(button="save", value="422", **period))
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone saved this indicator reading since you opened it (by Test " in html
    [kept] = post_forms(html, url)
    assert dict(kept.values)["value"] == "422"
    [reading] = IndicatorReading.objects.filter(indicator=world.indicator, period_end=date(2021, 12, 31))
    assert reading.value == 411
    assert verbs(reading) == ["create"]
