"""The snapshot reads the plan's actions, their progress and evidence as rows, a fixed number of queries
per plan (issue 26: publishing builds it inside the request), and says what the models say: each
action's own latest published progress for the cycle (a correction included) or else the latest of an
earlier cycle, never a later cycle's or an unpublished one; names in their models' order."""

import json
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Status
from reports.snapshot import build_snapshot, freeze_snapshot, snapshot_digest
from tests.evidence.helpers import attach
from tests.factories import (
    ActionFactory,
    FundingSourceFactory,
    NoteFactory,
    OrganisationFactory,
    PlanPriorityFactory,
    ProgressUpdateFactory,
    PublishedUpdateFactory,
    ReportingCycleFactory,
    StatusFactory,
    ThemeFactory,
)
from workflow.models import ReviewState


@pytest.fixture
def rich(world):
    """A second priority of the world's plan whose actions have every kind of progress and detail."""
    partnership, plan = world.partnership, world.plan
    earlier = ReportingCycleFactory(
        plan=plan, name="Q3 2017/18", period_start=date(2017, 10, 1), period_end=date(2017, 12, 31)
    )
    later = ReportingCycleFactory(
        plan=plan, name="Q1 2018/19", period_start=date(2018, 4, 1), period_end=date(2018, 6, 30)
    )
    priority = PlanPriorityFactory(
        plan=plan, title="Violence", order=world.plan_priority.order + 1, priority__slug="violence"
    )
    for number in (2, 1):  # entered out of order
        NoteFactory(plan_priority=priority, number=number, text=f"Note {number}", publisher="ONS")
    zeta = OrganisationFactory(partnership=partnership, name="Zeta Police")
    alpha = OrganisationFactory(partnership=partnership, name="Alpha Fire Service")
    themes = [
        ThemeFactory(partnership=partnership, name="Young people", order=2),
        ThemeFactory(partnership=partnership, name="Vulnerability", order=1),
    ]
    amber = StatusFactory(partnership=partnership, name="Amber", order=3)
    carried = ActionFactory(
        plan_priority=priority,
        wording="Carried action",
        leads=[zeta, alpha],
        supporters=[world.own_org, alpha],  # the partner attaching evidence is of own_org,
        funding=FundingSourceFactory(partnership=partnership, name="Home Office grant"),
        carried_from=world.own_action,
    )
    carried.themes.set(themes)
    earlier_only = ActionFactory(plan_priority=priority, wording="Earlier only", leads=[alpha])
    nothing = ActionFactory(plan_priority=priority, wording="Nothing published", leads=[zeta])
    now = timezone.now()
    PublishedUpdateFactory(action=carried, cycle=earlier, text="Earlier", published_at=now - timedelta(days=90))
    PublishedUpdateFactory(action=carried, cycle=world.cycle, text="First", published_at=now - timedelta(days=2))
    corrected = PublishedUpdateFactory(
        action=carried, cycle=world.cycle, text="Corrected", status=amber, published_at=now - timedelta(days=1)
    )
    PublishedUpdateFactory(action=carried, cycle=later, text="Later cycle", published_at=now)
    PublishedUpdateFactory(action=earlier_only, cycle=earlier, text="Earlier only progress")
    ProgressUpdateFactory(action=earlier_only, cycle=world.cycle, text="A draft", state=ReviewState.DRAFT)
    PublishedUpdateFactory(action=nothing, cycle=later, text="Only later")
    corrected.state = ReviewState.DRAFT  # evidence is attached before publication
    corrected.save()
    files = [attach(world.users["partner"], corrected, name) for name in ("report.pdf", "figures.xlsx")]
    corrected.state = ReviewState.PUBLISHED
    corrected.save()
    return {"earlier": earlier, "actions": [carried, earlier_only, nothing], "files": files, "amber": amber}


