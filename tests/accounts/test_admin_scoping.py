"""The Django admin: superusers only, human labels, and no record pointing into another partnership."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from actions.models import Action, Status
from csa_tracker.accounts.models import Membership, Organisation
from csa_tracker.audit.models import AuditEntry
from indicators.models import Geography, IndicatorReading
from priorities.models import PlanPriority
from tests.factories import GeographyFactory, IndicatorFactory, PlanFactory, PriorityFactory, UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_staff_who_are_not_superusers_cannot_use_the_admin(db, client_as):
    staff = UserFactory(is_staff=True, is_superuser=False)
    response = client_as(staff).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client_as(staff).get(reverse("admin:priorities_planpriority_changelist")).status_code == 302


def test_superusers_see_plans_named_as_plans(superuser, client_as):
    index = client_as(superuser).get(reverse("admin:index")).content.decode()
    assert "CSA Tracker administration" in index
    assert ">Plans<" in index
    assert "Agreements" not in index
    assert "Priorities in plans" in index


def test_domain_records_are_read_only_in_the_admin(world, superuser, client_as):
    """Plans, priorities, actions and the partnership's lists change through the app's pages and their
    audited services, never here (issue 22)."""
    admin = client_as(superuser)
    for name in ("priorities_plan", "priorities_planpriority", "actions_action", "actions_status"):
        assert admin.get(reverse(f"admin:{name}_add")).status_code == 403
    page = admin.get(reverse("admin:priorities_plan_change", args=[world.plan.pk]))
    assert page.status_code == 200  # shown, as a read-only page
    assert 'name="slug"' not in page.content.decode()
    refused = admin.post(reverse("admin:priorities_plan_change", args=[world.plan.pk]), {"slug": "new"})
    assert refused.status_code == 403
    world.plan.refresh_from_db()
    assert world.plan.slug == "2017-18"


def test_a_priority_of_another_partnership_is_refused_in_a_plan(world):
    theirs = PriorityFactory(partnership=world.other_partnership, slug="their-priority")
    plan_priority = PlanPriority(plan=world.plan, priority=theirs, title="Borrowed", order=1)
    with pytest.raises(forms.ValidationError) as refused:
        plan_priority.full_clean()
    assert refused.value.message_dict["priority"] == [
        "“their-priority” belongs to Elsewhere Partnership; choose one of Kent Test Partnership's priorities."
    ]


def test_a_plan_rolled_forward_from_another_partnerships_is_refused(world):
    plan = PlanFactory(partnership=world.partnership, slug="2018-19", starts=date(2018, 4, 1), ends=date(2019, 3, 31))
    plan.previous = world.other_plan
    with pytest.raises(forms.ValidationError) as refused:
        plan.full_clean()
    assert "belongs to Elsewhere Partnership" in refused.value.message_dict["previous"][0]


def test_short_names_the_sites_addresses_use_are_refused(world):
    world.plan.slug = "new"
    with pytest.raises(forms.ValidationError) as refused:
        world.plan.full_clean()
    assert "is a word the site's addresses use" in refused.value.message_dict["slug"][0]


def test_an_indicators_priority_must_be_its_own_partnerships(world):
    indicator = IndicatorFactory.build(
        partnership=world.partnership, priority=world.other_partnership_action.plan_priority.priority
    )
    with pytest.raises(forms.ValidationError) as refused:
        indicator.clean()
    assert refused.value.message_dict["priority"] == [
        "“road-safety” is a priority of Elsewhere Partnership, not of Kent Test Partnership."
    ]


class ReadingForm(forms.ModelForm):
    """A model form, as the admin builds one: model validation runs through `full_clean`."""

    class Meta:
        model = IndicatorReading
        fields = ["indicator", "geography", "period_start", "period_end", "value"]


def reading_data(indicator, geography):
    return {
        "indicator": indicator.pk,
        "geography": geography.pk,
        "period_start": "2019-01-01",
        "period_end": "2019-12-31",
        "value": "12",
    }


def test_a_reading_for_an_area_the_indicator_is_not_reported_for_is_refused(world):
    kent = world.indicator.geography
    district = Geography.objects.create(
        partnership=world.partnership, name="Ashford", kind=Geography.Kind.DISTRICT, parent=kent
    )
    national = GeographyFactory(partnership=world.partnership, name="England and Wales", kind=Geography.Kind.NATIONAL)

    refused = ReadingForm(reading_data(world.indicator, national))
    assert not refused.is_valid()
    assert refused.errors["geography"] == [
        "“Road casualties” is reported for Kent and the areas in it, not England and Wales."
    ]
    assert ReadingForm(reading_data(world.indicator, district)).is_valid()
    assert ReadingForm(reading_data(world.indicator, kent)).is_valid()


def test_an_action_with_another_partnerships_status_is_refused(world):
    theirs = Status.objects.create(partnership=world.other_partnership, name="Their status", order=9)
    action = Action(plan_priority=world.plan_priority, wording="Borrowed status", status=theirs, order=1)
    with pytest.raises(forms.ValidationError) as refused:
        action.full_clean()
    assert "belongs to Elsewhere Partnership" in refused.value.message_dict["status"][0]


def test_a_membership_for_another_partnerships_organisation_is_refused(world):
    theirs = Organisation.objects.create(partnership=world.other_partnership, name="Their council", kind="police")
    membership = Membership(user=world.outsider, partnership=world.partnership, organisation=theirs, role="partner")
    with pytest.raises(forms.ValidationError) as refused:
        membership.clean()
    assert "belongs to Elsewhere Partnership" in refused.value.message_dict["organisation"][0]


def test_a_membership_added_in_the_admin_is_in_the_audit_trail(world, superuser, client_as):
    data = {"user": world.outsider.pk, "partnership": world.partnership.pk, "organisation": world.own_org.pk}
    response = client_as(superuser).post(reverse("admin:accounts_membership_add"), data | {"role": "partner"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.outsider)
    [entry] = AuditEntry.objects.for_object(membership)
    assert (entry.verb, entry.actor, entry.partnership, entry.reason) == (
        "create",
        superuser,
        world.partnership,
        "Django admin",
    )
    assert entry.changes["Role"] == ["", "partner"]


def test_the_four_eyes_setting_changed_in_the_admin_is_in_the_audit_trail(world, superuser, client_as):
    url = reverse("admin:accounts_partnership_change", args=[world.partnership.pk])
    form = client_as(superuser).get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "separate_publisher"}
    data["parent"] = ""
    response = client_as(superuser).post(url, data)
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.separate_publisher is False
    [entry] = AuditEntry.objects.for_object(world.partnership)
    assert entry.changes == {"Separate publisher": ["Yes", "No"]}


def test_action_list_names_plans_and_priorities_in_words(world, superuser, client_as):
    page = client_as(superuser).get(reverse("admin:actions_action_changelist")).content.decode()
    assert "Priority in a plan" in page
    assert "Plan priority" not in page
    assert "By plan" in page  # the filter of plans, once "plan"
