"""Requests from the governing group tracked to their close (issue 25): the governing group's "action
requested" names an organisation and a due date; the request is e-mailed to that organisation's
partners and the Working Group, shows on the partner's dashboard, My actions and the escalations page,
is answered by the partner, closed by the Working Group or the governing group with a note, each step in
the audit trail, and shown in the report's page, PDF and Word document."""

import io
from datetime import date, timedelta

import docx
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from csa_tracker.audit.models import AuditEntry
from csa_tracker.refusals import Stale
from reports.snapshot import build_snapshot
from tests.factories import MembershipFactory, ReportingCycleFactory, UserFactory
from workflow import governing, services
from workflow.models import Escalation, EscalationResponse, GoverningRequest, RequestState

DUE = timezone.localdate() + timedelta(days=30)
DUE_WORDS = f"{DUE:%-d %B %Y}"
ASKED = "Bring a recovery plan for the speed watch to the next meeting."
ANSWER = "The recovery plan is drafted; two new volunteers start in May."
CLOSE_NOTE = "Plan received at the meeting; nothing more needed."
REPORT = "/kent-test/reports/2017-18/q4-2017-18"


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"partnership": "kent-test", **kwargs})


@pytest.fixture
def escalation(world):
    wg = access_for(world.users[Role.WORKING_GROUP], world.partnership)
    return services.item_escalate(access=wg, item=world.published_updates["own"], note="Volunteers left.", notify=False)


@pytest.fixture
def other_partner(world):
    """A partner of the other council: asked nothing."""
    user = UserFactory(username="other_partner")
    MembershipFactory(user=user, partnership=world.partnership, organisation=world.other_org, role=Role.PARTNER)
    return user


def request_action(world, client_as, escalation, capture, **overrides):
    data = {"kind": "action_requested", "note": ASKED, "owner": world.own_org.pk, "due": DUE.isoformat()}
    with capture(execute=True):
        response = client_as(world.users[Role.GOVERNING]).post(
            url("escalation_respond", pk=escalation.pk), data | overrides
        )
    return response


def answer(world, client_as, found, capture, text=ANSWER):
    with capture(execute=True):
        return client_as(world.users[Role.PARTNER]).post(url("request_answer", pk=found.pk), {"answer": text})


def close(world, client_as, found, capture, role=Role.GOVERNING, note=CLOSE_NOTE):
    with capture(execute=True):
        return client_as(world.users[role]).post(url("request_close", pk=found.pk), {"note": note})


def mails(mailoutbox) -> list[tuple[str, str]]:
    return sorted((message.to[0], message.subject) for message in mailoutbox)


