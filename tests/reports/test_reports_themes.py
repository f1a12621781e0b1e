"""The cross-cutting themes of an action show where the action does (issue 14's "done when": the governing
group sees the themes in the report, HTML and PDF, and on the action's page); an action without themes
leaves the report's snapshot as it was, so a report published before themes is not taken for changed."""

import io

import pypdf
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Role
from reports.models import Report
from reports.services import report_publish
from reports.snapshot import build_snapshot
from tests.factories import ThemeFactory


def test_the_report_and_the_action_page_name_the_actions_themes(world, client_as):
    youth = ThemeFactory(partnership=world.partnership, name="Serious youth violence")
    women = ThemeFactory(partnership=world.partnership, name="Violence against women and girls")
    world.own_action.themes.set([youth, women])
    report, _ = report_publish(access=access_for(world.users[Role.WORKING_GROUP], world.partnership), cycle=world.cycle)
    board = client_as(world.users[Role.GOVERNING])

    page = board.get(report.get_absolute_url()).content.decode()
    assert "<dt>Themes</dt><dd>Serious youth violence, Violence against women and girls</dd>" in page
    assert page.count("<dt>Themes</dt>") == 1  # the other action has none
    pdf = b"".join(board.get(report.pdf_url).streaming_content)
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Serious youth violence, Violence against women and girls" in text

    action_page = board.get(
        reverse("action_detail", kwargs={"partnership": world.partnership.slug, "pk": world.own_action.pk})
    )
    assert "Serious youth violence, Violence against women and girls" in action_page.content.decode()


def test_actions_without_themes_keep_the_snapshot_as_before(world):
    snapshot = build_snapshot(world.cycle)
    assert all("themes" not in action for priority in snapshot["priorities"] for action in priority["actions"])
    report_publish(access=access_for(world.users[Role.WORKING_GROUP], world.partnership), cycle=world.cycle)
    _, created = report_publish(
        access=access_for(world.users[Role.WORKING_GROUP], world.partnership), cycle=world.cycle
    )
    assert not created and Report.objects.filter(cycle=world.cycle).count() == 1
