"""Rolling a plan forward, a priority can be dropped or merged into another (issue 25), and next year's
plan says where a renamed or merged priority came from: "Formerly “…” in …", with a link to last year."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from actions.roll_forward import plan_roll_forward
from csa_tracker.accounts.access import access_for
from csa_tracker.audit.models import AuditEntry
from csa_tracker.refusals import Invalid
from priorities.models import Plan, PlanPriority
from tests.factories import ActionFactory, NoteFactory, PlanPriorityFactory, StatusFactory

WG = "working_group"
OLD = "Test Agreement 2017/18"


@pytest.fixture
def three(world):
    """Road Safety (own and other council's actions), Domestic Abuse (Refuges, Helpline; one note) and
    Reoffending (Mentoring open, Curfews completed; one note), in that order."""
    road = world.plan_priority
    PlanPriority.objects.filter(pk=road.pk).update(order=1)
    abuse = PlanPriorityFactory(plan=world.plan, title="Domestic Abuse", priority__slug="domestic-abuse", order=2)
    reoffending = PlanPriorityFactory(plan=world.plan, title="Reoffending", priority__slug="reoffending", order=3)
    NoteFactory(plan_priority=abuse, number=1, text="SafeLives, 2017")
    NoteFactory(plan_priority=reoffending, number=1, text="Ministry of Justice, 2017")
    ActionFactory(plan_priority=abuse, wording="Helpline", order=2, leads=[world.own_org])
    ActionFactory(plan_priority=abuse, wording="Refuges", order=1, leads=[world.own_org])
    ActionFactory(plan_priority=reoffending, wording="Mentoring", order=5, leads=[world.own_org])
    ActionFactory(plan_priority=reoffending, wording="Tagging", order=1, leads=[world.other_org])
    done = StatusFactory(partnership=world.partnership, name="Completed", is_complete=True)
    ActionFactory(plan_priority=reoffending, wording="Curfews", order=3, status=done, leads=[world.own_org])
    return {"road": PlanPriority.objects.get(pk=road.pk), "abuse": abuse, "reoffending": reoffending}


def url(plan="2017-18"):
    return reverse("plan_roll_forward", kwargs={"partnership": "kent-test", "plan": plan})


def form_data(three, **overrides):
    data = {"title": "Agreement 2018/19", "slug": "2018-19", "starts": "2018-04-01", "ends": "2019-03-31"}
    data["confirm"] = "on"
    for plan_priority in three.values():
        data[f"title_{plan_priority.pk}"] = plan_priority.title
        data[f"next_{plan_priority.pk}"] = "carry"
    return {**data, **overrides}


def roll_forward(world, client_as, data):
    response = client_as(world.users[WG]).post(url(), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Plan.objects.get(slug="2018-19")


def wordings(plan_priority) -> list[str]:
    return list(plan_priority.actions.order_by("order", "pk").values_list("wording", flat=True))


def test_the_page_offers_carry_drop_or_merge_for_each_priority_by_its_name(world, three, client_as):
    page = client_as(world.users[WG]).get(url()).content.decode()
    reoffending = three["reoffending"]
    field = f"next_{reoffending.pk}"
    assert '<legend class="h6 mb-1">Reoffending</legend>' in page
    label = rf'<label\s+for="id_{field}" class="form-label">\s*In the new plan, “Reoffending”\s*</label>'
    assert re.search(label, page)
    assert '<option value="carry" selected>Carry it into the new plan</option>' in page
    assert f'<option value="drop">Drop it: its 2 open actions stay in {OLD}</option>' in page
    abuse = three["abuse"]
    assert (
        f'<option value="merge-{abuse.pk}">Merge it into “Domestic Abuse”, carrying its open actions there</option>'
    ) in page
    own = page[page.index(f'<select name="{field}"') : page.index("</select>", page.index(f'<select name="{field}"'))]
    assert f'value="merge-{reoffending.pk}"' not in own  # never offered into itself


def test_a_dropped_priority_is_not_in_the_new_plan_and_its_open_actions_stay_behind(world, three, client_as):
    reoffending = three["reoffending"]
    response = client_as(world.users[WG]).post(url(), form_data(three, **{f"next_{reoffending.pk}": "drop"}))
    assert response.status_code == 302
    new_plan = Plan.objects.get(slug="2018-19")
    assert list(new_plan.plan_priorities.order_by("order").values_list("title", "order")) == [
        ("Road Safety", 1),
        ("Domestic Abuse", 2),
    ]
    for wording in ("Mentoring", "Tagging"):
        (only,) = Action.objects.filter(wording=wording)  # not carried: still last year's, and only there
        assert only.plan_priority_id == reoffending.pk and not only.carried_to.exists()
    assert sorted(Action.objects.filter(plan_priority__plan=new_plan).values_list("wording", flat=True)) == [
        "Helpline",
        "Other council's action",
        "Own council's action",
        "Refuges",
    ]
    entry = AuditEntry.objects.get(verb="roll_forward")
    assert entry.summary == f"Started from {OLD}; dropped “Reoffending” (2 open actions left behind)"
    assert entry.actor == world.users[WG]
    shown = client_as(world.users[WG]).get(response.url).content.decode()
    assert f"Agreement 2018/19 started from {OLD}. 2 open actions of dropped priorities stay in {OLD}." in shown


def test_a_merged_priority_s_open_actions_follow_the_target_s_own_in_their_order(world, three, client_as):
    abuse, reoffending = three["abuse"], three["reoffending"]
    choices = {f"next_{reoffending.pk}": f"merge-{abuse.pk}"}
    data = form_data(three, **choices, **{f"notes_{abuse.pk}": "on", f"notes_{reoffending.pk}": "on"})
    new_plan = roll_forward(world, client_as, data)
    assert list(new_plan.plan_priorities.order_by("order").values_list("title", "order")) == [
        ("Road Safety", 1),
        ("Domestic Abuse", 2),
    ]
    new_abuse = new_plan.plan_priorities.get(priority=abuse.priority)
    assert wordings(new_abuse) == ["Refuges", "Helpline", "Tagging", "Mentoring"]  # Curfews completed stays
    assert [(note.number, note.text) for note in new_abuse.notes.all()] == [
        (1, "SafeLives, 2017"),
        (2, "Ministry of Justice, 2017"),
    ]
    mentoring = new_abuse.actions.get(wording="Mentoring")
    assert mentoring.carried_from.plan_priority_id == reoffending.pk
    entry = AuditEntry.objects.get(verb="roll_forward")
    assert entry.summary == f"Started from {OLD}; merged “Reoffending” into “Domestic Abuse”"


def test_a_merged_priority_s_notes_follow_only_when_its_notes_are_kept(world, three, client_as):
    abuse, reoffending = three["abuse"], three["reoffending"]
    data = form_data(three, **{f"next_{reoffending.pk}": f"merge-{abuse.pk}", f"notes_{abuse.pk}": "on"})
    new_plan = roll_forward(world, client_as, data)
    new_abuse = new_plan.plan_priorities.get(priority=abuse.priority)
    assert [note.text for note in new_abuse.notes.all()] == ["SafeLives, 2017"]


REFUSALS = {
    "every priority dropped": (
        {"road": "drop", "abuse": "drop", "reoffending": "drop"},
        "road",
        "Carry at least one priority into the new plan: every priority is dropped or merged.",
    ),
    "merged into a dropped one": (
        {"abuse": "drop", "reoffending": "merge-abuse"},
        "reoffending",
        "“Reoffending” cannot merge into “Domestic Abuse”, which is dropped from the new plan; "
        "carry that one forward or choose a priority that is carried.",
    ),
    "merged into a merged one": (
        {"abuse": "merge-road", "reoffending": "merge-abuse"},
        "reoffending",
        "“Reoffending” cannot merge into “Domestic Abuse”, which is itself merged into another; "
        "choose a priority that is carried.",
    ),
    "merged into itself": (
        {"reoffending": "merge-reoffending"},
        "reoffending",
        "“Reoffending” cannot merge into itself; carry it forward or choose another priority.",
    ),
}


@pytest.mark.parametrize("case", REFUSALS.keys())
def test_choices_that_make_no_plan_are_refused_on_the_priority_s_field_keeping_what_was_typed(
    world, three, client_as, case
):
    choices, field_of, message = REFUSALS[case]

    def value(choice: str) -> str:
        return f"merge-{three[choice[6:]].pk}" if choice.startswith("merge-") else choice

    typed = {f"next_{three[name].pk}": value(choice) for name, choice in choices.items()}
    typed |= {"title": "Kent Agreement 2018/19", f"title_{three['road'].pk}": "Safer Roads"}
    typed |= {f"notes_{three['abuse'].pk}": "on"}
    response = client_as(world.users[WG]).post(url(), form_data(three, **typed))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {f"next_{three[field_of].pk}": [message]}
    assert not Plan.objects.filter(slug="2018-19").exists()
    for name, typed_value in typed.items():
        kept = form[name].value()
        assert kept is True if typed_value == "on" else kept == typed_value, name
    page = response.content.decode()
    assert message in page
    assert 'value="Kent Agreement 2018/19"' in page and 'value="Safer Roads"' in page
    for name, typed_value in typed.items():
        if name.startswith("next_") and typed_value != f"merge-{name[5:]}":  # itself is never offered
            select = page[page.index(f'<select name="{name}"') :]
            assert f'<option value="{typed_value}" selected>' in select[: select.index("</select>")], name


def test_the_plan_s_and_the_priorities_refusals_are_shown_together(world, three, client_as):
    reoffending = three["reoffending"]
    data = form_data(three, slug="2017-18", **{f"next_{reoffending.pk}": f"merge-{reoffending.pk}"})
    response = client_as(world.users[WG]).post(url(), data)
    assert response.context["form"].errors == {
        "slug": ["“2017-18” is already the short name of a plan; choose another."],
        f"next_{reoffending.pk}": [REFUSALS["merged into itself"][2]],
    }


def test_a_form_error_and_the_service_s_refusals_are_all_shown_at_once_keeping_what_was_typed(world, three, client_as):
    """A blank short name (the form's own error) does not hide the dates the wrong way round and every
    priority dropped (the service's rules): one post shows all three on their fields."""
    typed = {"slug": "", "starts": "2019-03-31", "ends": "2018-04-01", "title": "Kent Agreement 2018/19"}
    typed |= {f"next_{plan_priority.pk}": "drop" for plan_priority in three.values()}
    response = client_as(world.users[WG]).post(url(), form_data(three, **typed))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "slug": ["Enter the short name."],
        "ends": ["The plan must end after it starts."],
        f"next_{three['road'].pk}": [
            "Carry at least one priority into the new plan: every priority is dropped or merged."
        ],
    }
    assert {name: form[name].value() for name in typed} == typed
    assert not Plan.objects.filter(title="Kent Agreement 2018/19").exists()


def test_the_service_refuses_dropping_every_priority_of_a_one_priority_plan(world):
    access = access_for(world.users[WG], world.partnership)
    with pytest.raises(Invalid) as refused:
        plan_roll_forward(
            access=access,
            plan=world.plan,
            title="Next",
            slug="next",
            starts=date(2018, 4, 1),
            ends=date(2019, 3, 31),
            drop={world.plan_priority.pk},
        )
    assert refused.value.message_dict == {
        f"next_{world.plan_priority.pk}": [
            "Carry at least one priority into the new plan: every priority is dropped or merged."
        ]
    }
    assert not Plan.objects.filter(slug="next").exists()


# "Formerly …" on next year's plan.


@pytest.fixture
def renamed(world, three, client_as):
    """Next year's plan: Road Safety renamed Safer Roads, Domestic Abuse unchanged with Reoffending merged in."""
    road, abuse, reoffending = three["road"], three["abuse"], three["reoffending"]
    data = form_data(three, **{f"title_{road.pk}": "Safer Roads", f"next_{reoffending.pk}": f"merge-{abuse.pk}"})
    return roll_forward(world, client_as, data)


FORMERLY = f'Formerly <a href="/kent-test/plans/2017-18/road-safety/">“Road Safety” in {OLD}</a>'
INCLUDES = f'Includes actions carried from <a href="/kent-test/plans/2017-18/reoffending/">“Reoffending” ({OLD})</a>'


@pytest.mark.parametrize("role", ["partner", "working_group", "governing"])
def test_a_renamed_priority_says_formerly_with_a_link_to_last_year_on_its_page_and_the_plan_s(
    world, renamed, client_as, role
):
    client = client_as(world.users[role])
    plan_page = client.get("/kent-test/plans/2018-19/").content.decode()
    assert plan_page.count(_line(FORMERLY)) == 1
    assert plan_page.count(_line(INCLUDES)) == 1
    assert plan_page.count("Formerly") == 1  # Domestic Abuse kept its title
    road_page = client.get("/kent-test/plans/2018-19/road-safety/").content.decode()
    assert road_page.count(_line(FORMERLY)) == 1
    assert "Includes actions carried from" not in road_page
    abuse_page = client.get("/kent-test/plans/2018-19/domestic-abuse/").content.decode()
    assert "Formerly" not in abuse_page
    assert abuse_page.count(_line(INCLUDES)) == 1
    last_year = client.get("/kent-test/plans/2017-18/road-safety/")
    assert last_year.status_code == 200 and "Formerly" not in last_year.content.decode()


def _line(text: str) -> str:
    return f'<span class="d-block small text-body-secondary">{text}</span>'


def test_a_plan_rolled_forward_unchanged_says_no_formerly(world, three, client_as):
    roll_forward(world, client_as, form_data(three))
    page = client_as(world.users["partner"]).get("/kent-test/plans/2018-19/").content.decode()
    assert "Formerly" not in page and "Includes actions carried from" not in page


def test_the_plan_page_reads_where_priorities_came_from_in_queries_that_do_not_grow_with_them(
    world, renamed, client_as, pages_built_every_time
):
    client = client_as(world.users["partner"])
    old_plan, new_plan = world.plan, renamed

    def queries(formerly: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/kent-test/plans/2018-19/").content.decode()
        assert page.count("Formerly <a") == formerly
        assert page.count("Includes actions carried from <a") == formerly
        return len(captured)

    # Warm: the menu's unread count and the theme filter's options (issue 26) are kept from here on.
    client.get("/kent-test/plans/2018-19/")
    before = queries(formerly=1)
    for number in range(8):
        old = PlanPriorityFactory(plan=old_plan, title=f"Old {number}", order=10 + number)
        merged = PlanPriorityFactory(plan=old_plan, title=f"Merged {number}", order=30 + number)
        new = PlanPriorityFactory(plan=new_plan, priority=old.priority, title=f"New {number}", order=10 + number)
        carried = ActionFactory(plan_priority=merged, leads=[world.own_org])
        ActionFactory(plan_priority=new, leads=[world.own_org], carried_from=carried)
    assert queries(formerly=9) == before
