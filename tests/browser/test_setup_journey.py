"""Issue 14's "done when": a partnership sets itself up and runs its own plan in the browser, no shell and no
fixture. The database holds only what a superuser makes (the partnership, its first administrator and the
organisation they act for) and, to check nothing leaks, another partnership with a status of its own.

Through the pages alone: the administrator sets an October year, a status vocabulary unlike Kent's, a funding
source, two themes and the lead agencies, and invites a partner, a Working Group member and a governing-group
member, who each accept their e-mailed link and choose a password. The Working Group member adds a plan, a
priority and its actions, the report's action table with the lead agency, a reporting cycle, the areas with
their populations and three indicators (a count, a rate per 1,000, a percentage) whose quarterly readings come
in through the import page. The partner writes and submits progress; the Working Group publishes it with the
readings and publishes the report; the governing group reads every figure, with its comparison and direction
of travel and the October year's quarter labels, the themes and the lead-agency column, in HTML and the PDF."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action, Status
from csa_tracker.accounts.models import Membership, Organisation, Partnership, Role
from indicators.models import IndicatorReading
from priorities.models import Plan
from reports.models import Report
from workflow.models import ReviewState

from .checks import page_problems, screenshot, slug
from .drivers import Mouse

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "coastshire-admin-password-73"
PASSWORDS = {
    "partner": "harbour-police-password-51",
    "working_group": "working-group-password-62",
    "governing": "governing-group-password-84",
}
EMAILS = {
    "partner": "sam.okafor@harbour-police.example.org",
    "working_group": "rhiannon.price@coastshire.example.org",
    "governing": "alex.murray@coastshire.example.org",
}
PLAN_TITLE = "Coastshire Community Safety Plan"
PRIORITY = "Safer streets at night"
ACTION = "Run late-night patrols in the harbour district on Fridays and Saturdays"
OTHER_ACTION = "Fund street pastors in both town centres"
PROGRESS = "Patrols ran on every Friday and Saturday this quarter, with 14 arrests for violence."
STATUSES = [  # name, order, severity, means complete
    ("On track", "1", "0", False),
    ("Behind", "2", "2", False),
    ("Stopped", "3", "3", False),
    ("Done", "4", "0", True),
]
FUNDING = "Coastshire Safer Streets Fund"
THEMES = ("Violence against women and girls", "Serious youth violence")
X = "Harbour Police"  # the partner's organisation: lead agency of the action
Y = "Coastshire Fire and Rescue"
NEW_PAGES = ("-plans", "-plans-new", "-priorities-new")  # the plan list's empty state, the new plan and priority


@dataclass
class Year:
    """The partnership's October year that contains today: the plan runs through it; its first quarter is the
    reporting cycle, and the readings are the quarter before it and the same quarter a year earlier."""

    start: int  # the calendar year the partnership's year starts in (October)

    @classmethod
    def now(cls) -> Year:
        today = timezone.localdate()
        return cls(today.year if today.month >= 10 else today.year - 1)

    def label(self, start: int) -> str:
        return f"{start}/{(start + 1) % 100:02d}"

    @property
    def plan_label(self) -> str:
        return self.label(self.start)

    @property
    def latest_quarter(self) -> str:
        """July–September of `start`: the fourth quarter of the year before, in an October year."""
        return f"Q4 {self.label(self.start - 1)}"

    @property
    def earlier_quarter(self) -> str:
        return f"Q4 {self.label(self.start - 2)}"

    @property
    def cycle_name(self) -> str:
        return f"Q1 {self.plan_label}"


@pytest.fixture
def empty_site(transactional_db):
    """What a superuser makes in the admin, and no more: the partnership, the organisation its first
    administrator acts for, the administrator. Kent is there too, with a status of its own."""
    coastshire = Partnership.objects.create(
        name="Coastshire Community Safety Partnership", short_name="Coastshire CSP", slug="coastshire"
    )
    council = Organisation.objects.create(
        partnership=coastshire,
        name="Coastshire County Council",
        short_name="CCC",
        kind=Organisation.Kind.COUNTY_COUNCIL,
    )
    admin = get_user_model().objects.create_user(
        "jo.admin", email="jo.admin@coastshire.example.org", password=ADMIN_PASSWORD, first_name="Jo"
    )
    Membership.objects.create(user=admin, partnership=coastshire, organisation=council, role=Role.ADMIN)
    kent = Partnership.objects.create(name="Kent Community Safety Partnership", short_name="Kent CSP", slug="kent")
    Status.objects.create(partnership=kent, name="Kent-only status", order=1, severity=0)
    return coastshire


@dataclass
class Journey:
    driver: Mouse
    year: Year
    user: str = "anonymous"
    pages: int = 0
    problems: list = field(default_factory=list)

    @property
    def page(self):
        return self.driver.page

    def arrived(self):
        """Every page reached is photographed, in order; none may be an error page."""
        self.pages += 1
        path = slug(self.page.url.split("//", 1)[1].split("/", 1)[1]) or "home"
        screenshot(self.page, "journey-setup", f"{self.pages:03d}-{self.user}-{path}")
        heading = self.page.get_by_role("heading", level=1).first.inner_text()
        assert not re.search(r"server error|not found|not allowed|forbidden", heading, re.I), (
            f"{self.page.url} as {self.user}: {heading}"
        )
        if path.endswith(NEW_PAGES):  # the pages this journey needed, checked as every page is (axe, reflow)
            self.problems += [f"{self.page.url} as {self.user}: {p}" for p in page_problems(self.page, path)]

    # What a person does on a page, by the labels they read (a required field's label ends in "*").
    def field(self, label: str):
        escaped = re.sub(r"([.*+?^${}()|\[\]\\/])", r"\\\1", label)  # for the browser's regex: not spaces
        return self.page.locator("main").get_by_label(re.compile(rf"^\s*{escaped}\s*\*?\s*$"))

    def fill(self, label: str, text: str):
        self.field(label).fill(text)

    def select(self, label: str, option: str):
        self.field(label).select_option(label=option)

    def tick(self, label: str, *, within: str | None = None):
        """Tick a box; `within` names the group of boxes it is in, when two groups offer the same label."""
        if within is None:
            self.field(label).check()
        else:
            self.page.get_by_role("group", name=within).get_by_label(label, exact=True).check()

    def menu(self, *names: str):
        """Follow links from the menu, then on the pages it leads to."""
        for name in names:
            self.driver.follow(name)

    def saved(self, text: str):
        expect(self.page.get_by_role("status").or_(self.page.locator(".alert-success")).first).to_contain_text(text)

    def main(self):
        return self.page.locator("main")


def signs_in(j: Journey, username: str, password: str, who: str):
    j.user = who
    j.driver.sign_in(username, password)


def signs_out(j: Journey):
    j.driver.press("Sign out")
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Sign in")
    j.user = "anonymous"


def add_entry(j: Journey, list_title: str, noun: str, values: dict, *, ticks=(), selects=None):
    """On a settings list's page: Add a ..., fill the form, save; back on the list, the entry is there."""
    j.driver.follow(f"Add a{'n' if noun[0] in 'aeiou' else ''} {noun}")
    for label, value in values.items():
        j.fill(label, value)
    for label, option in (selects or {}).items():
        j.select(label, option)
    for label in ticks:
        j.tick(label)
    j.driver.press("Save")
    expect(j.page.get_by_role("heading", level=1)).to_have_text(list_title)
    expect(j.page.get_by_role("row", name=list(values.values())[0])).to_be_visible()


