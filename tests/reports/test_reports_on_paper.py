"""Issue 27's "done when": the Kent report (the demo) and a 15-priority, 200-action plan (case B15, built
through the pages from its actions file) as readers get them on paper: the PDF, and the .docx converted by
LibreOffice headless as councils' systems convert it, read page by page.

Everything is made once for the module (the demo, the plan, five downloads and their conversions, about
a minute), in a transaction rolled back at the end; each test reads the files."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from actions.models import Action
from csa_tracker.accounts.models import Partnership
from cycles.models import ReportingCycle
from reports.models import Report
from tests.factories import PublishedUpdateFactory
from tests.paper import (
    field_text,
    fonts_not_embedded,
    is_tagged,
    libreoffice_pdf,
    misplaced_names,
    page_texts,
    pages_without_content,
    squash,
)
from tests.paths import DATA

# The tests read files only; the mark makes pytest-django set up the test database the module's fixture uses.
pytestmark = pytest.mark.django_db

B15 = DATA / "cases" / "B15-plan-15-priorities-200-actions.csv"
ORIGINAL_PAGES = 10  # /work/shared/seed/000_f1702f9bf2f06f11.txt, the published Kent report
B15_PROGRESS = {
    0: "The One Stop Shop in Ashford opened every week of the quarter: 212 visits, 38 of them first visits.",
    100: "Partners met twice this quarter.\n\n- Agreed the terms of reference\n- Named a lead officer",
}


@dataclass
class Paper:
    """One report as readers get it: its snapshot (what it should hold), its PDF and LibreOffice's PDF."""

    snapshot: dict
    pdf: bytes
    word_pdf: bytes

    def actions(self) -> list[dict]:
        return [action for priority in self.snapshot["priorities"] for action in priority["actions"]]


def build_b15_plan(client: Client) -> None:
    """What the Working Group did in case B15: New plan, 15 × Add a priority, Import → Actions (the file)."""
    response = client.post(
        reverse("plan_create", kwargs={"partnership": "kent"}),
        {
            "title": "Kent Community Safety Agreement 2018/19",
            "slug": "2018-19",
            "starts": "2018-04-01",
            "ends": "2019-03-31",
            "introduction": "The plan for 2018/19: fifteen priorities, two hundred actions.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    titles = dict.fromkeys(line.split(",")[2] for line in B15.read_text(encoding="utf-8-sig").splitlines()[1:])
    assert len(titles) == 15
    for title in titles:
        response = client.post(
            reverse("priority_create", kwargs={"partnership": "kent", "plan": "2018-19"}),
            {"title": title, "slug": "", "context": f"Why {title} is a priority of the partnership in 2018/19."},
        )
        assert response.status_code == 302, title
    upload = client.post(
        reverse("import_start", kwargs={"partnership": "kent"}),
        {"kind": "actions", "file": SimpleUploadedFile(B15.name, B15.read_bytes())},
    )
    assert upload.status_code == 302
    confirmed = client.post(upload["Location"])
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]


def publish(client: Client, cycle: ReportingCycle, reason: str = "") -> Report:
    slug = cycle.name.lower().replace(" ", "-").replace("/", "-")
    url = reverse("report_publish", kwargs={"partnership": "kent", "plan": cycle.plan.slug, "cycle": slug})
    assert client.post(url, {"reason": reason}).status_code == 302
    return Report.objects.current().get(cycle=cycle)


def download(client: Client, report: Report, suffix: str) -> bytes:
    response = client.get(reverse(f"report_{suffix}", kwargs=report.address_kwargs))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture(scope="module")
def papers(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, Paper]:
    """The Kent Q3 2017/18 report in its full and compact layouts and the B15 plan's Q1 2018/19 report,
    each downloaded by the governing group as PDF and .docx, the .docx converted by LibreOffice."""
    folder = tmp_path_factory.mktemp("paper")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": folder / "m"}},
        "imports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": folder / "i"}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    found = {}
    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES=storages,
            DEBUG=True,  # load_demo adds its demo accounts only in development
            CSA_REQUIRE_2FA=False,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        ),
        transaction.atomic(),
    ):
        call_command("load_demo", password="paper-test-password", verbosity=0)
        users = get_user_model().objects
        working_group, board = Client(), Client()
        working_group.force_login(users.get(username="reviewer"))
        board.force_login(users.get(username="board"))
        kent = Report.objects.current().get(plan__partnership__slug="kent", plan__slug="2017-18")
        papers = {"kent": kent}

        build_b15_plan(working_group)
        plan = Partnership.objects.get(slug="kent").plans.get(slug="2018-19")
        cycle = ReportingCycle.objects.create(
            plan=plan,
            name="Q1 2018/19",
            period_start=date(2018, 4, 1),
            period_end=date(2018, 6, 30),
            update_deadline=date(2018, 7, 13),
        )
        actions = list(Action.objects.filter(plan_priority__plan=plan).order_by("plan_priority__order", "order", "pk"))
        assert len(actions) == 200
        for index, text in B15_PROGRESS.items():  # "a quarter with little progress": two updates published
            PublishedUpdateFactory(action=actions[index], cycle=cycle, text=text)
        papers["b15"] = publish(working_group, cycle)

        for name, report in papers.items():
            found[name] = (report.snapshot, download(board, report, "pdf"), download(board, report, "docx"))
        # The Working Group chooses the compact layout (plan settings) and publishes Kent's report again.
        settings_url = reverse("settings_plan", kwargs={"partnership": "kent", "plan": "2017-18"})
        chosen = {"version_label": "Version 1, April 2017", "action_table": "progress", "report_layout": "compact"}
        assert working_group.post(settings_url, chosen).status_code == 302
        compact = publish(working_group, kent.cycle, reason="The compact layout, for the board's papers.")
        found["kent-compact"] = (compact.snapshot, download(board, compact, "pdf"), download(board, compact, "docx"))
        transaction.set_rollback(True)
    return {
        name: Paper(snapshot, pdf, libreoffice_pdf(docx, tmp_path_factory.mktemp(name)))
        for name, (snapshot, pdf, docx) in found.items()
    }


