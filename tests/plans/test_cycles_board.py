"""The completeness board: its figures against known data, filters, exports and update requests."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from actions.models import Action
from csa_tracker.accounts.access import access_for
from csa_tracker.audit.models import AuditEntry
from csa_tracker.audit.services import audit_record
from csa_tracker.people.services import membership_deactivate
from cycles.models import ReminderLog
from reviews.board import build_board
from reviews.board_views import BOARD_PAGE_SIZE
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    OrganisationFactory,
    PlanPriorityFactory,
    ProgressUpdateFactory,
    ReportingCycleFactory,
    ThemeFactory,
    UserFactory,
)


@pytest.fixture
def cycle(world):
    """Q1 with known states: road safety 1 of 4 published, domestic abuse 1 of 3."""
    cycle = ReportingCycleFactory(
        plan=world.plan,
        name="Q1 2018/19",
        period_start=date(2018, 4, 1),
        period_end=date(2018, 6, 30),
        update_deadline=date(2018, 7, 20),
    )
    road, own, other = world.plan_priority, world.own_org, world.other_org
    abuse = PlanPriorityFactory(plan=world.plan, title="Domestic Abuse", priority__slug="domestic-abuse", order=9)
    states = [(road, own, "published"), (road, other, "submitted"), (abuse, own, "draft"), (abuse, other, "returned")]
    states.append((abuse, own, "published"))
    for plan_priority, lead, state in states:
        action = ActionFactory(plan_priority=plan_priority, leads=[lead], wording=f"{plan_priority.title} {state}")
        ProgressUpdateFactory(action=action, cycle=cycle, state=state)
    return cycle  # the world's own and other actions have no update in it


def wg_board(world, cycle, today):
    return build_board(cycle, access_for(world.users["working_group"], world.partnership), today=today)


def test_board_figures_match_the_known_data(world, cycle):
    board = wg_board(world, cycle, today=date(2018, 7, 20))
    shares = {share.label: (share.complete, share.total, share.percent) for share in board.priorities}
    assert shares == {"Road Safety": (1, 4, 25), "Domestic Abuse": (1, 3, 33)}
    assert (board.overall.complete, board.overall.total, board.overall.percent) == (2, 7, 29)
    assert board.counts == {"none": 2, "published": 2, "submitted": 1, "draft": 1, "returned": 1}
    assert board.overall.overdue == 0  # on the deadline day nothing is overdue yet


def test_after_the_deadline_what_is_still_owed_is_overdue(world, cycle):
    board = wg_board(world, cycle, today=date(2018, 7, 21))
    overdue = sorted(row.action.wording for row in board.rows if row.overdue)
    assert overdue == [
        "Domestic Abuse draft",
        "Domestic Abuse returned",
        "Other council's action",
        "Own council's action",
    ]


def test_board_page_says_overdue_in_words_and_shows_the_share(world, cycle, client_as):
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    page = client_as(world.users["working_group"]).get(url).content.decode()
    assert "<strong>Overdue: was due by 20 Jul 2018</strong>" in page  # the deadline (2018) has passed
    assert "2 of 7" in page and "29%" in page
    assert "No update yet" in page
    assert "2 no update yet; 1 draft; 1 submitted; 1 returned; 2 published." in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "returned"}, ["Domestic Abuse returned"]),
        ({"priority": "road-safety", "state": "published"}, ["Road Safety published"]),
        ({"organisation": "OTHER", "priority": "domestic-abuse"}, ["Domestic Abuse returned"]),
    ],
)
def test_board_filters(world, cycle, client_as, query, expected):
    if query.get("organisation") == "OTHER":
        query["organisation"] = world.other_org.pk
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    board = client_as(world.users["working_group"]).get(url, query).context["board"]
    assert [row.action.wording for row in board.rows] == expected


def test_the_state_filter_narrows_the_summary_like_the_other_filters(world, cycle, client_as):
    """A tester found the counts by state and the overdue count left whole by the State filter, while
    Organisation and Priority narrowed them: every filter narrows the whole summary now."""
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    client = client_as(world.users["working_group"])
    page = client.get(url, {"state": "none"}).content.decode()  # the 2018 deadline has passed
    assert "2 no update yet; 0 draft; 0 submitted; 0 returned; 0 published." in page
    assert '<p class="board-overdue">2 overdue:' in page and "0 of 2" in page
    both = client.get(url, {"state": "none", "organisation": world.other_org.pk}).content.decode()
    assert "1 no update yet; 0 draft; 0 submitted; 0 returned; 0 published." in both
    assert '<p class="board-overdue">1 overdue:' in both and "0 of 1" in both


@pytest.mark.parametrize("query", [{"state": "bogus"}, {"organisation": "abc"}, {"priority": "<script>"}])
def test_bad_filter_values_are_answered_with_a_message(world, cycle, client_as, query):
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    response = client_as(world.users["working_group"]).get(url, query)
    assert response.status_code == 200
    assert "is not a" in response.content.decode() and "on this board" in response.content.decode()
    assert len(response.context["board"].rows) == 7


def test_a_bad_filter_value_is_answered_again_when_the_board_comes_from_the_cache(world, cycle, client_as):
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    client = client_as(world.users["working_group"])
    for _ in range(2):  # the second is served from the fragment cache
        assert "“bogus” is not a state on this board" in client.get(url, {"state": "bogus"}).content.decode()


def test_sorting_keeps_every_filter_including_the_theme(world, cycle, client_as):
    theme = ThemeFactory(partnership=world.partnership)
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    page = client_as(world.users["working_group"]).get(url, {"theme": theme.pk, "state": "published"})
    assert f"theme={theme.pk}" in page.context["sorting"].headers["action"].href


def test_board_query_count_does_not_grow_with_actions(
    world, cycle, client_as, django_assert_max_num_queries, pages_built_every_time
):
    client = client_as(world.users["working_group"])
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org, world.other_org])
        ProgressUpdateFactory(action=action, cycle=cycle, state="submitted")
    cache.clear()  # written by factories, behind the services: nothing kept since the first build may be read
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).context["board"].rows) == 17


def options(page: str, name: str) -> list[str]:
    """The options of the board's `name` select, as "value=label", the chosen one marked "*"."""
    select = re.search(rf'<select [^>]*name="{name}">(.*?)</select>', page, re.S).group(1)
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    return [f"{'*' if selected else ''}{value}={label}" for value, selected, label in found]


