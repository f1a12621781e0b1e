"""The plan as an editable Word document (the Working Group's download on the plan page) imports back
unchanged: the same priorities (the same lasting priorities), contexts, notes with their sources,
actions with their leads, supporters, status, funding, themes and dates, and their latest published
progress; the preview proposes no new organisation."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Action
from priorities.models import ActionTable, Plan
from tests.factories import (
    ActionFactory,
    FundingSourceFactory,
    NoteFactory,
    PlanFactory,
    PlanPriorityFactory,
    PublishedUpdateFactory,
    ReportingCycleFactory,
    StatusFactory,
    ThemeFactory,
)

from .documents import kent_docx
from .importing import DOCX, post, preview

KENT_PROGRESS = {"progress": "import", "cycle_name": "Q3 2017/18", "period_start": "2017-10-01"}
KENT_PROGRESS |= {"period_end": "2017-12-31", "update_deadline": "2018-02-16"}


def content(plan: Plan) -> dict:
    """Everything the Word document carries about a plan, in comparable form."""
    priorities = []
    for plan_priority in plan.plan_priorities.order_by("order"):
        notes = list(
            plan_priority.notes.order_by("number").values(
                "number", "text", "source_title", "publisher", "published", "url"
            )
        )
        actions = []
        for action in Action.objects.filter(plan_priority=plan_priority).with_plan_details().order_by("order"):
            latest = action.latest_published
            actions.append(
                {
                    "wording": action.wording,
                    "leads": sorted(o.name for o in action.leads.all()),
                    "supporters": sorted(o.name for o in action.supporters.all()),
                    "status": action.status.name,
                    "funding": action.funding.name if action.funding else None,
                    "themes": sorted(t.name for t in action.themes.all()),
                    "dates": (action.start_date, action.due_date),
                    "order": action.order,
                    "progress": latest.text if latest else None,
                }
            )
        priorities.append(
            {
                "title": plan_priority.title,
                "priority": plan_priority.priority_id,
                "context": plan_priority.context,
                "notes": notes,
                "actions": actions,
            }
        )
    return {"introduction": plan.introduction, "priorities": priorities}


def export_and_import(client, plan: Plan, *, title: str, **choices) -> tuple[Plan, str]:
    url = reverse("plan_docx", kwargs={"partnership": plan.partnership.slug, "plan": plan.slug})
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX
    assert download["Content-Disposition"] == f'attachment; filename="{plan.slug}-plan.docx"'
    preview_url, page, form = preview(client, plan.partnership, download.content, filename=f"{plan.slug}-plan.docx")
    response = post(client, preview_url, form, title=title, **choices)
    assert response.status_code == 302, response.content.decode()[-4000:]
    return Plan.objects.get(title=title), page


def test_the_imported_kent_plan_exported_imports_back_unchanged(empty, client):
    empty.partnership.separate_publisher = False  # so its progress is published, and exported
    empty.partnership.save()
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx(leads="column"))
    assert post(client, url, form, **KENT_PROGRESS).status_code == 302
    kent = Plan.objects.get()
    again, page = export_and_import(client, kent, title="Kent plan, imported again", **KENT_PROGRESS)
    assert "the partnership does not have" not in page  # every organisation is matched: none proposed
    assert "the same priority as in Kent Community Safety Agreement 2017/18" in page
    assert content(again) == content(kent)
    assert len(content(kent)["priorities"]) == 6
    assert sum(len(p["actions"]) for p in content(kent)["priorities"]) == 25


@pytest.fixture
def tricky_plan(world):
    """A plan with everything the document carries, in both table shapes' hardest cases."""
    partnership = world.partnership
    delayed = StatusFactory(partnership=partnership, name="Delayed", severity=3)
    plan = PlanFactory(
        partnership=partnership,
        slug="2026-27",
        title="Test Agreement 2026/27",
        starts=date(2026, 4, 1),
        ends=date(2027, 3, 31),
        introduction="Our plan, agreed in March.\n\n- Safer streets\n- Safer homes\n\nSee https://example.org/plan.",
        action_table=ActionTable.LEAD_AGENCY,
    )
    first = PlanPriorityFactory(
        plan=plan,
        title="Violence against women and girls",
        priority__slug="vawg",
        order=1,
        context=(
            "Reports rose by 12%[^1], as [the survey](https://example.org/survey?a=1&b=2) found[^2].\n"
            "A second line of the same paragraph.\n\n"
            "1. First numbered point\n2. Second numbered point\n\n"
            "#KentSafe and 2017. A year of change."
        ),
    )
    NoteFactory(
        plan_priority=first,
        number=1,
        text="Office for National Statistics. Crime in England and Wales (January 2027);",
        source_title="Crime in England and Wales",
        publisher="Office for National Statistics",
        published="January 2027",
        url="https://www.ons.gov.uk/crime",
    )
    NoteFactory(plan_priority=first, number=2, text="An explanation, not a source.", source_title="", publisher="")
    second = PlanPriorityFactory(
        plan=plan, title="Road Safety", priority=world.plan_priority.priority, order=2, context="Short."
    )
    cycle = ReportingCycleFactory(plan=plan, name="Q1 2026/27")
    action = ActionFactory(
        plan_priority=first,
        wording="Commission a refuge service\nacross the county",
        leads=[world.own_org, world.other_org],
        supporters=[],
        status=delayed,
        funding=FundingSourceFactory(partnership=partnership, name="Home Office grant"),
        start_date=date(2026, 4, 1),
        due_date=date(2027, 3, 31),
        order=1,
    )
    action.themes.set([ThemeFactory(partnership=partnership, name="Vulnerability")])
    PublishedUpdateFactory(
        action=action,
        cycle=cycle,
        text="Contract let in May:\n\n- 12 beds\n- [details](https://example.org/refuge)\n\nNext: evaluation.",
    )
    ActionFactory(plan_priority=first, wording="Second action, no progress yet", leads=[world.other_org], order=2)
    ActionFactory(
        plan_priority=second, wording="Speed watch", leads=[world.own_org], supporters=[world.other_org], order=1
    )
    return plan


@pytest.mark.parametrize("table", [ActionTable.LEAD_AGENCY, ActionTable.PROGRESS])
def test_a_plan_with_every_detail_imports_back_unchanged(world, client, tricky_plan, table):
    tricky_plan.action_table = table
    tricky_plan.save()
    client.force_login(world.users["working_group"])
    world.partnership.separate_publisher = False
    world.partnership.save()
    cycle = {"progress": "import", "cycle_name": "Q1 2026/27 (again)", "period_start": "2026-04-01"}
    cycle |= {"period_end": "2026-06-30", "update_deadline": "2026-08-12"}
    again, page = export_and_import(client, tricky_plan, title="Test Agreement 2026/27, again", **cycle)
    assert "the partnership does not have" not in page
    assert content(again) == content(tricky_plan)


def test_only_the_working_group_downloads_the_editable_plan(world, client):
    url = reverse("plan_docx", kwargs={"partnership": world.partnership.slug, "plan": world.plan.slug})
    for role, status in (("partner", 403), ("governing", 403), ("admin", 403), ("working_group", 200)):
        client.force_login(world.users[role])
        assert client.get(url).status_code == status
    page = client.get(reverse("plan_detail", kwargs={"partnership": world.partnership.slug, "plan": "2017-18"}))
    assert url in page.content.decode()
    client.force_login(world.users["partner"])
    page = client.get(reverse("plan_detail", kwargs={"partnership": world.partnership.slug, "plan": "2017-18"}))
    assert url not in page.content.decode()
