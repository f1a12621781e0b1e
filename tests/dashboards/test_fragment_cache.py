"""The work-in-progress pages' bodies are cached per partnership, audience and generation (issue 26):
a hit runs none of the page's own queries, a change through the services shows at once, and nobody is
ever served another partnership's, role's or organisation's body."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from actions.models import ProgressUpdate
from csa_tracker.accounts.fragments import fragment_key
from csa_tracker.accounts.models import Organisation, Partnership, Role
from csa_tracker.audit.services import audit_record
from tests.factories import ActionFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.html_forms import same_every_time
from workflow.models import ReviewState


def url(name, partnership="kent-test"):
    return reverse(name, kwargs={"partnership": partnership})


WIP_PAGES = [
    ("working_group_dashboard", Role.WORKING_GROUP),
    ("dashboard", Role.GOVERNING),
    ("my_dashboard", Role.PARTNER),
    ("review_queue", Role.WORKING_GROUP),
    ("my_work", Role.PARTNER),
]


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("name", "role"), WIP_PAGES)
def test_a_second_visit_is_served_from_the_cache_with_a_fixed_handful_of_queries(world, client_as, name, role):
    client = client_as(world.users[role])
    built = queries(client, url(name))
    served = queries(client, url(name))
    # A hit asks for the session, the person, the memberships (with their partnerships) and (the governing
    # dashboard) the districts' generations: never the page's own data, nor the menu's unread count, kept
    # since the build.
    assert served == (4 if name == "dashboard" else 3)
    assert built > served


def test_a_second_visit_to_the_completeness_board_reads_only_its_cycle_beside_the_handful(world, client_as):
    client = client_as(world.users[Role.WORKING_GROUP])
    board = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": world.cycle.pk})
    built = queries(client, board)
    # The cycle is read to check the reader may manage it; the filter's options are not read on a hit.
    assert queries(client, board) == 4 < built


def test_a_submission_shows_at_once_in_the_queue_and_on_the_dashboards(world, client_as):
    reviewer = Client()
    reviewer.force_login(world.users[Role.WORKING_GROUP])
    before = reviewer.get(url("review_queue")).content.decode()
    dashboard_before = reviewer.get(url("working_group_dashboard")).content.decode()
    action = ActionFactory(plan_priority=world.plan_priority, wording="Newly led action", leads=[world.own_org])
    assert "Newly led action" not in before

    partner = client_as(world.users[Role.PARTNER])
    start = reverse("update_start", kwargs={"partnership": "kent-test", "pk": action.pk})
    status = action.status_id
    posted = partner.post(start, {"text": "Fresh progress for the queue.", "status": status, "submit": "1"})
    assert posted.status_code == 302
    update = ProgressUpdate.objects.get(text="Fresh progress for the queue.")
    assert update.state == ReviewState.SUBMITTED

    after = reviewer.get(url("review_queue")).content.decode()
    assert "Newly led action" in after
    assert after.count("Publish ") == before.count("Publish ") + 1  # one more item to check and publish
    dashboard_after = reviewer.get(url("working_group_dashboard")).content.decode()
    assert dashboard_after != dashboard_before  # the queue's count moved


def test_partners_of_two_organisations_never_see_each_others_cached_page(world, client_as):
    other_partner = UserFactory(username="other-partner")
    MembershipFactory(user=other_partner, partnership=world.partnership, organisation=world.other_org, role="partner")
    own = Client()
    own.force_login(world.users[Role.PARTNER])
    other = Client()
    other.force_login(other_partner)
    for name in ("my_dashboard", "my_work"):
        mine = own.get(url(name)).content.decode()
        theirs = other.get(url(name)).content.decode()
        assert "Own council&#x27;s action" in mine and "Other council&#x27;s action" not in mine
        assert "Other council&#x27;s action" in theirs and "Own council&#x27;s action" not in theirs


def test_the_key_names_partnership_audience_organisations_person_day_and_query(world, rf, monkeypatch):
    from csa_tracker.accounts.access import access_for

    def key(user, partnership=world.partnership, query=None, per_person=False):
        request = rf.get("/", query or {})
        request.access = access_for(user, partnership)
        return fragment_key(request, "page", per_person=per_person)

    reviewer, governing = world.users[Role.WORKING_GROUP], world.users[Role.GOVERNING]
    keys = {key(reviewer), key(governing), key(reviewer, query={"theme": "1"}), key(reviewer, per_person=True)}
    assert len(keys) == 4
    elsewhere = UserFactory()
    org = OrganisationFactory(partnership=world.other_partnership)
    MembershipFactory(user=elsewhere, partnership=world.other_partnership, organisation=org, role=Role.WORKING_GROUP)
    assert key(elsewhere, world.other_partnership) not in keys
    today = key(reviewer)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2099, 1, 1))
    assert key(reviewer) != today  # overdue follows the day


def test_another_reviewer_gets_a_cached_queue_with_a_csrf_token_of_their_own(world, client_as):
    first = Client(enforce_csrf_checks=True)
    first.force_login(world.users[Role.WORKING_GROUP])
    first.get(url("review_queue"))
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, partnership=world.partnership, organisation=world.own_org, role="working_group")
    second = Client(enforce_csrf_checks=True)
    second.force_login(colleague)
    page = second.get(url("review_queue"))
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    item = world.submitted_updates["own"]
    published = second.post(
        url("review_publish_many"), {"item": [f"update:{item.pk}:{item.version}"], "csrfmiddlewaretoken": token}
    )
    assert published.status_code == 302
    item.refresh_from_db()
    assert item.state == ReviewState.PUBLISHED


def test_rows_written_behind_the_services_back_wait_for_the_next_audited_change(world, client_as):
    """The rule: the cache moves with audited changes, not with raw rows (factories, a shell)."""
    client = client_as(world.users[Role.WORKING_GROUP])
    client.get(url("working_group_dashboard"))
    action = ActionFactory(plan_priority=world.plan_priority, wording="Written by a shell", leads=[world.own_org])
    assert "Written by a shell" not in client.get(url("working_group_dashboard")).content.decode()
    audit_record(action, actor=world.users[Role.WORKING_GROUP], verb="edit", summary="Action changed")
    assert "Written by a shell" in client.get(url("working_group_dashboard")).content.decode()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def partners(world):
    """A partner of our organisation and one of the other organisation, each with their own client."""
    other_partner = UserFactory(username="other-partner")
    MembershipFactory(user=other_partner, partnership=world.partnership, organisation=world.other_org, role="partner")
    return signed_in(world.users[Role.PARTNER]), signed_in(other_partner)


def submit(client, action, text: str):
    start = reverse("update_start", kwargs={"partnership": "kent-test", "pk": action.pk})
    posted = client.post(start, {"text": text, "status": action.status_id, "submit": "1"})
    assert posted.status_code == 302
    assert ProgressUpdate.objects.get(text=text).state == ReviewState.SUBMITTED


def built(client, path, settings) -> str:
    """The page as it is built now, without the fragment cache."""
    settings.CSA_FRAGMENT_CACHE = False
    try:
        return same_every_time(client.get(path).content.decode())
    finally:
        settings.CSA_FRAGMENT_CACHE = True


OWN_PAGES = ["my_dashboard", "my_work"]


def test_a_submission_rebuilds_its_organisation_s_partner_pages_and_the_working_group_s_but_not_others(
    world, partners, settings
):
    """Issue 26: a partner's own pages are keyed by their organisations' work generations, so a
    submission for our organisation's action shows at once for our partners and the Working Group, and
    the other organisation's partner is served their cached page, which is still what a build gives."""
    own, other = partners
    reviewer = signed_in(world.users[Role.WORKING_GROUP])
    action = ActionFactory(plan_priority=world.plan_priority, wording="Newly led action", leads=[world.own_org])
    before = {name: own.get(url(name)).content.decode() for name in OWN_PAGES}
    theirs = {name: other.get(url(name)).content.decode() for name in OWN_PAGES}
    queue_before = reviewer.get(url("review_queue")).content.decode()
    assert all("Newly led action" in page for page in before.values())  # the first visit builds

    submit(own, action, "Fresh progress from our organisation.")

    for name in OWN_PAGES:
        after = own.get(url(name)).content.decode()
        assert after != before[name]  # rebuilt: the action is now reported
        with CaptureQueriesContext(connection) as captured:
            served = other.get(url(name)).content.decode()
        assert len(captured) == 3  # served from the cache: none of the page's own queries, nor the unread count
        assert same_every_time(served) == same_every_time(theirs[name]) == built(other, url(name), settings)
    assert "Newly led action" in reviewer.get(url("review_queue")).content.decode()
    assert "Newly led action" not in queue_before


