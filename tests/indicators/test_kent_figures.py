"""The Kent 2017/18 figures show with the comparisons and directions the published plan states."""

import pytest
from django.urls import reverse

from csa_tracker.accounts.models import Membership, Organisation, Role
from demo.loader import load_plan
from tests.factories import UserFactory

# slug: (the change as the plan words it, direction of travel)
KENT_FIGURES = {
    "asb-incidents": ("down 12.8% from 46,036 to 40,151, 5,885 fewer", "↓</span> Improving"),
    "da-incidents": ("up 14.7% from 34,664 to 39,756, 5,092 more", "↑</span> Up"),
    "road-casualties": ("up 5.6% from 5,799 to 6,122, 323 more", "≠</span> Not comparable"),
    "hate-crimes": ("up 78.2% from 1,730 to 3,082, 1,352 more", "↑</span> Up"),
    # The plan rounds these to "up 20%" and "a 29% increase".
    "da-offences-england-wales": ("up 19.5% from 447,950 to 535,359, 87,409 more", "↑</span> Up"),
    "hate-crime-offences-england-wales": ("up 28.6% from 62,518 to 80,393, 17,875 more", "↑</span> Up"),
}
HEADLINE = ["asb-incidents", "da-incidents", "road-casualties", "hate-crimes"]


@pytest.fixture
def kent(db):
    plan = load_plan()
    organisation = Organisation.objects.get(name="Kent County Council")
    users = {}
    for role in (Role.GOVERNING, Role.WORKING_GROUP, Role.PARTNER):
        users[role] = UserFactory(username=f"kent-{role}")
        Membership.objects.create(user=users[role], partnership=plan.partnership, organisation=organisation, role=role)
    return users


@pytest.mark.parametrize("slug", sorted(KENT_FIGURES))
def test_kent_indicator_page_states_the_plans_comparison_and_direction(kent, client_as, slug):
    wording, direction = KENT_FIGURES[slug]
    page = client_as(kent[Role.PARTNER]).get(reverse("indicator_page", kwargs={"partnership": "kent", "slug": slug}))
    text = page.content.decode()
    assert wording in text
    assert direction in text


def test_road_casualties_explain_why_they_are_not_comparable(kent, client_as):
    url = reverse("indicator_page", kwargs={"partnership": "kent", "slug": "road-casualties"})
    text = client_as(kent[Role.GOVERNING]).get(url).content.decode()
    assert "12 months to December 2016" in text and "12 months to December 2015" in text
    assert "CRASH, Collision Recording and Sharing" in text


@pytest.mark.parametrize("role", [Role.GOVERNING, Role.WORKING_GROUP])
def test_kent_dashboard_shows_the_headline_figures_as_the_plan_states_them(kent, client_as, role):
    text = client_as(kent[role]).get(reverse("dashboard", kwargs={"partnership": "kent"})).content.decode()
    for slug in HEADLINE:
        wording, direction = KENT_FIGURES[slug]
        assert wording in text
        assert direction in text
    assert "Visitors to One Stop Shops" in text and "approx. 3,200" in text
    assert "Domestic abuse-related offences recorded by the police" not in text  # a national comparator
    assert "Completed:" in text
