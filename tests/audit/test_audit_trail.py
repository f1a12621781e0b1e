"""The one audit trail: every change that matters, from every kind of object, in one export with who,
when and why; and report versions that show each reader only what the pages would."""

import csv
import io
from datetime import date, timedelta

import docx
import pypdf
from django.urls import reverse
from django.utils import timezone

from csa_tracker.accounts.access import access_for
from csa_tracker.audit.services import audit_record
from cycles.services import cycle_lock
from indicators.models import Geography
from reports.services import report_publish
from tests.factories import GeographyFactory, ReadingFactory
from tests.reviewing import corrected_and_published
from workflow.services import item_escalate

WG = "working_group"


def audit_rows(client, world) -> list[dict]:
    url = reverse("export_list", kwargs={"partnership": world.partnership.slug, "name": "audit", "fmt": "csv"})
    return list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))


def test_one_export_holds_a_decision_a_due_date_change_and_a_cycle_reopen(world, client_as):
    wg = client_as(world.users[WG])
    update = world.submitted_updates["own"]
    review = reverse("review_update", kwargs={"partnership": "kent-test", "pk": update.pk})
    wg.post(review, {"decision": "return", "comment": "Please add the dates.", "version": update.version})
    action = world.own_action
    edit = reverse("action_edit", kwargs={"partnership": "kent-test", "pk": action.pk})
    form = {
        "wording": action.wording,
        "leads": [world.own_org.pk],
        "status": action.status_id,
        "due_date": "2018-06-30",
        "order": action.order,
        "reason": "The funding was extended to June.",
    }
    assert wg.post(edit, form).status_code == 302
    cycle_lock(access=access_for(world.users[WG], world.partnership), cycle=world.cycle)
    reopen = reverse("cycle_reopen", kwargs={"partnership": "kent-test", "pk": world.cycle.pk})
    deadline = timezone.localdate() + timedelta(days=7)
    wg.post(reopen, {"reason": "Police figures arrived late.", "update_deadline": deadline.isoformat()})

    rows = audit_rows(wg, world)
    by_what = {row["What"]: row for row in rows}
    returned, changed, reopened = by_what["Returned"], by_what["Action changed"], by_what["Reopened"]
    who = world.users[WG].get_full_name() or world.users[WG].username
    assert (returned["Who"], returned["Reason or comment"], returned["Kind"]) == (
        who,
        "Please add the dates.",
        "Progress update",
    )
    assert (changed["Who"], changed["Reason or comment"]) == (who, "The funding was extended to June.")
    assert "Due date: “” → “2018-06-30”" in changed["Changes"]
    assert (reopened["Who"], reopened["Reason or comment"], reopened["From state"], reopened["To state"]) == (
        who,
        "Police figures arrived late.",
        "locked",
        "open",
    )
    assert f"Update deadline: “2018-02-16” → “{deadline.isoformat()}”" in reopened["Changes"]
    assert all(row["When"] for row in (returned, changed, reopened))


def test_the_export_holds_only_this_partnerships_entries(world, client_as):
    for case in ("own", "other_partnership"):
        audit_record(world.submitted_updates[case], actor=world.users["partner"], verb="submit", summary="Submitted")
    rows = audit_rows(client_as(world.users[WG]), world)
    assert [row["ID"] for row in rows] == [str(world.submitted_updates["own"].pk)]


def test_saving_an_action_unchanged_writes_no_audit_entry(world, client_as):
    wg = client_as(world.users[WG])
    action = world.own_action
    edit = reverse("action_edit", kwargs={"partnership": "kent-test", "pk": action.pk})
    form = {
        "wording": action.wording,
        "leads": [world.own_org.pk],
        "status": action.status_id,
        "order": action.order,
        "reason": "Nothing really.",
    }
    wg.post(edit, form)
    assert not [row for row in audit_rows(wg, world) if row["What"] == "Action changed"]


def small_district_escalation(world):
    """A published district count of 3 (suppressed everywhere), escalated, and the report published
    twice (a correction makes version 2)."""
    district = GeographyFactory(name="Dover", kind=Geography.Kind.DISTRICT)
    reading = ReadingFactory(
        indicator=world.indicator,
        geography=district,
        value=3,
        period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 31),
    )
    wg = access_for(world.users[WG], world.partnership)
    item_escalate(access=wg, item=reading, note="Three knife crimes in one ward.")
    item_escalate(access=wg, item=world.published_updates["own"], note="Two chairs withdrew.")
    report_publish(access=wg, cycle=world.cycle)
    corrected_and_published(
        access=wg, item=world.published_updates["own"], fields={"text": "Corrected text."}, reason="Typo"
    )
    report_publish(access=wg, cycle=world.cycle, reason="Typo in progress")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_partners_see_no_escalation_in_any_report_version_html_or_pdf(world, client_as):
    small_district_escalation(world)
    partner, board = client_as(world.users["partner"]), None
    for version in (1, 2):
        base = f"/kent-test/reports/2017-18/q4-2017-18/v{version}"
        page = partner.get(f"{base}/").content.decode()
        assert "Own council" in page  # the report itself is there
        assert "Two chairs withdrew." not in page and "Three knife crimes" not in page
        assert "Significant changes and areas of concern" not in page
        text = pdf_text(b"".join(partner.get(f"{base}.pdf").streaming_content))
        assert "Two chairs withdrew." not in text and "Three knife crimes" not in text
    board = client_as(world.users["governing"])
    page = board.get("/kent-test/reports/2017-18/q4-2017-18/v2/").content.decode()
    assert "Two chairs withdrew." in page and "Three knife crimes in one ward." in page
    text = pdf_text(b"".join(board.get("/kent-test/reports/2017-18/q4-2017-18/v2.pdf").streaming_content))
    assert "Two chairs withdrew." in text  # the governing group's stored file is its own


def test_partners_word_documents_hold_no_escalation(world, client_as):
    small_district_escalation(world)
    for role, shown in (("partner", False), ("governing", True)):
        response = client_as(world.users[role]).get("/kent-test/reports/2017-18/q4-2017-18/v2.docx")
        document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
        text = "\n".join(paragraph.text for paragraph in document.paragraphs)
        assert ("Two chairs withdrew." in text) is shown


def test_no_report_version_shows_a_suppressed_count(world, client_as):
    small_district_escalation(world)
    board = client_as(world.users["governing"])
    for version in (1, 2):
        base = f"/kent-test/reports/2017-18/q4-2017-18/v{version}"
        page = board.get(f"{base}/").content.decode()
        assert "Dover, 2017 (Jan–Dec): fewer than 5" in page
        assert "(Jan–Dec): 3" not in page
        text = pdf_text(b"".join(board.get(f"{base}.pdf").streaming_content))
        assert "fewer than 5" in text and "(Jan–Dec): 3" not in text