def administrator_sets_the_year_and_the_lists(j: Journey):
    signs_in(j, "jo.admin", ADMIN_PASSWORD, "admin")
    expect(j.main()).to_contain_text("no plan yet")
    j.menu("Settings", "The partnership's year")
    j.select("The partnership's year starts in", "October")
    j.driver.press("Save")
    expect(j.main()).to_contain_text("it starts in October")

    j.driver.follow("Action statuses")
    expect(j.main()).to_contain_text("There is no status yet")
    for name, order, severity, complete in STATUSES:
        add_entry(
            j,
            "Action statuses",
            "status",
            {"Name": name, "Position in lists": order, "Severity": severity},
            ticks=["This status means the action is complete"] if complete else (),
        )
    expect(j.page.get_by_role("row", name="Done")).to_contain_text("Yes")
    j.menu("Settings", "Funding sources")
    add_entry(j, "Funding sources", "funding source", {"Name": FUNDING})
    j.menu("Settings", "Cross-cutting themes")
    for order, theme in enumerate(THEMES, start=1):
        add_entry(j, "Cross-cutting themes", "theme", {"Name": theme, "Position in lists": str(order)})
    j.menu("Settings", "Organisations")
    add_entry(
        j, "Organisations", "organisation", {"Name": X, "Short name": "HP"}, selects={"Kind of organisation": "Police"}
    )
    add_entry(
        j,
        "Organisations",
        "organisation",
        {"Name": Y, "Short name": "CFR"},
        selects={"Kind of organisation": "Fire and rescue"},
    )


