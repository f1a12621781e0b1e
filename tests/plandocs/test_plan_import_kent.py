"""Issue 29's "done when": from an empty partnership, the Working Group imports the Kent plan from its Word
document through the pages: six priorities in order with their contexts and notes, every action with
its lead agencies and, where chosen, its progress as the action's published progress, each record with
the audit entry a typed one has; all or nothing."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import Action, ProgressUpdate, Status
from actions.policies import UPDATES
from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Organisation
from csa_tracker.audit.models import AuditEntry
from cycles.models import ReportingCycle
from priorities.models import Note, Plan, PlanPriority
from tests.audit_entries import entries, verbs
from workflow.models import ReviewState

from .documents import kent, kent_docx
from .importing import fields_labelled, option, post, preview

KENT = kent()
TITLES = [priority["title"] for priority in KENT["priorities"]]
ACTIONS = [action for priority in KENT["priorities"] for action in priority["actions"]]
PROGRESS = {"progress": "import", "cycle_name": "Q3 2017/18", "period_start": "2017-10-01", "period_end": "2017-12-31"}
PROGRESS |= {"update_deadline": "2018-02-16"}


def imported_plan() -> Plan:
    return Plan.objects.get(title="Kent Community Safety Agreement 2017/18")


def test_the_plan_list_offers_the_import_to_the_working_group_only(empty, client):
    url = reverse("plan_list", kwargs={"partnership": empty.partnership.slug})
    client.force_login(empty.working_group)
    page = client.get(url).content.decode()
    assert "Import a plan from a Word document" in page
    assert reverse("plan_import", kwargs={"partnership": empty.partnership.slug}) in page
    client.force_login(empty.partner)
    assert "Import a plan from a Word document" not in client.get(url).content.decode()


def test_the_preview_shows_what_the_kent_document_holds_and_adds_nothing(empty, client):
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx())
    for title in TITLES:
        assert f">{title}</h2>" in page
    assert "6 priorities, with 7 notes and 25 actions, and the plan's introduction" in page
    assert "25 actions name no lead agency" in page
    assert 'value="Kent Community Safety Agreement 2017/18"' in page  # the Title paragraph
    assert 'value="2017-04-01"' in page and 'value="2018-03-31"' in page  # "2017/18" in an April partnership
    assert "Heading 1 (Introduction, Domestic Abuse, Road Safety, Anti-Social Behaviour and 3 more)" in page
    assert "The column “Actions” holds" in page and "The column “Progress” holds" in page
    # The partnership has no statuses: the import adds the one named, and says so.
    assert "The partnership has no action statuses yet" in page
    # The partnership keeps four eyes (the default): imported progress waits for a colleague.
    assert "another member of the Working Group publishes it from the review queue" in page
    assert not Plan.objects.exists() and not Status.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_working_group_imports_kent_naming_the_leads_the_document_does_not(empty, client):
    """Kent's own table is "Actions | Progress", with no lead agency: the Working Group names Kent
    Police where the transcription has it first, and the Community Safety Team for the rest."""
    empty.partnership.separate_publisher = False
    empty.partnership.save()
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx())
    kcst, police = (
        option(page, "default_lead", "Kent Community Safety Team"),
        option(page, "default_lead", "Kent Police"),
    )
    chosen = {
        f"lead-{p}-{a}": police
        for p, priority in enumerate(KENT["priorities"])
        for a, action in enumerate(priority["actions"])
        if action["leads"][0] == "Kent Police"
    }
    response = post(client, url, form, default_lead=kcst, **chosen, **PROGRESS)
    plan = imported_plan()
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_detail", kwargs={"partnership": "kent", "plan": plan.slug})
    leads = [list(action.leads.values_list("name", flat=True)) for action in _actions(plan)]
    expected = [["Kent Police"] if a["leads"][0] == "Kent Police" else ["Kent Community Safety Team"] for a in ACTIONS]
    assert leads == expected
    assert sum(1 for lead in leads if lead == ["Kent Police"]) == 6
    assert Organisation.objects.filter(partnership=empty.partnership).count() == 2  # none added
    _assert_kent_plan(plan)
    # Published by the importer: the partnership does not keep four eyes here.
    updates = ProgressUpdate.objects.filter(action__plan_priority__plan=plan)
    assert [u.text for u in updates.order_by("action__plan_priority__order", "action__order")] == [
        a["progress"] for a in ACTIONS
    ]
    assert set(updates.values_list("state", flat=True)) == {ReviewState.PUBLISHED}
    for update in updates:
        assert verbs(update) == ["import", "publish"]
    message = client.get(response["Location"])
    assert "25 progress updates published" in [str(m) for m in message.context["messages"]][0]


def test_the_agency_column_gives_every_action_its_leads_and_new_organisations_are_added_as_agreed(
    empty, client, django_capture_on_commit_callbacks
):
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx(leads="column"))
    new_names = sorted({name for a in ACTIONS for name in a["leads"]} - {"Kent Community Safety Team", "Kent Police"})
    for name in new_names:
        assert f"“{name}”" in page
    assert "The column “Agency” holds" in page
    assert 'name="lead-' not in page  # every action names its lead
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url, form, **PROGRESS)
    plan = imported_plan()
    assert response.status_code == 302
    assert [sorted(action.leads.values_list("name", flat=True)) for action in _actions(plan)] == [
        sorted(a["leads"]) for a in ACTIONS
    ]
    added = Organisation.objects.filter(partnership=empty.partnership).exclude(pk__in=[empty.kcst.pk, empty.police.pk])
    assert sorted(added.values_list("name", flat=True)) == new_names
    assert added.get(name="KCC Public Health").kind == Organisation.Kind.HEALTH
    assert added.get(name="Kent Fire and Rescue Service").kind == Organisation.Kind.FIRE
    assert added.get(name="Kent County Council").kind == Organisation.Kind.COUNTY_COUNCIL
    for organisation in added:
        (entry,) = entries(organisation)
        assert (entry.verb, entry.summary) == ("create", f"Organisation “{organisation.name}” added")
    _assert_kent_plan(plan)
    # The partnership keeps four eyes (the default): submitted, for a colleague to publish.
    updates = ProgressUpdate.objects.filter(action__plan_priority__plan=plan)
    assert updates.count() == 25
    assert set(updates.values_list("state", flat=True)) == {ReviewState.SUBMITTED}
    update = updates.first()
    assert verbs(update) == ["import"]
    assert not UPDATES.permits(access_for(empty.working_group, empty.partnership), "publish", update)
    assert UPDATES.permits(access_for(empty.colleague, empty.partnership), "publish", update)
    # One e-mail for the import to each Working Group member (each their own), not one per update.
    assert sorted((told.subject, tuple(told.to)) for told in mail.outbox) == sorted(
        ("For review: 25 progress updates imported with a plan", (u.email,))
        for u in (empty.working_group, empty.colleague)
    )


def test_a_new_organisation_can_be_one_the_partnership_has_or_left_out(empty, client):
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx(leads="lines"))
    unknown = fields_labelled(page, "org-")
    assert sorted(unknown.values()) == sorted(
        {name for a in ACTIONS for name in a["leads"]} - {"Kent Community Safety Team", "Kent Police"}
    )
    # "KCC Public Health" is Kent Police, here; every other name is left out, so its actions need the
    # lead chosen for actions without one.
    choices = {
        field: ("leave-out" if name != "KCC Public Health" else f"org:{empty.police.pk}")
        for field, name in unknown.items()
    }
    refused = post(client, url, form, **choices)
    assert refused.status_code == 200
    assert "Choose the lead agency of the 8 actions the document names none for" in refused.content.decode()
    assert not Plan.objects.exists()
    response = post(client, url, form, **choices, default_lead=f"org:{empty.kcst.pk}")
    assert response.status_code == 302
    by_wording = {a["wording"]: a["leads"] for a in ACTIONS}
    for action in _actions(imported_plan()):
        named = {"Kent Police" if n == "KCC Public Health" else n for n in by_wording[action.wording]}
        expected = named & {"Kent Police", "Kent Community Safety Team"} or {"Kent Community Safety Team"}
        assert set(action.leads.values_list("name", flat=True)) == expected
    assert Organisation.objects.filter(partnership=empty.partnership).count() == 2


def test_a_failure_at_the_end_leaves_nothing_half_created(empty, client):
    """The reporting cycle is refused (its period is outside the plan) after the organisations and the
    plan were written: everything is undone, and the refusal is shown on its field."""
    client.force_login(empty.working_group)
    url, page, form = preview(client, empty.partnership, kent_docx(leads="column"))
    response = post(client, url, form, **{**PROGRESS, "period_start": "2018-04-01", "period_end": "2018-06-30"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "the period must fall within it" in page
    assert not Plan.objects.exists()
    assert Organisation.objects.filter(partnership=empty.partnership).count() == 2
    assert not Status.objects.exists() and not ReportingCycle.objects.exists() and not Action.objects.exists()
    assert not AuditEntry.objects.exists()


def _actions(plan):
    return Action.objects.filter(plan_priority__plan=plan).order_by("plan_priority__order", "order")


def _assert_kent_plan(plan):
    """The plan read from the document is the transcription, word for word."""
    assert (plan.starts, plan.ends) == (date(2017, 4, 1), date(2018, 3, 31))
    assert plan.slug == "kent-community-safety-agreement-201718"
    assert plan.introduction == KENT["plan"]["introduction"]
    priorities = list(PlanPriority.objects.filter(plan=plan).order_by("order"))
    assert [p.title for p in priorities] == TITLES
    assert [p.priority.slug for p in priorities] == [
        "domestic-abuse",
        "road-safety",
        "anti-social-behaviour",
        "substance-misuse",
        "serious-and-organised-crime",
        "safeguarding-vulnerable-people",
    ]
    assert [p.context for p in priorities] == [p["context"] for p in KENT["priorities"]]
    notes = [[(n.number, n.text) for n in p.notes.order_by("number")] for p in priorities]
    assert notes == [[(n["number"], n["text"]) for n in p.get("notes", [])] for p in KENT["priorities"]]
    ons = Note.objects.filter(plan_priority=priorities[0], number=1).values().get()
    assert (ons["publisher"], ons["source_title"], ons["published"]) == (
        "Office of National Statistics",
        "Crime in England and Wales: year ending September 2017",
        "January 2018",
    )
    casualties = Note.objects.get(plan_priority=priorities[1], number=2)
    assert (casualties.source_title, casualties.published) == ("Road Casualties in Kent, Annual Review 2016", "Aug ’17")
    assert [a.wording for a in _actions(plan)] == [a["wording"] for a in ACTIONS]
    assert [a.order for a in _actions(plan).filter(plan_priority=priorities[5])] == [1, 2, 3, 4, 5, 6]
    (status,) = Status.objects.filter(partnership=plan.partnership)
    assert status.name == "In progress"
    assert set(_actions(plan).values_list("status", flat=True)) == {status.pk}
    # Audited as if typed in: the plan, each priority (with its notes), each action, and the import.
    assert verbs(plan) == ["create", "import"]
    summary = entries(plan, verb="import").get().summary
    assert summary.startswith("Plan imported from the Word document “Kent CSA 2017-18.docx”: 6 priorities, 25 actions")
    for priority in priorities:
        assert verbs(priority) == ["create"]
    first = entries(priorities[0]).get()
    assert first.changes["Note 2"] == ["", KENT["priorities"][0]["notes"][1]["text"]]
    for action in _actions(plan):
        (entry,) = entries(action)
        assert (entry.verb, entry.reason) == ("create", "Imported from the Word document “Kent CSA 2017-18.docx”")


@pytest.mark.parametrize("role", ["partner", "admin"])
def test_only_the_working_group_imports(empty, client, role):
    client.force_login(getattr(empty, role))
    url = reverse("plan_import", kwargs={"partnership": empty.partnership.slug})
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