OUTPUTS = [(name, form) for name in ("kent", "b15", "kent-compact") for form in ("pdf", "word_pdf")]


def texts_of(papers, name, form) -> list[str]:
    return page_texts(getattr(papers[name], form))


@pytest.mark.parametrize(("name", "form"), OUTPUTS)
def test_every_page_but_the_last_holds_real_content(papers, name, form):
    """No page holding only a repeated header, a field's placeholder or the tail of a split row."""
    texts = texts_of(papers, name, form)
    assert pages_without_content(texts, papers[name].actions()) == []


@pytest.mark.parametrize(("name", "form"), OUTPUTS)
def test_every_action_name_is_on_the_page_its_row_starts_on(papers, name, form):
    texts = texts_of(papers, name, form)
    assert misplaced_names(texts, papers[name].actions()) == []


@pytest.mark.parametrize(("name", "form"), OUTPUTS)
def test_no_field_instruction_or_placeholder_shows(papers, name, form):
    assert field_text(texts_of(papers, name, form)) == []


@pytest.mark.parametrize(("name", "form"), OUTPUTS)
def test_fonts_are_embedded(papers, name, form):
    assert fonts_not_embedded(getattr(papers[name], form)) == set()


@pytest.mark.parametrize("name", ["kent", "b15", "kent-compact"])
def test_the_pdf_is_still_tagged(papers, name):
    assert is_tagged(papers[name].pdf)


@pytest.mark.parametrize("form", ["pdf", "word_pdf"])
def test_the_compact_kent_report_is_close_to_the_originals_length(papers, form):
    """Within 1.5 times the published Kent report's 10 pages; the full layout is longer."""
    compact, full = len(texts_of(papers, "kent-compact", form)), len(texts_of(papers, "kent", form))
    assert compact <= ORIGINAL_PAGES * 1.5
    assert full > compact


FACTS = {
    "kent": ["Plan period: 1 April 2017 to 31 March 2018", "Reporting cycle: Q3 2017/18, October to December 2017"],
    "b15": ["Plan period: 1 April 2018 to 31 March 2019", "Reporting cycle: Q1 2018/19, April to June 2018"],
    "kent-compact": [
        "Plan period: 1 April 2017 to 31 March 2018",
        "Plan version: Version 1, April 2017",
        "Reporting cycle: Q3 2017/18, October to December 2017",
    ],
}


@pytest.mark.parametrize(("name", "form"), OUTPUTS)
def test_every_output_states_the_plans_dates_version_and_the_cycles_months(papers, name, form):
    first_page = squash(texts_of(papers, name, form)[0].replace(":", ""))
    for fact in FACTS[name]:
        assert squash(fact.replace(":", "")) in first_page, fact
    assert ("Planversion" in first_page) is (name == "kent-compact")  # the others' plans have no version label


@pytest.mark.parametrize(("name", "form"), OUTPUTS)
def test_each_indicator_figure_is_whole_on_one_page(papers, name, form):
    """An indicator's figures (caption, periods and figures) never run over a page break, so its name is
    never lost across one."""
    texts = [squash(text) for text in texts_of(papers, name, form)]
    for priority in papers[name].snapshot["priorities"]:
        for indicator in priority["indicators"]:
            if not indicator["series"]:
                continue
            opening = squash(f"{indicator['name']} in {indicator['geography']}:")
            last = squash(indicator["series"][-1]["period"] + indicator["series"][-1]["display"])
            pages = [number for number, text in enumerate(texts) if opening in text]
            assert len(pages) == 1, (indicator["name"], pages)
            assert last in texts[pages[0]][texts[pages[0]].index(opening) :], indicator["name"]