def test_a_request_from_the_response_to_its_close(
    world, client_as, escalation, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    detail = url("escalation_detail", pk=escalation.pk)

    # The governing group requests action: the form offers the action's lead organisation first.
    form = client_as(world.users[Role.GOVERNING]).get(url("escalation_respond", pk=escalation.pk)).content.decode()
    assert f'<option value="{world.own_org.pk}" selected>Own District Council</option>' in form
    response = request_action(world, client_as, escalation, capture)
    assert response.status_code == 302
    found = GoverningRequest.objects.get()
    assert (found.owner, found.due, found.state, found.asked) == (world.own_org, DUE, RequestState.OPEN, ASKED)
    subject = f"Requested by the governing group: Own District Council, due {DUE_WORDS}"
    assert mails(mailoutbox) == [("partner@example.org", subject), ("working_group@example.org", subject)]
    assert ASKED in mailoutbox[0].body and f"{detail}#request-{found.pk}" in mailoutbox[0].body

    # The partner sees it on their dashboard, in My actions and on the escalations page.
    partner = client_as(world.users[Role.PARTNER])
    line = f"Requested by the governing group: {ASKED}</strong> — Own District Council, due {DUE_WORDS}"
    for page in ("my_dashboard", "my_work"):
        body = partner.get(url(page)).content.decode()
        assert line in body
        assert f'href="{detail}#request-{found.pk}"' in body
    listing = partner.get(url("escalations")).content.decode()
    assert f"Requested by the governing group: Own District Council, due {DUE:%-d %b %Y}</strong> · Open" in listing
    page = partner.get(detail).content.decode()
    assert f'href="{url("request_answer", pk=found.pk)}"' in page
    assert f'href="{url("request_close", pk=found.pk)}"' not in page

    # The partner answers: the Working Group and the governing group are told.
    mailoutbox.clear()
    assert answer(world, client_as, found, capture).status_code == 302
    found.refresh_from_db()
    assert (found.state, found.answer, found.answered_by) == (RequestState.ANSWERED, ANSWER, world.users["partner"])
    subject = "Request of the governing group answered by Own District Council"
    assert mails(mailoutbox) == [("governing@example.org", subject), ("working_group@example.org", subject)]
    assert ANSWER in mailoutbox[0].body
    assert "Read your answer, or answer again" in partner.get(url("my_work")).content.decode()
    again = partner.get(url("request_answer", pk=found.pk)).content.decode()
    assert f"{ANSWER}</textarea>" in again  # answering again starts from the answer given

    # The governing group closes it: everyone concerned is told, and it leaves the partner's lists.
    mailoutbox.clear()
    governing_page = client_as(world.users[Role.GOVERNING]).get(detail).content.decode()
    assert f'href="{url("request_close", pk=found.pk)}"' in governing_page
    assert close(world, client_as, found, capture).status_code == 302
    found.refresh_from_db()
    closed = (found.state, found.close_note, found.closed_by)
    assert closed == (RequestState.CLOSED, CLOSE_NOTE, world.users["governing"])
    subject = "Request of the governing group closed: Own District Council"
    assert mails(mailoutbox) == [
        ("governing@example.org", subject),
        ("partner@example.org", subject),
        ("working_group@example.org", subject),
    ]
    assert CLOSE_NOTE in mailoutbox[0].body
    partner = client_as(world.users[Role.PARTNER])
    for page in ("my_dashboard", "my_work"):
        assert "Requested by the governing group" not in partner.get(url(page)).content.decode()
    page = partner.get(detail).content.decode()
    assert "<strong>Closed</strong>" in page and CLOSE_NOTE in page and ANSWER in page
    assert f'href="{url("request_answer", pk=found.pk)}"' not in page

    # Each step in the audit trail, exactly.
    entries = AuditEntry.objects.filter(verb__in=["respond", "request", "answer", "close"]).order_by("at", "pk")
    assert [(e.verb, e.summary, e.actor.username, e.reason, e.object_id) for e in entries] == [
        ("respond", "Governing group's response: Action requested", "governing", ASKED, escalation.pk),
        ("request", f"Action requested of Own District Council, due {DUE_WORDS}", "governing", ASKED, found.pk),
        ("answer", "Request of the governing group answered for Own District Council", "partner", ANSWER, found.pk),
        ("close", "Request of the governing group to Own District Council closed", "governing", CLOSE_NOTE, found.pk),
    ]
    assert {entry.partnership_id for entry in entries} == {world.partnership.pk}


def report_files(world, client_as):
    """The report published by the Working Group, read as the governing group: page, PDF text, Word text."""
    wg = client_as(world.users[Role.WORKING_GROUP])
    assert wg.post(f"{REPORT}/publish/", {"reason": ""}).status_code == 302
    reader = client_as(world.users[Role.GOVERNING])
    page = reader.get(f"{REPORT}/v1/").content.decode()
    pdf = reader.get(f"{REPORT}/v1.pdf").getvalue()
    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    document = docx.Document(io.BytesIO(reader.get(f"{REPORT}/v1.docx").getvalue()))
    return page, pdf_text, [paragraph.text for paragraph in document.paragraphs]


def test_the_report_shows_an_open_request_in_html_pdf_and_word(
    world, client_as, escalation, django_capture_on_commit_callbacks
):
    request_action(world, client_as, escalation, django_capture_on_commit_callbacks)
    page, pdf_text, word = report_files(world, client_as)
    assert '<li><a href="#governing-requests">Requests from the governing group</a></li>' in page
    assert '<h2 id="governing-requests">Requests from the governing group</h2>' in page
    for fact in (
        f"<dt>Requested</dt><dd>{ASKED} (Q4 2017/18)</dd>",
        "<dt>Owner</dt><dd>Own District Council</dd>",
        f"<dt>Due</dt><dd>{DUE_WORDS}</dd>",
        "<dt>State</dt><dd>Open</dd>",
        "<dt>Answer</dt><dd>Not answered yet.</dd>",
    ):
        assert fact in page
    assert "Requests from the governing group" in pdf_text
    assert f"Owner: Own District Council Due: {DUE_WORDS} State: Open Answer: Not answered yet." in pdf_text
    assert word.count("Requests from the governing group") == 2  # the contents and the heading
    start = word.index("Own council's action", word.index("Requests from the governing group", 5))
    assert word[start : start + 6] == [
        "Own council's action",
        f"Requested: {ASKED} (Q4 2017/18)",
        "Owner: Own District Council",
        f"Due: {DUE_WORDS}",
        "State: Open",
        "Answer: Not answered yet.",
    ]


def test_the_report_shows_a_closed_request_with_its_answer_and_note(
    world, client_as, escalation, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    request_action(world, client_as, escalation, capture)
    found = GoverningRequest.objects.get()
    answer(world, client_as, found, capture)
    close(world, client_as, found, capture, role=Role.WORKING_GROUP)
    page, pdf_text, word = report_files(world, client_as)
    for fact in (
        "<dt>State</dt><dd>Closed</dd>",
        f"<dt>Answer</dt><dd>{ANSWER}</dd>",
        f"<dt>Closed</dt><dd>{CLOSE_NOTE}</dd>",
    ):
        assert fact in page
    assert f"State: Closed Answer: {ANSWER} Closed: {CLOSE_NOTE}" in pdf_text
    assert ["State: Closed", f"Answer: {ANSWER}", f"Closed: {CLOSE_NOTE}"] == word[
        word.index("State: Closed") : word.index("State: Closed") + 3
    ]


def test_partners_do_not_read_the_requests_in_the_report(
    world, client_as, escalation, django_capture_on_commit_callbacks
):
    request_action(world, client_as, escalation, django_capture_on_commit_callbacks)
    report_files(world, client_as)
    page = client_as(world.users[Role.PARTNER]).get(f"{REPORT}/v1/").content.decode()
    assert "Requests from the governing group" not in page
    assert ASKED not in page


def test_the_snapshot_quotes_the_request_and_next_cycle_the_response_in_words(
    world, client_as, escalation, django_capture_on_commit_callbacks
):
    """Read as values (issue 26): each field as the report prints it, labels as the models give them."""
    request_action(world, client_as, escalation, django_capture_on_commit_callbacks)
    snapshot = build_snapshot(world.cycle)
    assert snapshot["governing_requests"] == [
        {
            "subject": "Own council's action",
            "cycle": "Q4 2017/18",
            "asked": ASKED,
            "owner": "Own District Council",
            "due": DUE_WORDS,
            "state": "Open",
            "answer": "",
            "close_note": "",
        }
    ]
    (quoted,) = snapshot["escalations"][0]["responses"]
    assert (quoted["kind"], quoted["note"]) == ("Action requested", ASKED)
    after = ReportingCycleFactory(
        plan=world.plan, name="Q1 2018/19", period_start=date(2018, 4, 1), period_end=date(2018, 6, 30)
    )
    assert build_snapshot(after)["earlier_responses"] == [
        {**quoted, "cycle": "Q4 2017/18", "subject": "Own council's action", "escalation": "Volunteers left."}
    ]


def test_a_report_without_requests_has_no_section_and_its_snapshot_no_key(world, client_as, escalation):
    page, pdf_text, word = report_files(world, client_as)
    assert "Requests from the governing group" not in page
    assert "Requests from the governing group" not in pdf_text
    assert "Requests from the governing group" not in word


def test_only_the_organisation_asked_answers_and_only_the_working_group_or_governing_group_closes(
    world, client_as, escalation, other_partner, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    request_action(world, client_as, escalation, capture)
    found = GoverningRequest.objects.get()
    outsider = client_as(other_partner)
    assert outsider.get(url("request_answer", pk=found.pk)).status_code == 404
    assert outsider.get(url("escalation_detail", pk=escalation.pk)).status_code == 404
    assert "Requested by the governing group" not in outsider.get(url("escalations")).content.decode()
    assert "Requested by the governing group" not in outsider.get(url("my_dashboard")).content.decode()
    governing = client_as(world.users[Role.GOVERNING])
    refused = governing.get(url("request_answer", pk=found.pk))
    assert refused.status_code == 403
    admin = client_as(world.users[Role.ADMIN])
    refused = admin.post(url("request_close", pk=found.pk), {"note": "Tidying."})
    assert refused.status_code == 403
    assert "Only the Working Group and the governing group close a request" in refused.content.decode()
    found.refresh_from_db()
    assert found.state == RequestState.OPEN
    assert not AuditEntry.objects.filter(verb__in=["answer", "close"]).exists()


def test_the_response_form_names_each_missing_part_of_a_request_and_keeps_what_was_typed(
    world, client_as, escalation, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    response = request_action(world, client_as, escalation, capture, note="", owner="", due="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Note: say what action the governing group requests." in page
    assert "Organisation asked to act: choose one of the partnership&#x27;s organisations." in page
    assert "Due by: enter the date the action is due by." in page
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = request_action(world, client_as, escalation, capture, due=past).content.decode()
    assert "Due by: the date cannot be in the past." in page
    assert ASKED in page and f'value="{past}"' in page
    assert not EscalationResponse.objects.exists() and not GoverningRequest.objects.exists()


def test_a_noted_response_makes_no_request(
    world, client_as, escalation, mailoutbox, django_capture_on_commit_callbacks
):
    response = request_action(world, client_as, escalation, django_capture_on_commit_callbacks, kind="noted")
    assert response.status_code == 302
    assert EscalationResponse.objects.get().kind == "noted"
    assert not GoverningRequest.objects.exists() and mailoutbox == []


def test_answers_and_closes_are_refused_with_a_message_where_they_would_change_nothing(
    world, client_as, escalation, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    request_action(world, client_as, escalation, capture)
    found = GoverningRequest.objects.get()
    empty = answer(world, client_as, found, capture, "").content.decode()
    assert "Answer: say what your organisation has done or will do." in empty
    answer(world, client_as, found, capture)
    again = answer(world, client_as, found, capture).content.decode()
    assert "Answer: this is the answer already given; change it to answer again." in again
    assert "Note: say why the request is closed." in close(world, client_as, found, capture, note="").content.decode()
    close(world, client_as, found, capture)
    # A second close from a page opened before the first: the person is told it is closed already.
    wg = access_for(world.users[Role.WORKING_GROUP], world.partnership)
    with pytest.raises(Stale, match="This request is closed already"):
        governing.request_close(access=wg, request=found, note="Again.")
    assert AuditEntry.objects.filter(verb="answer").count() == 1
    assert AuditEntry.objects.filter(verb="close").count() == 1


def test_the_governing_group_may_ask_another_organisation(
    world, client_as, escalation, other_partner, mailoutbox, django_capture_on_commit_callbacks
):
    request_action(world, client_as, escalation, django_capture_on_commit_callbacks, owner=world.other_org.pk)
    found = GoverningRequest.objects.get()
    assert found.owner == world.other_org
    subject = f"Requested by the governing group: Other Council, due {DUE_WORDS}"
    assert mails(mailoutbox) == [("other_partner@example.org", subject), ("working_group@example.org", subject)]
    # The other council's partner may now open the escalation (a per-object rule) and answer.
    partner = client_as(other_partner)
    assert partner.get(url("escalation_detail", pk=escalation.pk)).status_code == 200
    assert partner.get(url("request_answer", pk=found.pk)).status_code == 200
    assert Escalation.objects.readable_by(access_for(other_partner, world.partnership)).get() == escalation
    assert client_as(world.users[Role.PARTNER]).get(url("request_answer", pk=found.pk)).status_code == 404


@pytest.mark.parametrize("page", ["my_dashboard", "my_work", "escalations"])
def test_the_lists_of_requests_take_the_same_queries_for_one_request_or_five(
    world, client_as, page, django_assert_num_queries, pages_built_every_time
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ActionFactory, PublishedUpdateFactory

    wg = access_for(world.users[Role.WORKING_GROUP], world.partnership)
    gov = access_for(world.users[Role.GOVERNING], world.partnership)

    def add_request():
        action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])
        item = PublishedUpdateFactory(action=action, cycle=world.cycle)
        escalation = services.item_escalate(access=wg, item=item, note="Concern.", notify=False)
        governing.escalation_respond(
            access=gov, escalation=escalation, kind="action_requested", note=ASKED, owner=world.own_org, due=DUE
        )

    partner = client_as(world.users[Role.PARTNER])
    partner.get(url(page))
    # Each count after a change (a new work generation), as the cycle chooser reads again after one.
    add_request()
    with CaptureQueriesContext(connection) as one:
        partner.get(url(page))
    for _ in range(4):
        add_request()
    with django_assert_num_queries(len(one.captured_queries)):
        body = partner.get(url(page)).content.decode()
    assert body.count("Requested by the governing group") == 5


def test_a_request_sent_twice_is_made_once(
    world, client_as, escalation, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert request_action(world, client_as, escalation, capture).status_code == 302
    again = request_action(world, client_as, escalation, capture)
    assert again.status_code == 200
    assert "Note: the governing group already gave this response; change the note to add another." in (
        again.content.decode().replace("&#x27;", "'")
    )
    assert (EscalationResponse.objects.count(), GoverningRequest.objects.count(), len(mailoutbox)) == (1, 1, 2)