def test_the_filters_offer_the_whole_plan_s_leads_priorities_and_themes_whatever_is_chosen(world, cycle, client_as):
    """The options are read with the board's leads and in one query for the priorities and themes (issue
    26): an organisation whose actions the filters leave out is still offered, a priority with no action
    too, under its title in this plan and in the plan's order, the themes in their order."""
    PlanPriorityFactory(plan=world.plan, title="Youth <Crime>", priority__slug="youth", order=5)
    youth = ThemeFactory(partnership=world.partnership, name="Youth", order=2)
    alcohol = ThemeFactory(partnership=world.partnership, name="Alcohol", order=1)
    vulnerable = ThemeFactory(partnership=world.partnership, name="Vulnerability", order=1)
    ThemeFactory(partnership=world.other_partnership, name="Elsewhere")
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    page = client_as(world.users["working_group"]).get(
        url, {"organisation": world.other_org.pk, "priority": "domestic-abuse", "theme": vulnerable.pk}
    )
    text = page.content.decode()
    assert [row.action.wording for row in page.context["board"].rows] == []
    own, other = world.own_org.pk, world.other_org.pk
    assert options(text, "organisation") == ["=All", f"*{other}=Other Council", f"{own}=Own District Council"]
    titles = [(world.plan_priority.order, "road-safety=Road Safety"), (9, "*domestic-abuse=Domestic Abuse")]
    titles.append((5, "youth=Youth &lt;Crime&gt;"))
    assert options(text, "priority") == ["=All", *(title for _, title in sorted(titles))]
    themes = [f"{alcohol.pk}=Alcohol", f"*{vulnerable.pk}=Vulnerability", f"{youth.pk}=Youth"]
    assert options(text, "theme") == ["=All", *themes]