def test_each_action_says_its_latest_published_progress_for_the_cycle_with_its_details(world, rich):
    snapshot = build_snapshot(world.cycle)
    road, violence = snapshot["priorities"]
    assert [road["title"], violence["title"]] == ["Road Safety", "Violence"]
    assert [note["number"] for note in violence["notes"]] == [1, 2]
    assert violence["notes"][0] == {
        "number": 1,
        "text": "Note 1",
        "url": "",
        "source_title": "",
        "publisher": "ONS",
        "published": "",
    }
    carried, earlier_only, nothing = rich["actions"]
    pdf, sheet = rich["files"]
    cycle = world.cycle
    assert violence["actions"] == [
        {
            "id": carried.pk,
            "wording": "Carried action",
            "leads": ["Alpha Fire Service", "Zeta Police"],
            "supporters": ["Alpha Fire Service", "Own District Council"],
            "funding": "Home Office grant",
            "status": "Amber",
            "progress": "Corrected",
            "progress_cycle": cycle.name,
            "carried_from": world.own_action.pk,
            "progress_cycle_start": cycle.period_start.isoformat(),
            "progress_cycle_end": cycle.period_end.isoformat(),
            "themes": ["Vulnerability", "Young people"],
            "evidence": [
                {"name": "report.pdf", "type": "PDF", "size": pdf.size, "path": f"/kent-test/evidence/{pdf.pk}/"},
                {
                    "name": "figures.xlsx",
                    "type": "Excel workbook",
                    "size": sheet.size,
                    "path": f"/kent-test/evidence/{sheet.pk}/",
                },
            ],
        },
        {
            "id": earlier_only.pk,
            "wording": "Earlier only",
            "leads": ["Alpha Fire Service"],
            "supporters": [],
            "funding": "",
            "status": Status.objects.get(pk=earlier_only.updates.get(state=ReviewState.PUBLISHED).status_id).name,
            "progress": "Earlier only progress",
            "progress_cycle": "Q3 2017/18",
            "progress_cycle_start": "2017-10-01",
            "progress_cycle_end": "2017-12-31",
        },
        {
            "id": nothing.pk,
            "wording": "Nothing published",
            "leads": ["Zeta Police"],
            "supporters": [],
            "funding": "",
            "status": nothing.status.name,
            "progress": "",
            "progress_cycle": "",
        },
    ]
    # The world's own priority keeps its actions in the plan's order, each with its progress.
    assert [(action["wording"], action["progress"]) for action in road["actions"]] == [
        ("Own council's action", "Own published progress."),
        ("Other council's action", "Other published progress."),
    ]


def test_more_actions_with_themes_evidence_and_earlier_progress_take_no_more_queries(world, rich):
    with CaptureQueriesContext(connection) as before:
        build_snapshot(world.cycle)
    cache.clear()  # built again, not read from the cache of published figures
    carried = rich["actions"][0]
    for number in range(3):
        action = ActionFactory(plan_priority=carried.plan_priority, leads=[world.own_org], supporters=[world.other_org])
        action.themes.set(carried.themes.all())
        PublishedUpdateFactory(action=action, cycle=rich["earlier"], text=f"Progress {number}")
        update = PublishedUpdateFactory(action=action, cycle=world.cycle, state=ReviewState.DRAFT)
        attach(world.users["partner"], update)
        update.state = ReviewState.PUBLISHED
        update.save()
    with CaptureQueriesContext(connection) as after:
        snapshot = build_snapshot(world.cycle)
    assert len(after) == len(before)
    evidence = [
        file
        for priority in snapshot["priorities"]
        for action in priority["actions"]
        for file in action.get("evidence", [])
    ]
    assert len(evidence) == 2 + 3


def test_the_frozen_text_and_digest_are_those_of_the_data_with_the_figures_built_and_cached(world, rich):
    """Publishing writes the snapshot's JSON text as made once, with each priority's indicators written in as
    kept with the figures (issue 26): the same text Django would write for the data and the same digest,
    whether the figures are built or read from the cache, for a priority with indicators and one without, and
    with text JSON escapes (quotes, backslashes, other alphabets, a line separator)."""
    carried = rich["actions"][0]
    carried.wording = 'The "Safer Streets" fund \\ ünïcode, 安全\u2028next line'
    carried.save()
    for attempt in ("built", "cached"):
        if attempt == "built":
            cache.clear()
        frozen = freeze_snapshot(world.cycle)
        data = frozen.data()
        assert frozen.text == json.dumps(data, cls=DjangoJSONEncoder)
        assert frozen.digest == snapshot_digest(data)
        road, violence = data["priorities"]
        assert [indicator["name"] for indicator in road["indicators"]] == ["Road casualties"]
        assert violence["indicators"] == []
        assert violence["actions"][0]["wording"] == carried.wording
        assert build_snapshot(world.cycle) == data


def test_the_evidence_of_an_update_since_replaced_is_not_shown(world, rich):
    """Evidence is read for every published update of the plan up to the cycle (a subquery, issue 26) and shown
    only with the update each action shows: here the correction's two files, not the first version's."""
    carried = rich["actions"][0]
    first = carried.updates.get(text="First")
    first.state = ReviewState.DRAFT  # evidence is attached before publication
    first.save()
    replaced = attach(world.users["partner"], first, "report.pdf")
    first.state = ReviewState.PUBLISHED
    first.save()
    shown = build_snapshot(world.cycle)["priorities"][1]["actions"][0]
    assert shown["progress"] == "Corrected"
    assert [file["path"] for file in shown["evidence"]] == [f"/kent-test/evidence/{file.pk}/" for file in rich["files"]]
    assert f"/evidence/{replaced.pk}/" not in json.dumps(shown)
