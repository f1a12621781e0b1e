"""Publishing warns about the actions with no progress update for the cycle (issue 25): the report
would print their last published progress. The warning lists them with their priority, lead agencies
and the cycle last published, and offers "Ask them all for an update" while the cycle takes updates;
after Publish the Working Group lands on the new version, which says its files are being made."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from csa_tracker.accounts.access import access_for
from csa_tracker.audit.models import AuditEntry
from csa_tracker.notifications.models import Notification
from cycles.models import ReminderLog
from cycles.services import cycle_lock
from reports.outputs import report_outputs_build
from reviews.reminders import ASK_ALL
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    OrganisationFactory,
    PlanPriorityFactory,
    ProgressUpdateFactory,
    PublishedUpdateFactory,
    ReportingCycleFactory,
    UserFactory,
)

WG = "working_group"
BASE = "/kent-test/reports/2017-18/q4-2017-18"
PUBLISH = f"{BASE}/publish/"
ASK = f"{BASE}/publish/ask-for-updates/"


@pytest.fixture
def quiet(world):
    """Two actions with nothing written for Q4 (the world's two have updates): "Patrol the school gates"
    (Own District Council, published in Q3) and "Survey the junctions" (Other Council, where nobody
    has an account, never published). A second partner at Own District Council, and a partner of a
    third organisation that leads neither."""
    q3 = ReportingCycleFactory(
        plan=world.plan,
        name="Q3 2017/18",
        period_start=date(2017, 10, 1),
        period_end=date(2017, 12, 31),
        update_deadline=date(2018, 1, 20),
        state="published",
    )
    world.plan_priority.order = 1
    world.plan_priority.save()
    junctions = PlanPriorityFactory(plan=world.plan, title="Junctions", priority__slug="junctions", order=2)
    world.gates = ActionFactory(
        plan_priority=world.plan_priority, wording="Patrol the school gates", leads=[world.own_org], order=3
    )
    PublishedUpdateFactory(action=world.gates, cycle=q3, text="Patrolled in Q3.")
    world.survey = ActionFactory(plan_priority=junctions, wording="Survey the junctions", leads=[world.other_org])
    second = UserFactory(username="second-partner")
    MembershipFactory(user=second, partnership=world.partnership, organisation=world.own_org, role="partner")
    bystander = UserFactory(username="bystander")
    third = OrganisationFactory(partnership=world.partnership, name="Third Council")
    MembershipFactory(user=bystander, partnership=world.partnership, organisation=third, role="partner")
    return world


def test_the_publish_page_lists_the_actions_with_no_update_and_what_the_report_prints_for_them(quiet, client_as):
    page = client_as(quiet.users[WG]).get(PUBLISH).content.decode()
    assert "Warning: 2 actions have no update for Q4 2017/18" in page
    assert "The report will show the last progress published for each instead" in page
    gates = reverse("action_detail", kwargs={"partnership": "kent-test", "pk": quiet.gates.pk})
    survey = reverse("action_detail", kwargs={"partnership": "kent-test", "pk": quiet.survey.pk})
    own, other = quiet.own_org.display_name, quiet.other_org.display_name
    assert (
        f'<li>Road Safety: <a href="{gates}">Patrol the school gates</a> ({own}) — last published: Q3 2017/18\n</li>'
    ) in page
    invite = reverse("people_invite", kwargs={"partnership": "kent-test"})
    assert (
        f'<li>Junctions: <a href="{survey}">Survey the junctions</a> ({other}) — nothing published yet'
        f'<div class="small unreachable">No one at {other} to remind — <a href="{invite}">invite someone</a>.</div>'
    ) in page
    assert page.index("Patrol the school gates") < page.index("Survey the junctions")  # plan order
    assert "Own council&#x27;s action</a> (" not in page  # it has an update for Q4
    assert f'<form method="post" action="{ASK}"' in page
    assert ">Ask them all for an update</button>" in page


def test_no_warning_when_every_action_has_an_update(world, client_as):
    page = client_as(world.users[WG]).get(PUBLISH).content.decode()
    assert "no update for Q4 2017/18" not in page
    assert "Ask them all for an update" not in page
    assert ASK not in page


def test_a_draft_counts_as_an_update_written(quiet, client_as):
    ProgressUpdateFactory(action=quiet.survey, cycle=quiet.cycle, state="draft")
    page = client_as(quiet.users[WG]).get(PUBLISH).content.decode()
    assert "Warning: 1 action has no update for Q4 2017/18" in page
    assert "Survey the junctions</a>" not in page


def test_ask_them_all_emails_exactly_the_leads_partners_and_records_each_request(quiet, client_as, mailoutbox):
    response = client_as(quiet.users[WG]).post(ASK, follow=True)
    assert response.redirect_chain == [(PUBLISH, 302)]
    page = response.content.decode()
    assert "Asked the lead partners of 1 action with no update for an update (2 e-mails)." in page
    assert "Nobody new was e-mailed about 1 action with no update: their lead partners were already asked" in page
    assert sorted(message.to[0] for message in mailoutbox) == ["partner@example.org", "second-partner@example.org"]
    assert all(message.subject == "Please update: Patrol the school gates" for message in mailoutbox)
    progress = f"/kent-test/actions/{quiet.gates.pk}/progress/"
    assert all(progress in message.body for message in mailoutbox)
    [entry] = AuditEntry.objects.filter(verb="remind")
    assert (entry.object_id, entry.actor, entry.summary) == (
        quiet.gates.pk,
        quiet.users[WG],
        "Update for Q4 2017/18 requested from 2 partners",
    )
    assert ReminderLog.objects.filter(kind="update_requested").count() == 2


def test_asking_again_the_same_day_emails_nobody_twice(quiet, client_as, mailoutbox):
    client = client_as(quiet.users[WG])
    client.post(ASK)
    page = client.post(ASK, follow=True).content.decode()
    assert "Nobody new was e-mailed about 2 actions with no update" in page
    assert len(mailoutbox) == 2
    assert AuditEntry.objects.filter(verb="remind").count() == 1


@pytest.mark.parametrize("role", ["partner", "governing"])
def test_only_the_working_group_asks_them_all(quiet, client_as, mailoutbox, role):
    assert client_as(quiet.users[role]).post(ASK).status_code == 403
    assert mailoutbox == []
    assert not AuditEntry.objects.filter(verb="remind").exists()


def test_asking_is_post_only(quiet, client_as):
    assert client_as(quiet.users[WG]).get(ASK).status_code == 405


def test_a_locked_cycle_offers_no_button_and_says_who_can_reopen_it(quiet, client_as, mailoutbox):
    cycle_lock(access=access_for(quiet.users[WG], quiet.partnership), cycle=quiet.cycle)
    client = client_as(quiet.users[WG])
    page = client.get(PUBLISH).content.decode()
    assert "Warning: 2 actions have no update for Q4 2017/18" in page
    assert "Ask them all for an update" not in page and ASK not in page
    reopen = reverse("cycle_reopen", kwargs={"partnership": "kent-test", "pk": quiet.cycle.pk})
    assert (
        "Q4 2017/18 is locked: partners can no longer write updates for it, so nobody can be asked for one. "
        f'Only the Working Group can reopen it, with a reason: <a href="{reopen}">reopen Q4 2017/18</a>'
    ) in page
    refused = client.post(ASK, follow=True).content.decode()
    assert "Q4 2017/18 is locked: reopen it before asking for updates." in refused
    assert mailoutbox == []


def test_the_no_update_list_takes_the_same_queries_whatever_the_plan_size(quiet, django_assert_num_queries):
    access = access_for(quiet.users[WG], quiet.partnership)
    with django_assert_num_queries(2):  # the actions with their last published cycle; their leads
        assert [row.action.wording for row in ASK_ALL["no_update"](quiet.cycle, access, date(2018, 3, 1))] == [
            "Patrol the school gates",
            "Survey the junctions",
        ]
    q3 = quiet.plan.cycles.get(name="Q3 2017/18")
    for _ in range(5):
        action = ActionFactory(plan_priority=quiet.plan_priority, leads=[quiet.own_org, quiet.other_org])
        PublishedUpdateFactory(action=action, cycle=q3)
    with django_assert_num_queries(2):
        rows = ASK_ALL["no_update"](quiet.cycle, access, date(2018, 3, 1))
        assert [row.action.last_published_cycle for row in rows].count("Q3 2017/18") == 6
        assert len({org.pk for row in rows for org in row.action.leads.all()}) == 2


def test_the_publish_page_takes_the_same_queries_whatever_the_plan_size(quiet, client_as, django_assert_num_queries):
    client = client_as(quiet.users[WG])
    client.get(PUBLISH)  # warm: the menu's unread count is kept from here on
    with CaptureQueriesContext(connection) as few:
        client.get(PUBLISH)
    for _ in range(5):
        ActionFactory(plan_priority=quiet.plan_priority, leads=[quiet.own_org, quiet.other_org])
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(PUBLISH).content.decode()
    assert "Warning: 7 actions have no update for Q4 2017/18" in page


def test_after_publish_the_new_version_says_its_files_are_being_made_then_offers_them(quiet, client_as):
    client = client_as(quiet.users[WG])
    form = client.get(PUBLISH).content.decode()
    # One publish form, sent once: static/js/forms.js (on every page) disables its button on submit.
    assert form.count('<form method="post" novalidate>') == 1
    assert "/static/js/forms.js" in form
    response = client.post(PUBLISH, follow=True)
    assert response.redirect_chain == [(f"{BASE}/v1/", 302)]
    page = response.content.decode()
    status = f"{BASE}/v1/files.json"
    assert f'role="status" data-status-url="{status}">The PDF and Word files of this version are being made.' in page
    assert "/static/js/report-status.js" in page
    assert client.get(status).json() == {"ready": 0, "total": 2}
    # The worker's job (run after the request commits; the test's transaction never does).
    report_outputs_build(report_id=response.context["report"].pk)
    assert client.get(status).json() == {"ready": 2, "total": 2}
    done = client.get(f"{BASE}/v1/").content.decode()
    assert "being made" not in done
    assert f'<a href="{BASE}/v1.pdf">Download the PDF</a>' in done
    assert f'<a href="{BASE}/v1.docx">Download as Word (.docx)</a>' in done


@pytest.fixture
def several(quiet):
    """Besides `quiet`'s: two more Own District Council actions with no update, and a partner at Other
    Council, which leads "Survey the junctions" and one more."""
    for wording in ("Light the underpass", "Train the wardens"):
        ActionFactory(plan_priority=quiet.plan_priority, wording=wording, leads=[quiet.own_org], order=4)
    ActionFactory(plan_priority=quiet.plan_priority, wording="Map the crossings", leads=[quiet.other_org], order=5)
    other = UserFactory(username="other-partner")
    MembershipFactory(user=other, partnership=quiet.partnership, organisation=quiet.other_org, role="partner")
    return quiet


def test_ask_them_all_sends_each_person_one_email_naming_each_of_their_actions(several, client_as, mailoutbox):
    page = client_as(several.users[WG]).post(ASK, follow=True).content.decode()
    assert "Asked the lead partners of 5 actions with no update for an update (3 e-mails)." in page
    by_person = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_person) == ["other-partner@example.org", "partner@example.org", "second-partner@example.org"]
    theirs = {
        "partner@example.org": ["Patrol the school gates", "Light the underpass", "Train the wardens"],
        "second-partner@example.org": ["Patrol the school gates", "Light the underpass", "Train the wardens"],
        "other-partner@example.org": ["Map the crossings", "Survey the junctions"],
    }
    everything = {wording for wordings in theirs.values() for wording in wordings}
    for address, wordings in theirs.items():
        message = by_person[address]
        assert message.subject == f"Please update {len(wordings)} actions for Q4 2017/18"
        html = message.alternatives[0][0]
        for wording in wordings:
            action = several.plan.plan_priorities.get(actions__wording=wording).actions.get(wording=wording)
            link = f"/kent-test/actions/{action.pk}/progress/"
            assert f"- {wording}\n  Write it here: http" in message.body and link in message.body
            assert f'{link}">{wording}</a>' in html
        # Another organisation's actions are never in someone's list.
        assert not [wording for wording in everything - set(wordings) if wording in message.body]


def test_ask_them_all_notifies_each_person_once_and_records_each_action_asked(several, client_as, mailoutbox):
    client_as(several.users[WG]).post(ASK)
    notes = Notification.objects.filter(kind="reminder").order_by("user__username")
    assert [(note.user.username, note.subject) for note in notes] == [
        ("other-partner", "Please update 2 actions for Q4 2017/18"),
        ("partner", "Please update 3 actions for Q4 2017/18"),
        ("second-partner", "Please update 3 actions for Q4 2017/18"),
    ]
    assert ReminderLog.objects.filter(kind="update_requested").count() == 8  # per person and action, as before
    asked = Action.objects.filter(plan_priority__plan=several.plan).exclude(updates__cycle=several.cycle)
    entries = AuditEntry.objects.filter(verb="remind")
    assert {entry.object_id: (entry.actor, entry.summary) for entry in entries} == {
        action.pk: (
            several.users[WG],
            "Update for Q4 2017/18 requested from 2 partners"
            if action.leads.get() == several.own_org
            else "Update for Q4 2017/18 requested from 1 partner",
        )
        for action in asked
    }