def test_the_built_board_reads_its_states_and_keeps_what_no_progress_changes(world, cycle, client_as, settings):
    """Issue 26: beside what a visit served from the cache reads (the request's handful and the cycle),
    the built board reads one query, its actions' states in the cycle. What no progress update changes
    is kept per shared work generation: the plan's actions with their leads (whether anyone there can be
    reminded, the Organisation options) and themes, the Priority and Theme options, and the cycle's
    history; read again, five queries whatever the number of organisations, priorities and themes."""
    client = client_as(world.users["working_group"])
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as served:
        client.get(url)
    settings.CSA_FRAGMENT_CACHE = False
    with CaptureQueriesContext(connection) as built:
        client.get(url)
    assert len(built) == len(served) + 1
    cache.clear()
    with CaptureQueriesContext(connection) as read_again:
        client.get(url)
    assert len(read_again) == len(built) + 5 + 1  # and the menu's unread count, which the cache kept too
    for number in range(3):
        ThemeFactory(partnership=world.partnership, name=f"Theme {number}")
        PlanPriorityFactory(plan=world.plan, priority__slug=f"more-{number}")
        ActionFactory(plan_priority=world.plan_priority, leads=[OrganisationFactory(partnership=world.partnership)])
    cache.clear()  # written by factories, behind the services
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert len(more) == len(read_again) and "Theme 2" in page and "more-2" in page


def test_a_new_state_shows_at_once_and_a_change_to_the_plan_as_soon_as_it_is_audited(world, cycle, client_as):
    """The board's kept pieces (`actions.kept.plan_actions`) follow the shared work generation: a piece of
    partners' work (a progress update) rebuilds the board with its new state but leaves them kept; any
    other audited change (an action's wording) has them read again."""
    client = client_as(world.users["working_group"])
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    assert '<td data-label="Published">1 of 4</td>' in client.get(url).content.decode()
    action = Action.objects.get(wording="Road Safety submitted")
    Action.objects.filter(pk=action.pk).update(wording="Reworded behind the services")
    update = ProgressUpdateFactory(action=action, cycle=cycle, state="published")
    audit_record(update, actor=world.users["working_group"], verb="publish", summary="Published")
    page = client.get(url).content.decode()
    assert '<td data-label="Published">2 of 4</td>' in page
    assert "Road Safety submitted" in page and "Reworded behind the services" not in page
    audit_record(action, actor=world.users["working_group"], verb="edit", summary="Action changed")
    assert "Reworded behind the services" in client.get(url).content.decode()


def test_the_action_table_is_paginated_and_the_counts_cover_every_action(world, cycle, client_as):
    """Issue 26: a plan of hundreds of actions shows BOARD_PAGE_SIZE rows a page, in the sorted order,
    each page linking on with the filters and sort kept; the counts and the export still cover all."""
    for n in range(BOARD_PAGE_SIZE):
        ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording=f"Paged action {n:03}")
    client = client_as(world.users["working_group"])
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    row = '<th scope="row" class="fw-normal">\n        <a href="'  # a row of the action table (ROW_HTML)
    first = client.get(url, {"sort": "action", "state": "none"})
    body = first.content.decode()
    assert len(first.context["board"].rows) == BOARD_PAGE_SIZE + 2  # the cycle's two without an update too
    assert body.count(row) == BOARD_PAGE_SIZE and "Page 1 of 2" in body
    assert 'href="?sort=action&amp;state=none&amp;page=2"' in body
    second = client.get(url, {"sort": "action", "state": "none", "page": 2}).content.decode()
    assert "Page 2 of 2" in second and second.count(row) == 2
    assert body.count(">Paged action ") + second.count(">Paged action ") == BOARD_PAGE_SIZE
    assert ">Paged action 049" in second and ">Paged action 000" in body  # in the sorted order
    lines = client.get(reverse("cycle_board_csv", kwargs={"partnership": "kent-test", "pk": cycle.pk})).content
    assert lines.decode("utf-8-sig").count("Paged action ") == BOARD_PAGE_SIZE