def invitation_link() -> str:
    """The link in the last e-mail sent, as a path on this site (the e-mail names the configured SITE_URL)."""
    url = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def administrator_invites(j: Journey, who: str, name: str, organisation: str, role_label: str) -> str:
    j.menu("People", "Invite someone")
    j.fill("Full name", name)
    j.fill("E-mail address", EMAILS[who])
    j.select("Organisation", organisation)
    j.page.get_by_label(f"{role_label}: ").check()
    sent = len(mail.outbox)
    j.driver.press("Send the invitation")
    expect(j.main()).to_contain_text(EMAILS[who])
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == [EMAILS[who]]
    return invitation_link()


def accepts_the_invitation(j: Journey, who: str, link: str):
    j.user = who
    j.driver.visit(link)
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Join Coastshire Community Safety Partnership")
    j.fill("Choose a password", PASSWORDS[who])
    j.fill("Type the password again", PASSWORDS[who])
    j.driver.press("Create my account and accept")
    expect(j.page.get_by_role("navigation", name="Main")).to_contain_text("Signed in as")
    signs_out(j)


def administrator_invites_three_people_who_accept(j: Journey):
    links = {
        "partner": administrator_invites(j, "partner", "Sam Okafor", X, "Partner"),
        "working_group": administrator_invites(
            j, "working_group", "Rhiannon Price", "Coastshire County Council", "Working Group"
        ),
        "governing": administrator_invites(
            j, "governing", "Alex Murray", "Coastshire County Council", "Governing group"
        ),
    }
    signs_out(j)
    for who, link in links.items():
        accepts_the_invitation(j, who, link)


