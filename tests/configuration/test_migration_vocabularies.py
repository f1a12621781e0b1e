"""The migration that gives global statuses, funding sources, organisations and areas to partnerships
(actions/migrations/0008): each partnership ends up with its own rows, references repointed, nothing lost."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("accounts", "0006_organisation_partnership_year_start"),
    ("actions", "0007_vocabularies_per_partnership_and_themes"),
    ("indicators", "0006_areas_per_partnership_targets_retirement"),
    ("priorities", "0004_plan_version_and_action_table"),
]
AFTER = [("actions", "0008_give_vocabularies_to_partnerships"), ("priorities", "0004_plan_version_and_action_table")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_each_partnership_gets_its_own_copy_of_what_it_uses(old_apps):
    get = old_apps.get_model
    Partnership, Organisation, Membership = (
        get("accounts", name) for name in ("Partnership", "Organisation", "Membership")
    )
    Status, FundingSource, Action = (get("actions", name) for name in ("Status", "FundingSource", "Action"))
    ProgressUpdate = get("actions", "ProgressUpdate")
    Agreement, Priority, PlanPriority = (get("priorities", name) for name in ("Agreement", "Priority", "PlanPriority"))
    ReportingCycle = get("cycles", "ReportingCycle")
    Geography, Population, Indicator = (get("indicators", name) for name in ("Geography", "Population", "Indicator"))
    IndicatorReading = get("indicators", "IndicatorReading")
    User = get("auth", "User")

    kent = Partnership.objects.create(name="Kent CSP", short_name="KCSP", slug="kent")
    maidstone = Partnership.objects.create(name="Maidstone CSP", short_name="MCSP", slug="maidstone")
    in_progress = Status.objects.create(name="In progress", order=2, severity=1)
    delayed = Status.objects.create(name="Delayed", order=3, severity=3)
    grant = FundingSource.objects.create(name="Home Office grant")
    police = Organisation.objects.create(name="Kent Police", kind="police")
    Organisation.objects.create(name="Maidstone Borough Council", kind="district_council")
    england = Geography.objects.create(name="England", kind="national")
    county = Geography.objects.create(name="Kent", kind="county", parent=england)
    district = Geography.objects.create(name="Maidstone", kind="district", parent=county)
    Population.objects.create(geography=district, year=2017, value=169_900)
    user = User.objects.create(username="someone")
    Membership.objects.create(user=user, partnership=maidstone, organisation=police, role="partner")

    actions = {}
    for partnership in (kent, maidstone):
        plan = Agreement.objects.create(
            partnership=partnership, title=f"{partnership.short_name} plan", slug="2017-18",
            starts=date(2017, 4, 1), ends=date(2018, 3, 31),
        )  # fmt: skip
        priority = Priority.objects.create(partnership=partnership, slug="road-safety")
        plan_priority = PlanPriority.objects.create(agreement=plan, priority=priority, title="Road safety")
        action = Action.objects.create(plan_priority=plan_priority, wording="Act", status=in_progress, funding=grant)
        action.leads.set([police])
        cycle = ReportingCycle.objects.create(
            agreement=plan, name="Q4", period_start=date(2018, 1, 1), period_end=date(2018, 3, 31),
            update_deadline=date(2018, 2, 16),
        )  # fmt: skip
        ProgressUpdate.objects.create(action=action, cycle=cycle, text="Done", status=in_progress, organisation=police)
        actions[partnership.slug] = action
    indicator = Indicator.objects.create(
        partnership=maidstone, slug="asb", name="ASB", period_type="calendar_year", geography=district
    )
    IndicatorReading.objects.create(
        indicator=indicator, geography=district, period_start=date(2017, 1, 1), period_end=date(2017, 12, 31), value=5
    )

    new_apps = migrate(AFTER)
    get = new_apps.get_model
    Status, FundingSource, Action = (get("actions", name) for name in ("Status", "FundingSource", "Action"))
    Organisation, Membership = get("accounts", "Organisation"), get("accounts", "Membership")
    Geography, Indicator = get("indicators", "Geography"), get("indicators", "Indicator")
    ProgressUpdate = get("actions", "ProgressUpdate")

    # Every partnership has the whole status vocabulary, and nothing is left without a partnership.
    for model in (Status, FundingSource, Organisation, Geography):
        assert not model.objects.filter(partnership__isnull=True).exists()
    assert sorted(Status.objects.filter(partnership=kent.pk).values_list("name", flat=True)) == [
        "Delayed",
        "In progress",
    ]
    assert sorted(Status.objects.filter(partnership=maidstone.pk).values_list("name", flat=True)) == [
        "Delayed",
        "In progress",
    ]
    assert Status.objects.filter(pk=delayed.pk, partnership=kent.pk).exists()

    # References point at each partnership's own row.
    for slug, partnership in (("kent", kent), ("maidstone", maidstone)):
        action = Action.objects.get(pk=actions[slug].pk)
        assert action.status.partnership_id == partnership.pk
        assert action.status.name == "In progress"
        assert action.funding.partnership_id == partnership.pk
        assert [lead.partnership_id for lead in action.leads.all()] == [partnership.pk]
        update = ProgressUpdate.objects.get(action=action)
        assert (update.status.partnership_id, update.organisation.partnership_id) == (partnership.pk, partnership.pk)
    membership = Membership.objects.get()
    assert membership.organisation.partnership_id == maidstone.pk
    assert membership.organisation.name == "Kent Police"

    # Kent kept the original row (lowest id first); Maidstone has a copy.
    assert Organisation.objects.get(pk=police.pk).partnership_id == kent.pk
    assert Organisation.objects.filter(name="Kent Police").count() == 2
    # An organisation nothing refers to goes to every partnership: nothing is lost.
    assert Organisation.objects.filter(name="Maidstone Borough Council").count() == 2

    # Areas: Maidstone's indicator uses the district, so the district and its parents are Maidstone's,
    # with the population; Kent, which uses none of them, gets none.
    indicator = Indicator.objects.get(slug="asb")
    assert indicator.geography.partnership_id == maidstone.pk
    assert indicator.geography.parent.partnership_id == maidstone.pk
    assert indicator.geography.parent.parent.name == "England"
    assert indicator.geography.populations.get().value == 169_900
    assert not Geography.objects.filter(partnership=kent.pk).exists()