@pytest.mark.parametrize(
    ("asked", "shown", "notice"),
    [
        ("999", "Page 2 of 2", "There is no page 999 on this board; showing page 2 of 2."),
        ("0", "Page 1 of 2", "There is no page 0 on this board; showing page 1 of 2."),
        ("-3", "Page 1 of 2", "There is no page -3 on this board; showing page 1 of 2."),
        ("two", "Page 1 of 2", "“two” is not a page number; showing page 1 of 2."),
        ("9" * 20, "Page 2 of 2", f"There is no page {'9' * 20} on this board; showing page 2 of 2."),
        ("2", "Page 2 of 2", None),
        ("", "Page 1 of 2", None),
    ],
)
def test_a_page_beyond_the_board_shows_the_nearest_with_a_notice(world, cycle, client_as, asked, shown, notice):
    """A tester found ?page=0 and ?page=999 showing the last page without a word."""
    for n in range(BOARD_PAGE_SIZE):
        ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording=f"Paged action {n:03}")
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    body = client_as(world.users["working_group"]).get(url, {"page": asked}).content.decode()
    assert shown in body
    if notice is None:
        assert "page-notice" not in body
    else:
        assert f'<p class="alert alert-warning page-notice" role="status">{escape(notice)}</p>' in body


def test_csv_export_has_the_rows_and_neutralises_formulas(world, cycle, client_as):
    ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording="=HYPERLINK(evil)")
    url = reverse("cycle_board_csv", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    body = client_as(world.users["working_group"]).get(url, {"state": "none"}).content.decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("Priority,Action,Lead organisations,State,Overdue")
    assert len(lines) == 4
    assert "'=HYPERLINK(evil)" in body and "No update yet" in body and "Overdue" in lines[1]


def test_xlsx_export_has_the_rows_and_neutralises_formulas(world, cycle, client_as):
    ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording="@SUM(1)")
    url = reverse("cycle_board_xlsx", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    response = client_as(world.users["working_group"]).get(url)
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Priority", "Action", "Lead organisations", "State")
    assert len(rows) == 9
    # A text cell shown exactly as written (Excel's quotePrefix), never a formula, with no apostrophe to see.
    [cell] = [row[1] for row in sheet.iter_rows() if row[1].value == "@SUM(1)"]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_request_an_update_emails_the_lead_partners_with_a_link_to_the_form(world, cycle, client_as, mailoutbox):
    second = UserFactory(username="second-partner")
    MembershipFactory(user=second, partnership=world.partnership, organisation=world.own_org, role="partner")
    MembershipFactory(partnership=world.partnership, organisation=world.other_org, role="partner")
    url = reverse(
        "cycle_request_update", kwargs={"partnership": "kent-test", "pk": cycle.pk, "action": world.own_action.pk}
    )
    client = client_as(world.users["working_group"])
    response = client.post(url, {"query": "state=none"})
    assert response["Location"].endswith("/board/?state=none")
    assert sorted(message.to[0] for message in mailoutbox) == ["partner@example.org", "second-partner@example.org"]
    link = f"/kent-test/actions/{world.own_action.pk}/progress/"
    assert link in mailoutbox[0].body
    assert link in mailoutbox[0].alternatives[0][0]
    client.post(url)
    assert len(mailoutbox) == 2  # asked already today
    assert ReminderLog.objects.filter(kind="update_requested").count() == 2


def test_request_an_update_for_an_action_of_another_plan_is_404(world, cycle, client_as):
    url = reverse(
        "cycle_request_update",
        kwargs={"partnership": "kent-test", "pk": cycle.pk, "action": world.other_partnership_action.pk},
    )
    assert client_as(world.users["working_group"]).post(url).status_code == 404


def test_no_update_is_requested_in_a_locked_cycle(world, cycle, client_as, mailoutbox):
    cycle.state = "locked"
    cycle.save()
    url = reverse(
        "cycle_request_update", kwargs={"partnership": "kent-test", "pk": cycle.pk, "action": world.own_action.pk}
    )
    response = client_as(world.users["working_group"]).post(url, follow=True)
    assert "reopen it before asking for updates" in response.content.decode()
    assert mailoutbox == []


def test_the_board_names_lead_organisations_nobody_can_be_reminded_at(world, cycle, client_as):
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    page = client_as(world.users["working_group"]).get(url).content.decode()
    # Other Council leads three of the seven actions and has no member; Own District Council has the partner.
    invite = reverse("people_invite", kwargs={"partnership": "kent-test"})
    assert (
        page.count(f'No one at {world.other_org.display_name} to remind — <a href="{invite}">invite someone</a>.') == 3
    )
    assert f"No one at {world.own_org.display_name} to remind" not in page


def test_a_lead_left_with_no_one_to_remind_shows_at_once(world, cycle, client_as):
    """Whether anyone at a lead can be reminded is kept with the plan's actions (`actions.kept.plan_actions`), so a
    change to people, which is audited, must show on the next visit: here the partner, the one member
    at Own District Council who may be reminded, is removed."""
    client = client_as(world.users["working_group"])
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    unreachable = f"No one at {world.own_org.display_name} to remind"
    assert unreachable not in client.get(url).content.decode()
    membership_deactivate(access=access_for(world.users["admin"], world.partnership), user=world.users["partner"])
    assert unreachable in client.get(url).content.decode()


def test_remind_all_overdue_asks_every_reachable_lead_in_one_step(world, cycle, client_as, mailoutbox):
    url = reverse("cycle_remind_overdue", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    client = client_as(world.users["working_group"])
    confirm = client.get(url).content.decode()
    assert "Remind all 4 overdue" in confirm
    assert confirm.count(f"No one at {world.other_org.display_name} to remind") == 2
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert "Asked the lead partners of 2 overdue actions for an update (1 e-mail)." in page
    assert "Nobody new was e-mailed about 2 overdue actions" in page
    expected = Action.objects.filter(wording__in=["Domestic Abuse draft", "Own council's action"])
    # The partner leading both is asked once, about each, with its link.
    [message] = mailoutbox
    assert (message.to, message.subject) == (["partner@example.org"], "Please update 2 actions for Q1 2018/19")
    for action in expected:
        assert f"- {action.wording}\n  Write it here: http" in message.body
        assert f"/kent-test/actions/{action.pk}/progress/" in message.body
    reminded = AuditEntry.objects.filter(verb="remind").values_list("object_id", flat=True)
    assert sorted(reminded) == sorted(expected.values_list("pk", flat=True))


def test_a_filtered_board_offers_no_reminder_for_a_count_it_does_not_show(world, cycle, client_as):
    """ "Remind all overdue" reminds the whole cycle, so only the whole board offers it, with the whole
    cycle's count; a filtered board says where to send it from."""
    board = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    client = client_as(world.users["working_group"])
    whole = client.get(board).content.decode()
    assert "Remind all 4 overdue" in whole
    narrowed = client.get(board, {"priority": "road-safety"}).content.decode()
    assert "remind-overdue" not in narrowed
    assert "Reminders go to every overdue action of the cycle" in narrowed
    sorted_only = client.get(board, {"sort": "lead", "state": ""}).content.decode()
    assert "Remind all 4 overdue" in sorted_only


def test_remind_all_overdue_in_a_locked_cycle_reminds_nobody(world, cycle, client_as, mailoutbox):
    cycle.state = "locked"
    cycle.save()
    url = reverse("cycle_remind_overdue", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    page = client_as(world.users["working_group"]).post(url, follow=True).content.decode()
    assert "Q1 2018/19 is locked: reopen it before asking for updates." in page
    assert mailoutbox == []
