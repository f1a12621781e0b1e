"""Issue 29: a partnership starts from last year's Word document. In Chromium, a member of the Working
Group of an empty partnership (two organisations, no plan, no statuses) imports the Kent plan from its
Word document, as Kent's own is: "Actions | Progress" tables that name no lead agency. They name the
lead of the six Kent Police actions (the Community Safety Team leads the rest), import the progress into
Kent's Q3 2017/18 cycle, and import. The test counts what the person does (pages, clicks and choices,
fields typed) and times the path; README "Import a plan from a Word document" gives the figures.

The preview is photographed at 390 and 1366 px and checked like every page (axe-core, one h1 and the
landmarks, reflow at 320 px); a PDF uploaded by mistake is refused on the upload form first."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from actions.models import Action, ProgressUpdate
from csa_tracker.accounts.models import Membership, Organisation, Partnership, Role
from priorities.models import Plan, PlanPriority
from tests.plandocs.documents import kent, kent_docx
from workflow.models import ReviewState

from .checks import page_problems, screenshot, screenshots_at_widths
from .drivers import Mouse

pytestmark = pytest.mark.browser

PASSWORD = "working-group-password-29"
KENT = kent()
POLICE_ACTIONS = [a["wording"] for p in KENT["priorities"] for a in p["actions"] if a["leads"][0] == "Kent Police"]


@dataclass
class Steps:
    """What the person did: pages loaded, clicks (buttons, links, choices in a list), fields typed."""

    pages: int = 0
    clicks: int = 0
    typed: int = 0


@pytest.fixture
def empty_kent(transactional_db):
    kent = Partnership.objects.create(name="Kent Community Safety Partnership", short_name="KCSP", slug="kent")
    team = Organisation.objects.create(
        partnership=kent, name="Kent Community Safety Team", short_name="KCST", kind=Organisation.Kind.PARTNERSHIP_TEAM
    )
    Organisation.objects.create(partnership=kent, name="Kent Police", kind=Organisation.Kind.POLICE)
    for username in ("shafick", "colleague"):
        user = get_user_model().objects.create_user(username, email=f"{username}@kent.example.org", password=PASSWORD)
        Membership.objects.create(user=user, partnership=kent, organisation=team, role=Role.WORKING_GROUP)
    return kent


def test_the_working_group_imports_the_kent_plan_from_its_word_document(empty_kent, live_server, page, tmp_path):
    document = tmp_path / "Kent CSA 2017-18.docx"
    document.write_bytes(kent_docx())
    mistake = tmp_path / "Kent CSA 2017-18.pdf"
    mistake.write_bytes(b"%PDF-1.4\n")
    steps = Steps()
    problems = []

    def arrived(name: str):
        steps.pages += 1
        screenshot(page, "journey-plan-import", f"{steps.pages:02d}-{name}")

    def click(target):
        steps.clicks += 1
        target.click()

    def type_in(label: str, text: str):
        steps.typed += 1
        page.locator("main").get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")).fill(text)

    started = time.perf_counter()
    page.goto(f"{live_server.url}/accounts/login/")
    arrived("sign-in")
    type_in("Username or e-mail address", "shafick")
    type_in("Password", PASSWORD)
    with page.expect_navigation():
        click(page.get_by_role("button", name="Sign in"))
    arrived("dashboard")
    if not page.get_by_role("link", name="Plans", exact=True).count():
        steps.clicks += 1  # the menu group holding it is opened first
    with page.expect_navigation():
        click(Mouse(page, live_server.url).link("Plans"))
    arrived("plans")
    with page.expect_navigation():
        click(page.get_by_role("link", name="Import a plan from a Word document"))
    arrived("upload")
    timed_upload = time.perf_counter()
    problems += page_problems(page, "plan-import-upload")
    checks_took = time.perf_counter() - timed_upload

    # First the wrong file: refused on the form, saying what to upload instead.
    page.get_by_label("Word document").set_input_files(str(mistake))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator(".error-summary")).to_contain_text("This is a PDF.")
    screenshot(page, "journey-plan-import", "refused-pdf")

    click(page.get_by_label("Word document"))  # choosing the file in the browser's dialog
    page.get_by_label("Word document").set_input_files(str(document))
    with page.expect_navigation():
        click(page.get_by_role("button", name="Upload and preview"))
    arrived("preview")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a plan: Kent CSA 2017-18.docx")
    for priority in KENT["priorities"]:
        expect(page.get_by_role("heading", level=2, name=priority["title"], exact=True)).to_be_visible()
    timed_checks = time.perf_counter()
    screenshots_at_widths(page, "plan-import", "preview")
    problems += page_problems(page, "plan-import-preview")
    checks_took += time.perf_counter() - timed_checks

    # The lead agencies the document does not name: the Community Safety Team, and Kent Police for six.
    steps.clicks += 2  # open the list, choose
    page.get_by_label("Lead agency of the actions the document names none for").select_option(
        label="Kent Community Safety Team"
    )
    for wording in POLICE_ACTIONS:
        steps.clicks += 2
        page.get_by_label(f"Lead agency of “{wording[:40]}", exact=False).select_option(label="Kent Police")
    click(page.get_by_label("Import it as each action's progress in this reporting cycle"))
    type_in("Reporting cycle", "Q3 2017/18")
    type_in("Period starts", "2017-10-01")
    type_in("Period ends", "2017-12-31")
    type_in("Update deadline", "2018-02-16")
    with page.expect_navigation():
        click(page.get_by_role("button", name="Import the plan").first)
    arrived("plan")
    took = time.perf_counter() - started - checks_took

    expect(page.get_by_role("heading", level=1)).to_have_text("Kent Community Safety Agreement 2017/18")
    expect(page.locator(".alert-success")).to_contain_text(
        "25 progress updates submitted for another member of the Working Group to publish from the review queue"
    )
    plan = Plan.objects.get(partnership=empty_kent)
    assert list(PlanPriority.objects.filter(plan=plan).values_list("title", flat=True)) == [
        p["title"] for p in KENT["priorities"]
    ]
    police = Action.objects.filter(plan_priority__plan=plan, leads__name="Kent Police")
    assert sorted(police.values_list("wording", flat=True)) == sorted(POLICE_ACTIONS)
    assert Action.objects.filter(plan_priority__plan=plan, leads__name="Kent Community Safety Team").count() == 19
    assert set(ProgressUpdate.objects.filter(action__plan_priority__plan=plan).values_list("state", flat=True)) == {
        ReviewState.SUBMITTED
    }
    assert problems == []
    print(
        f"\nKent plan imported through the pages: {steps.pages} pages, {steps.clicks} clicks and choices, "
        f"{steps.typed} fields typed, {took:.1f} s in the browser (checks and screenshots not counted)"
    )
    assert steps.pages == 6
    assert took < 60