def test_a_submission_shows_at_once_for_the_partners_of_an_organisation_supporting_the_action(world, partners):
    own, other = partners
    action = ActionFactory(
        plan_priority=world.plan_priority,
        wording="Shared action",
        leads=[world.own_org],
        supporters=[world.other_org],
    )
    before = other.get(url("my_work")).content.decode()
    assert 'Write update<span class="visually-hidden"> for: Shared action' in before
    submit(own, action, "Progress on the shared action.")
    after = other.get(url("my_work")).content.decode()
    assert (
        'View<span class="visually-hidden"> submitted update</span><span class="visually-hidden"> for: Shared action'
        in after
    )


def test_a_change_to_the_plan_rebuilds_every_partner_s_pages(world, partners):
    """Anything that is not one piece of partners' work moves the shared generation: every partner's
    own pages are rebuilt."""
    own, other = partners
    other.get(url("my_dashboard"))
    action = ActionFactory(plan_priority=world.plan_priority, wording="Written by a shell", leads=[world.other_org])
    assert "Written by a shell" not in other.get(url("my_dashboard")).content.decode()  # still the cached body
    audit_record(action, actor=world.users[Role.WORKING_GROUP], verb="edit", summary="Action changed")
    assert "Written by a shell" in other.get(url("my_dashboard")).content.decode()


