"""A carried action with no progress published in its new plan yet shows, in the new plan's report, the
last progress published on the action it was carried from (followed back plan by plan), saying where it
was published, in every output, as the publish page promises; comparing last year's report with it
then shows nothing deleted (issue 25). Reports published before (snapshot format 4) render as they were."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from csa_tracker.accounts.access import access_for
from priorities.models import Plan
from reports.models import Report, cycle_slug
from reports.services import NeedsReason, report_publish
from reports.snapshot import build_snapshot, snapshot_digest
from tests.evidence.helpers import attach
from tests.factories import ActionFactory, PublishedUpdateFactory, ReportingCycleFactory
from tests.reports.test_reports_facts_and_charts import outputs, said
from workflow.models import ReviewState

WG, GOV, PARTNER = "working_group", "governing", "partner"
LAST_YEAR = "Last published in Q4 2017/18 of Test Agreement 2017/18 (January to March 2018)."


def _publish_through_the_page(client, cycle, reason: str = "") -> Report:
    url = f"/kent-test/reports/{cycle.plan.slug}/{cycle_slug(cycle)}/publish/"
    assert client.post(url, {"reason": reason} if reason else {}).status_code == 302
    return Report.objects.filter(cycle=cycle).latest("version")


def _roll_forward(client, plan_slug: str, title: str, slug: str, starts: date, ends: date) -> Plan:
    data = {"title": title, "slug": slug, "starts": starts.isoformat(), "ends": ends.isoformat(), "confirm": "on"}
    for plan_priority in Plan.objects.get(partnership__slug="kent-test", slug=plan_slug).plan_priorities.all():
        data |= {f"title_{plan_priority.pk}": plan_priority.title, f"next_{plan_priority.pk}": "carry"}
    response = client.post(f"/kent-test/plans/{plan_slug}/roll-forward/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Plan.objects.get(partnership__slug="kent-test", slug=slug)


def _first_cycle(plan: Plan, name: str, year: int):
    return ReportingCycleFactory(
        plan=plan,
        name=name,
        period_start=date(year, 4, 1),
        period_end=date(year, 6, 30),
        update_deadline=date(year, 7, 14),
    )


@pytest.fixture
def rolled(world, client_as):
    """Last year's report published; the plan rolled forward; this year's first report published through
    the publish page, with new progress on the own council's carried action and none on the other's."""
    client = client_as(world.users[WG])
    world.last_year = _publish_through_the_page(client, world.cycle)
    world.new_plan = _roll_forward(
        client, "2017-18", "Test Agreement 2018/19", "2018-19", date(2018, 4, 1), date(2019, 3, 31)
    )
    world.q1 = _first_cycle(world.new_plan, "Q1 2018/19", 2018)
    world.carried_own = Action.objects.get(carried_from=world.own_action)
    world.carried_other = Action.objects.get(carried_from=world.other_action)
    PublishedUpdateFactory(action=world.carried_own, cycle=world.q1, text="Own progress of 2018/19.")
    world.this_year = _publish_through_the_page(client, world.q1)
    return world


@pytest.mark.parametrize("role", [GOV, PARTNER])
def test_a_carried_action_shows_last_years_progress_saying_where_it_was_published(rolled, client_as, role):
    for name, text in outputs(rolled.this_year, client_as(rolled.users[role])).items():
        assert said("Other published progress." + LAST_YEAR) in text, name
        assert said("No progress published yet") not in text, name
        # The action with progress of its own this year shows that, with no word of last year.
        assert said("Own progress of 2018/19.") in text and said("Own published progress.") not in text, name


def test_the_snapshot_records_the_earlier_plan_and_cycle_of_carried_progress(rolled):
    actions = {action["wording"]: action for action in rolled.this_year.snapshot["priorities"][0]["actions"]}
    other = actions["Other council's action"]
    assert (other["progress"], other["progress_cycle"], other["progress_plan"]) == (
        "Other published progress.",
        "Q4 2017/18",
        "Test Agreement 2017/18",
    )
    assert "progress_plan" not in actions["Own council's action"]


def test_comparing_last_years_report_with_this_years_deletes_nothing_of_a_carried_action(rolled, client_as):
    url = f"/kent-test/reports/compare/?a={rolled.this_year.pk}&b={rolled.last_year.pk}"
    page = client_as(rolled.users[GOV]).get(url).content.decode()
    assert page.count("Other council&#x27;s action</h3>") == 1  # paired with itself a year ago
    other = page[page.index("Other council&#x27;s action</h3>") :]
    other = other[: other.index("</section>")]
    assert "Progress unchanged." in other and "deleted: </span>" not in other


def test_progress_is_followed_back_through_a_plan_with_none(rolled, client_as):
    """Rolled on again with nothing published for the other council's action in 2018/19: the 2019/20
    report shows what was published in 2017/18."""
    client = client_as(rolled.users[WG])
    later = _roll_forward(client, "2018-19", "Test Agreement 2019/20", "2019-20", date(2019, 4, 1), date(2020, 3, 31))
    q1 = _first_cycle(later, "Q1 2019/20", 2019)
    report = _publish_through_the_page(client, q1)
    for name, text in outputs(report, client_as(rolled.users[PARTNER])).items():
        assert said("Other published progress." + LAST_YEAR) in text, name
        own = "Own progress of 2018/19.Last published in Q1 2018/19 of Test Agreement 2018/19 (April to June 2018)."
        assert said(own) in text, name


def test_the_latest_published_version_is_shown_and_never_a_draft(rolled):
    """A correction of last year's progress replaces it; a draft or submitted update of the carried
    action this year is not published progress and changes nothing."""
    PublishedUpdateFactory(
        action=rolled.other_action,
        cycle=rolled.cycle,
        text="Other progress, corrected.",
        corrects=rolled.published_updates["other_org"],
        correction_reason="Wrong figure.",
    )
    PublishedUpdateFactory(action=rolled.carried_other, cycle=rolled.q1, state=ReviewState.SUBMITTED, text="Draft.")
    actions = build_snapshot(rolled.q1)["priorities"][0]["actions"]
    assert [action["progress"] for action in actions if action["wording"] == "Other council's action"] == [
        "Other progress, corrected."
    ]


def test_evidence_of_last_years_progress_is_linked_and_read_as_the_original_is(rolled, client_as):
    rolled.submitted_updates["other_org"].delete()  # at most one open update per action
    update = rolled.published_updates["other_org"]
    update.state = ReviewState.DRAFT
    update.save()
    evidence = attach(rolled.users[WG], update, "report.pdf")
    update.state = ReviewState.PUBLISHED
    update.save()
    report = _publish_through_the_page(client_as(rolled.users[WG]), rolled.q1, reason="Evidence added")
    link = f'<a href="/kent-test/evidence/{evidence.pk}/">report.pdf</a>'
    for role in (GOV, PARTNER):
        client = client_as(rolled.users[role])
        assert link in client.get(report.get_absolute_url()).content.decode()
        assert client.get(f"/kent-test/evidence/{evidence.pk}/").status_code == 200


def test_a_format_4_report_renders_as_published_and_publishing_again_is_a_correction(rolled, client_as):
    """Published facts are not recomputed: a report published before format 5 says "No progress
    published yet" for the carried action; publishing now shows last year's progress, a change that
    needs a reason."""
    snapshot = build_snapshot(rolled.q1)
    for action in snapshot["priorities"][0]["actions"]:
        if action.pop("progress_plan", None):
            action.update(progress="", progress_cycle="")
            for key in ("progress_cycle_start", "progress_cycle_end", "evidence"):
                action.pop(key, None)
    older = {**snapshot, "format": 4}  # stored as published then, its digest as the migration wrote it
    Report.objects.filter(pk=rolled.this_year.pk).update(snapshot=older, snapshot_digest=snapshot_digest(older))
    rolled.this_year.refresh_from_db()
    for name, text in outputs(rolled.this_year, client_as(rolled.users[GOV])).items():
        assert said("No progress published yet") in text and said(LAST_YEAR) not in text, name
    with pytest.raises(NeedsReason):
        report_publish(access=access_for(rolled.users[WG], rolled.partnership), cycle=rolled.q1)


def test_the_snapshot_takes_the_same_queries_however_many_actions_are_carried(rolled):
    build_snapshot(rolled.q1)  # what is read once per process (content types) is read
    with CaptureQueriesContext(connection) as few:
        build_snapshot(rolled.q1)
    for number in range(4):
        earlier = ActionFactory(plan_priority=rolled.plan_priority, leads=[rolled.own_org])
        PublishedUpdateFactory(action=earlier, cycle=rolled.cycle, text=f"Earlier {number}.")
        ActionFactory(plan_priority=rolled.carried_own.plan_priority, carried_from=earlier)
    with CaptureQueriesContext(connection) as more:
        actions = build_snapshot(rolled.q1)["priorities"][0]["actions"]
    assert len(more) == len(few)
    assert sum(action.get("progress_plan") == "Test Agreement 2017/18" for action in actions) == 5


def test_open_data_names_the_action_each_was_carried_from(rolled, client_as):
    client = client_as(rolled.users[PARTNER])
    actions = {
        (a["plan"], a["wording"]): a for a in client.get("/kent-test/open-data/v1/actions.json").json()["actions"]
    }
    assert actions[("2018-19", "Other council's action")]["carried_from"] == rolled.other_action.pk
    assert actions[("2018-19", "Other council's action")]["progress"] == []
    assert actions[("2017-18", "Other council's action")]["carried_from"] is None
    rows = client.get("/kent-test/open-data/v1/actions.csv").content.decode("utf-8-sig").splitlines()
    assert rows[0].endswith(",carried_from")
    carried = [row for row in rows if row.startswith(f"{rolled.carried_other.pk},")]
    assert [row.rsplit(",", 1)[1] for row in carried] == [str(rolled.other_action.pk)]


def test_the_publish_page_says_where_a_carried_actions_progress_was_last_published(rolled, client_as):
    page = client_as(rolled.users[WG]).get(f"/kent-test/reports/2018-19/{cycle_slug(rolled.q1)}/publish/")
    other = rolled.other_org.display_name
    assert (
        f"Other council&#x27;s action</a> ({other}) — last published: Q4 2017/18 of Test Agreement 2017/18"
    ) in page.content.decode()