def working_group_adds_the_plan(j: Journey):
    y = j.year
    signs_in(j, EMAILS["working_group"], PASSWORDS["working_group"], "working_group")
    expect(j.main()).to_contain_text("no plan yet")
    j.menu("Plans")
    expect(j.main()).to_contain_text("No plans yet.")
    j.driver.follow("New plan")
    j.fill("Title", f"{PLAN_TITLE} {y.plan_label}")
    j.fill("Short name", "")
    j.fill("First day of the plan", f"{y.start}-10-01")
    j.fill("Last day of the plan", f"{y.start + 1}-09-30")
    j.fill("Introduction", "Our first plan, agreed by the partnership board.")
    j.driver.press("Add the plan")
    j.saved("Add its priorities next")
    expect(j.page.get_by_role("heading", level=1)).to_have_text(f"{PLAN_TITLE} {y.plan_label}")

    j.driver.follow("Add a priority")
    j.fill("Title", PRIORITY)
    j.fill("Context", "Violence in the night-time economy rose two years running.")
    j.driver.press("Add the priority")
    j.saved("Add its actions next")
    expect(j.page.get_by_role("heading", level=1)).to_contain_text(PRIORITY)

    for wording, lead, themes in ((ACTION, X, THEMES), (OTHER_ACTION, Y, THEMES[:1])):
        j.driver.follow("Add an action")
        j.fill("Wording", wording)
        j.tick(lead, within="Lead organisations")
        j.select("Funding source", FUNDING)
        j.select("Status", "On track")
        for theme in themes:
            j.tick(theme)
        j.fill("Start date", f"{y.start}-10-01")
        j.fill("Due date", f"{y.start + 1}-09-30")
        j.driver.press("Add action")
        j.saved("Action added to the plan")
        j.driver.follow(PRIORITY)

    j.menu("Settings", f"{PLAN_TITLE} {y.plan_label}")
    j.fill("Version or “Rolling”", "Version 1")
    j.page.get_by_label("Action | Lead agency | Progress").check()
    j.driver.press("Save")
    expect(j.main()).to_contain_text("Action | Lead agency | Progress")

    j.menu("Cycles", "New reporting cycle")
    j.select("Plan", f"{PLAN_TITLE} {y.plan_label}")
    j.fill("Name", y.cycle_name)
    j.fill("Period start", f"{y.start}-10-01")
    j.fill("Period end", f"{y.start}-12-31")
    deadline = max(date(y.start + 1, 1, 15), timezone.localdate() + timedelta(days=30))
    j.fill("Update deadline", deadline.isoformat())
    j.driver.press("Save the cycle")
    j.saved(f"Saved {y.cycle_name}")


AREAS = [  # name, ONS code, kind, within, population the year before, population this year
    ("Coastshire", "E10000099", "County", "", "812000", "815500"),
    ("Harbourtown", "E07000991", "District", "Coastshire", "140200", "141000"),
    ("Downsfield", "E07000992", "District", "Coastshire", "98500", "99100"),
]


def working_group_adds_areas_and_populations(j: Journey):
    y = j.year
    j.menu("Settings", "Areas and populations")
    for name, code, kind, within, _before, _now in AREAS:
        selects = {"Kind": kind, **({"Within": within} if within else {})}
        add_entry(j, "Areas and populations", "area", {"Name": name, "ONS code": code}, selects=selects)
    for name, _code, _kind, _within, before, now in AREAS:
        j.driver.follow(f"Populations of {name}")
        for year, value in ((y.start - 1, before), (y.start, now)):
            j.fill("Year", str(year))
            j.fill("Population", value)
            j.driver.press("Save")
        expect(j.main()).to_contain_text(f"{int(now):,}")
        j.driver.follow("Areas and populations")


INDICATORS = [  # name, unit, rate per, polarity, source
    ("Violent crimes in the night-time economy", "Count", "", "Lower is better", "Harbour Police"),
    ("Violent crime rate per 1,000 residents", "Rate per N population", "1000", "Lower is better", "Harbour Police"),
    ("Residents who feel safe after dark", "Percentage", "", "Higher is better", "Coastshire residents' survey"),
]


def working_group_adds_three_indicators(j: Journey):
    j.menu("Settings", "Indicators")
    for name, unit, rate_per, polarity, source in INDICATORS:
        j.driver.follow("Add an indicator")
        j.fill("Name", name)
        j.select("Priority", PRIORITY)
        j.select("Unit", unit)
        if rate_per:
            j.fill("Rate per how many people", rate_per)
        j.select("Polarity", polarity)
        j.select("Period each figure covers", "Quarter of the partnership's year")
        j.select("Main area", "Coastshire")
        j.tick("Harbourtown")
        j.tick("Downsfield")
        j.fill("Source", source)
        j.tick(X)
        j.driver.press("Save")
        j.saved(f"Indicator “{name}” saved")
        j.driver.follow("Indicators")


