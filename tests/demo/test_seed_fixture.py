"""The Kent 2017/18 plan as loaded matches the published document, word for word, in both directions."""

import re

import pytest

from actions.models import Action, ProgressUpdate
from csa_tracker.text import LINK, paragraphs
from demo.loader import load_plan
from indicators.comparisons import format_value
from indicators.models import IndicatorReading
from priorities.models import Note, PlanPriority
from tests.paths import DATA

SEED = DATA / "kent_csa_2017_18_seed.txt"
PAGE_FURNITURE = re.compile(
    r"^\s*(Appendix:\s+Kent Community Safety Agreement \(CSA\) - Action Plan & Performance Summary"
    r"|Page \d+ of \d+)\s*$",
    re.MULTILINE,
)
HEADINGS = ["Introduction", "Priority:", "Context", "Notes:", "ActionsProgress"]


def squash(text: str) -> str:
    """Whitespace-insensitive form; drops the PDF's bullet glyph (U+F0B7)."""
    return re.sub(r"\s+", "", text.replace("\uf0b7", ""))


def seed_text() -> str:
    return squash(PAGE_FURNITURE.sub("", SEED.read_text(encoding="utf-8")))


def loaded_pieces(plan, cycle=None) -> list[str]:
    """Every text of the plan as loaded; with `cycle`, only the progress published in that cycle."""
    pieces = paragraphs(plan.introduction)
    for plan_priority in PlanPriority.objects.filter(plan=plan):
        pieces.append(plan_priority.title)
        pieces += paragraphs(plan_priority.context)
    pieces += [f"{note.number}){note.text}" for note in Note.objects.filter(plan_priority__plan=plan)]
    for action in Action.objects.filter(plan_priority__plan=plan):
        pieces.append(action.wording)
    updates = ProgressUpdate.objects.published().filter(action__plan_priority__plan=plan)
    for update in updates.filter(cycle=cycle) if cycle else updates:
        pieces += paragraphs(update.text)
    return pieces


@pytest.fixture
def kent_plan(db):
    return load_plan()


def test_plan_has_six_priorities_in_the_seed_order_and_25_actions(kent_plan):
    titles = list(PlanPriority.objects.filter(plan=kent_plan).values_list("title", flat=True))
    assert titles == [
        "Domestic Abuse",
        "Road Safety",
        "Anti-Social Behaviour",
        "Substance Misuse",
        "Serious and Organised Crime",
        "Safeguarding Vulnerable People",
    ]
    assert Action.objects.filter(plan_priority__plan=kent_plan).count() == 25
    assert ProgressUpdate.objects.published().filter(action__plan_priority__plan=kent_plan).count() == 25


def test_every_loaded_text_is_in_the_seed_verbatim(kent_plan):
    seed = seed_text()
    missing = [piece for piece in loaded_pieces(kent_plan) if squash(piece) not in seed]
    assert missing == []


def test_nothing_in_the_seed_was_dropped(kent_plan):
    residue = seed_text()
    for piece in sorted((squash(p) for p in loaded_pieces(kent_plan)), key=len, reverse=True):
        residue = residue.replace(piece, "", 1)
    links = {
        url
        for update in ProgressUpdate.objects.published().filter(action__plan_priority__plan=kent_plan)
        for _, url in LINK.findall(update.text)
    }
    for url in sorted(links, key=len, reverse=True):
        residue = residue.replace(url, "")
    for heading in HEADINGS:
        residue = residue.replace(heading, "")
    assert residue == ""


def test_progress_keeps_bullets_and_links_from_the_seed(kent_plan):
    dhr = Action.objects.get(wording__startswith="Commission and support the Domestic Homicide")
    assert dhr.updates.published().get().text.count("\n- ") == 3  # four bullets, the first at the start
    cyber = Action.objects.get(wording__startswith="Provision of guidance and advice to the public")
    assert (
        "](https://www.kent.police.uk/news/policing-news/0417/unit-launched-to-tackle-growing-threat-from-cyber/)"
        in (cyber.updates.published().get().text)
    )


@pytest.mark.parametrize(
    ("indicator", "figures"),
    [
        ("Domestic abuse incidents", ["34,664", "39,756"]),
        ("Casualties", ["5,799", "6,122"]),
        ("Hate crimes and incidents", ["1,730", "3,082"]),
    ],
)
def test_indicator_figures_are_the_ones_the_seed_quotes(kent_plan, indicator, figures):
    readings = IndicatorReading.objects.filter(indicator__name__startswith=indicator).order_by("period_end")
    values = [format_value(reading.value) for reading in readings]
    assert values == figures
    assert all(figure in SEED.read_text(encoding="utf-8") for figure in values)