def my_work_reads(client, query: dict) -> tuple[str, list[str]]:
    """My actions built for `query` (another query string than before: not the cached body), and the SQL it ran."""
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url("my_work"), query).content.decode()
    return body, [found["sql"] for found in captured]


OTHER_FIGURE = escape("Other council's figure")


def pieces_read(sql: list[str]) -> list[str]:
    """Of `sql`, the queries of the indicators a person supplies and of the governing group's requests."""
    indicators = 'SELECT "indicators_indicator"'
    return [query for query in sql if query.startswith(indicators) or "workflow_governingrequest" in query]


def test_my_actions_rebuilt_after_a_submission_keeps_the_indicators_and_requests_it_read(world, partners):
    """Issue 26: what no piece of partners' work changes is kept per shared work generation and
    audience (`fragments.shared_piece`): a rebuild after our organisation's submission, or for another
    query string, does not read them again, and shows what a first build shows."""
    own, _ = partners
    action = ActionFactory(plan_priority=world.plan_priority, wording="Newly led action", leads=[world.own_org])
    first, sql = my_work_reads(own, {})
    assert pieces_read(sql) and "Road casualties</a>" in first
    submit(own, action, "Progress that rebuilds the page.")
    rebuilt, sql = my_work_reads(own, {"sort": "action"})
    assert not pieces_read(sql)
    assert "Road casualties</a>" in rebuilt
    assert 'submitted update</span><span class="visually-hidden"> for: Newly led action' in rebuilt


def test_a_shared_change_shows_in_the_indicators_and_requests_my_actions_keeps(world, partners):
    """An audited change that is not a piece of partners' work (here an indicator's suppliers) moves the
    shared generation: the kept pieces are read again."""
    own, _ = partners
    my_work_reads(own, {})
    world.other_indicator.leads.add(world.own_org)  # behind the services' back: the piece is kept
    body, sql = my_work_reads(own, {"sort": "action"})
    assert not pieces_read(sql) and f"{OTHER_FIGURE}</a>" not in body
    audit_record(world.other_indicator, actor=world.users[Role.WORKING_GROUP], verb="edit", summary="Leads changed")
    body, sql = my_work_reads(own, {"sort": "-action"})
    assert pieces_read(sql) and f"{OTHER_FIGURE}</a>" in body


def test_partners_of_two_organisations_are_never_given_each_others_kept_indicators(world, partners):
    own, other = partners
    ours, _ = my_work_reads(own, {})
    theirs, _ = my_work_reads(other, {})
    assert "Road casualties</a>" in ours and f"{OTHER_FIGURE}</a>" not in ours
    assert f"{OTHER_FIGURE}</a>" in theirs and "Road casualties</a>" not in theirs


def test_the_key_of_a_partner_s_own_page_follows_their_organisations_and_the_shared_generation(world, rf):
    from csa_tracker.accounts.access import access_for

    def key(user, own_work=True):
        request = rf.get("/")
        request.access = access_for(user, Partnership.objects.get(pk=world.partnership.pk))
        return fragment_key(request, "page", per_person=True, own_work=own_work)

    partner, reviewer = world.users[Role.PARTNER], world.users[Role.WORKING_GROUP]
    first, reviewer_first = key(partner), key(reviewer)
    Organisation.objects.filter(pk=world.other_org.pk).update(work_generation=F("work_generation") + 1)
    assert key(partner) == first  # another organisation's work
    Organisation.objects.filter(pk=world.own_org.pk).update(work_generation=F("work_generation") + 1)
    assert key(partner) != first
    # The Working Group reads every organisation's work: its key follows the partnership's generation.
    assert key(reviewer) == reviewer_first
    Partnership.objects.filter(pk=world.partnership.pk).update(work_generation=F("work_generation") + 1)
    assert key(reviewer) != reviewer_first
    second = key(partner)
    Partnership.objects.filter(pk=world.partnership.pk).update(shared_work_generation=F("shared_work_generation") + 1)
    assert key(partner) != second


@pytest.mark.parametrize("name", ["working_group_dashboard", "dashboard"])
def test_what_a_build_said_about_the_address_is_said_again_when_the_page_comes_from_the_cache(world, client_as, name):
    role = Role.WORKING_GROUP if name == "working_group_dashboard" else Role.GOVERNING
    client = client_as(world.users[role])
    warning = "That theme is not one of this partnership&#x27;s themes, so every action is shown."
    built = client.get(url(name) + "?theme=nope")
    with CaptureQueriesContext(connection) as served_queries:
        served = client.get(url(name) + "?theme=nope")
    assert built.content.decode().count(warning) == 1
    assert served.content.decode().count(warning) == 1
    assert len(served_queries) < 5  # from the cache: none of the page's own queries
    # Said for that address only, and once: the next page does not say it again.
    assert warning not in client.get(url(name)).content.decode()