def readings_csv(y: Year) -> bytes:
    """Two Julys–Septembers a year apart, for the county and its districts, as a spreadsheet saves them."""
    values = {
        INDICATORS[0][0]: {"Coastshire": (1210, 1064), "Harbourtown": (402, 355)},
        INDICATORS[1][0]: {"Coastshire": (1210, 1064), "Harbourtown": (402, 355), "Downsfield": (150, 161)},
        INDICATORS[2][0]: {"Coastshire": (61.0, 66.5)},
    }
    out = io.StringIO()
    sheet = csv.writer(out)
    sheet.writerow(["Indicator", "Area", "Period end", "Value", "Approximate", "Source note"])
    for indicator, areas in values.items():
        for area, (earlier, latest) in areas.items():
            sheet.writerow([indicator, area, f"{y.start - 1}-09-30", earlier, "", "Quarterly return"])
            sheet.writerow([indicator, area, f"{y.start}-09-30", latest, "", "Quarterly return"])
    return out.getvalue().encode()


def partner_imports_the_readings(j: Journey) -> int:
    """The partner's organisation supplies the figures: one file, previewed, then every row submitted."""
    signs_in(j, EMAILS["partner"], PASSWORDS["partner"], "partner")
    j.menu("Import")
    j.page.get_by_label("Indicator readings").check()
    readings = readings_csv(j.year)
    j.field("File").set_input_files(files=[{"name": "readings.csv", "mimeType": "text/csv", "buffer": readings}])
    j.driver.press("Upload and preview")
    count = readings.count(b"\n") - 1
    expect(j.main()).to_contain_text(f"{INDICATORS[1][0]}, Harbourtown, {j.year.latest_quarter}")
    j.driver.press(f"Confirm: import {count} indicator readings")
    return count


def partner_writes_and_submits_progress(j: Journey):
    j.menu("My actions")
    expect(j.main()).not_to_contain_text(OTHER_ACTION[:30])  # another organisation's action
    j.driver.follow(f"Write update for: {ACTION}")
    options = j.field("Status").locator("option").all_inner_texts()
    assert [option.strip() for option in options] == [name for name, *_ in STATUSES]
    assert "Kent-only status" not in j.page.content()
    j.fill("Progress this period", PROGRESS)
    j.select("Status", "Behind")
    j.driver.press("Submit to the Working Group")
    j.saved("Submitted to the Working Group")
    signs_out(j)


def working_group_publishes_progress_readings_and_the_report(j: Journey, readings: int):
    y = j.year
    signs_in(j, EMAILS["working_group"], PASSWORDS["working_group"], "working_group")
    j.menu("Review queue")
    j.driver.follow(ACTION[:40])
    expect(j.main()).to_contain_text(PROGRESS)
    j.page.get_by_label("Approve and publish").check()
    j.driver.press("Record decision")
    j.saved("Published")
    j.menu("Review queue")
    boxes = j.page.locator("input[name=item]")
    expect(boxes).to_have_count(readings)
    for box in boxes.all():
        box.check()
    j.driver.press("Publish the checked items")
    j.saved(f"Published {readings} items")
    j.menu("Reports", f"Publish the {y.cycle_name} report")
    j.driver.press("Publish the report")
    j.saved(f"Published version 1 of the {y.cycle_name} report")
    signs_out(j)


def governing_group_reads_the_report(j: Journey):
    y = j.year
    signs_in(j, EMAILS["governing"], PASSWORDS["governing"], "governing")
    j.menu("Plans", f"{PLAN_TITLE} {y.plan_label}")
    theme_choices = j.page.get_by_label("Cross-cutting theme").locator("option").all_inner_texts()
    assert set(THEMES) <= {choice.strip() for choice in theme_choices}
    j.select("Cross-cutting theme", THEMES[1])
    with j.page.expect_navigation():
        j.page.get_by_role("button", name="Show", exact=True).click()
    j.arrived()
    expect(j.main()).to_contain_text(f"Actions on the theme “{THEMES[1]}”")
    expect(j.main()).to_contain_text(ACTION[:40])
    expect(j.main()).not_to_contain_text(OTHER_ACTION[:30])
    j.driver.follow(ACTION[:40])
    expect(j.main()).to_contain_text(", ".join(THEMES))
    expect(j.main()).to_contain_text(PROGRESS)

    j.menu("Reports", f"{PLAN_TITLE} {y.plan_label}, {y.cycle_name}")
    report = j.main()
    expect(report.get_by_role("columnheader", name="Lead agency")).to_be_visible()
    expect(report.get_by_role("row", name=re.compile(ACTION[:30]))).to_contain_text(X)
    expect(report).to_contain_text(PROGRESS)
    expect(report.get_by_role("row", name=re.compile(ACTION[:30]))).to_contain_text(f"Themes{', '.join(THEMES)}")
    expect(report).to_contain_text("Behind")
    summary = report.get_by_role("table", name=re.compile(f"^Performance summary for {PRIORITY}"))
    for name, *_ in INDICATORS:
        row = summary.get_by_role("row", name=re.compile("^" + re.escape(name)))
        expect(row).to_contain_text(y.latest_quarter)  # the latest figure's quarter, in an October year
        expect(row).to_contain_text(y.earlier_quarter)  # what it is compared with
        expect(row).to_contain_text(re.compile("Improving|Worsening|Stable"))
    rate = summary.get_by_role("row", name=re.compile("^" + re.escape(INDICATORS[1][0])))
    expect(rate).to_contain_text("1.30 per 1,000")  # 1,064 of 815,500 people
    expect(rate).to_contain_text("1.49 per 1,000")  # 1,210 of 812,000 the year before
    expect(report).to_contain_text("66.5%")

    pdf_link = j.driver.link("Download the PDF")
    pdf = j.page.request.get(j.driver.base_url + pdf_link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    body = pdf.body()
    assert body.startswith(b"%PDF") and len(body) > 10_000
    text = pdf_text(body)
    expected_text = (PROGRESS[:40], "Lead agency", X, y.latest_quarter, y.earlier_quarter, INDICATORS[2][0], THEMES[1])
    for expected in expected_text:
        assert expected in text, f"{expected!r} is not in the PDF"
    signs_out(j)


def pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(body)).pages)


def test_a_new_partnership_sets_itself_up_and_reports_in_the_browser(empty_site, live_server, page):
    j = Journey(Mouse(page, live_server.url), Year.now())
    j.driver.on_page = j.arrived
    administrator_sets_the_year_and_the_lists(j)
    administrator_invites_three_people_who_accept(j)
    working_group_adds_the_plan(j)
    working_group_adds_areas_and_populations(j)
    working_group_adds_three_indicators(j)
    signs_out(j)
    readings = partner_imports_the_readings(j)
    partner_writes_and_submits_progress(j)
    working_group_publishes_progress_readings_and_the_report(j, readings)
    governing_group_reads_the_report(j)
    assert not j.problems, "\n".join(j.problems)

    # What the pages made, as the database holds it.
    coastshire = empty_site
    assert coastshire.__class__.objects.get(pk=coastshire.pk).year_start_month == 10
    assert list(Status.objects.filter(partnership=coastshire).values_list("name", flat=True).order_by("order")) == [
        name for name, *_ in STATUSES
    ]
    plan = Plan.objects.get(partnership=coastshire)
    assert plan.action_table == "lead_agency"
    action = Action.objects.get(wording=ACTION)
    assert action.updates.get(state=ReviewState.PUBLISHED).status.name == "Behind"
    assert IndicatorReading.objects.filter(indicator__partnership=coastshire, state=ReviewState.PUBLISHED).count() == 12
    assert Report.objects.filter(cycle__plan=plan).count() == 1
