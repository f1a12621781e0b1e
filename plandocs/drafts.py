"""What a recognised plan means in a partnership: the organisations, statuses, funding sources and
themes it names matched to the partnership's own (by `name_key`, on the name or the short name), the
names it does not know proposed as new organisations, each priority's lasting identity (a title the
partnership's earlier plans used is the same priority again), and the plan's and the reporting cycle's
dates guessed from the title."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from actions.models import FundingSource, Status, Theme
from csa_tracker.accounts.models import Organisation
from csa_tracker.text import name_key
from indicators.periods import Period, PeriodType, month_end, quarter_end_months
from priorities.models import PlanPriority
from priorities.services import slug_from

from .recognise import PlanDraft

YEAR_SPAN = re.compile(r"\b(20\d\d)\s*[/\-–]\s*(\d\d(?:\d\d)?)\b")
# Words of an organisation's name that say what kind it is; anything else is a partnership body.
KIND_WORDS = [
    (Organisation.Kind.PCC, re.compile(r"police and crime commissioner|\bopcc\b|\bpcc\b", re.I)),
    (Organisation.Kind.POLICE, re.compile(r"\bpolice\b|constabulary", re.I)),
    (Organisation.Kind.FIRE, re.compile(r"\bfire\b", re.I)),
    (Organisation.Kind.HEALTH, re.compile(r"\bnhs\b|health|hospital|clinical|\bccg\b|\bmind\b", re.I)),
    (Organisation.Kind.COUNTY_COUNCIL, re.compile(r"county council|\bkcc\b", re.I)),
    (Organisation.Kind.UNITARY_COUNCIL, re.compile(r"unitary|^medway council$", re.I)),
    (Organisation.Kind.DISTRICT_COUNCIL, re.compile(r"borough|district|city council|council", re.I)),
    (Organisation.Kind.NATIONAL, re.compile(r"home office|national|\bhm\b|agency|commission", re.I)),
    (Organisation.Kind.VOLUNTARY, re.compile(r"charity|trust|voluntary|victim support", re.I)),
]


def guess_kind(name: str) -> str:
    return next((kind for kind, words in KIND_WORDS if words.search(name)), Organisation.Kind.PARTNERSHIP_TEAM)


@dataclass
class Matches:
    """The draft's names in the partnership: organisations found (name → Organisation) and those not
    found (in the order the document names them); statuses, funding sources and themes likewise."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    statuses: dict[str, Status] = field(default_factory=dict)
    funding: dict[str, FundingSource] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    slugs: list[str] = field(default_factory=list)  # each priority's short name, in order
    continues: list[str] = field(default_factory=list)  # the earlier plan each priority continues, or ""


def _by_key(records, *attributes) -> dict[str, object]:
    found = {}
    for record in records:
        for attribute in attributes:
            value = getattr(record, attribute)
            if value:
                found.setdefault(name_key(value), record)
    return found


def match(draft: PlanDraft, partnership) -> Matches:
    organisations = _by_key(Organisation.objects.filter(partnership=partnership).order_by("name"), "name", "short_name")
    statuses = _by_key(Status.objects.in_partnership(partnership), "name")
    funding = _by_key(FundingSource.objects.in_partnership(partnership), "name")
    themes = _by_key(Theme.objects.in_partnership(partnership), "name")
    found = Matches()
    for priority in draft.priorities:
        for action in priority.actions:
            for name in [*action.leads, *action.supporters]:
                organisation = organisations.get(name_key(name))
                if organisation is not None:
                    found.organisations[name] = organisation
                elif name not in found.unknown:
                    found.unknown.append(name)
            if action.status and name_key(action.status) in statuses:
                found.statuses[action.status] = statuses[name_key(action.status)]
            if action.funding and name_key(action.funding) in funding:
                found.funding[action.funding] = funding[name_key(action.funding)]
            for theme in action.themes:
                if name_key(theme) in themes:
                    found.themes[theme] = themes[name_key(theme)]
    earlier = (
        PlanPriority.objects.filter(plan__partnership=partnership)
        .select_related("priority", "plan")
        .order_by("-plan__starts", "-plan__pk")
    )
    by_title = _by_key(earlier, "title")
    for priority in draft.priorities:
        previous = by_title.get(name_key(priority.title))
        found.slugs.append(previous.priority.slug if previous else slug_from(priority.title))
        found.continues.append(previous.plan.title if previous else "")
    return found


def left_out_names(draft: PlanDraft, matches: Matches) -> list[str]:
    """Statuses, funding sources and themes the document names that the partnership does not have:
    said in the preview, and left out (an action takes the default status)."""
    unknown: dict[str, list[str]] = {"status": [], "funding source": [], "theme": []}
    for priority in draft.priorities:
        for action in priority.actions:
            if action.status and action.status not in matches.statuses:
                unknown["status"].append(action.status)
            if action.funding and action.funding not in matches.funding:
                unknown["funding source"].append(action.funding)
            unknown["theme"] += [theme for theme in action.themes if theme not in matches.themes]
    sentences = []
    for noun, names in unknown.items():
        for name in dict.fromkeys(names):
            where = "Settings" if noun != "status" else "Settings (the actions take the status chosen below)"
            sentences.append(f"The {noun} “{name}”, which is not one of the partnership's: add it in {where}.")
    return sentences


def guess_plan_dates(title: str, year_start_month: int) -> tuple[date | None, date | None]:
    """A plan called "… 2017/18" (or 2017-18, 2017–2018) runs through the partnership's year starting
    in 2017: 1 April 2017 to 31 March 2018 for Kent; a calendar year for a January partnership."""
    found = YEAR_SPAN.search(title or "")
    if not found:
        return None, None
    first = int(found[1])
    second = int(found[2][-2:])
    if second != (first + 1) % 100:
        return None, None
    starts = date(first, year_start_month, 1)
    year, month = (first + 1, year_start_month - 1) if year_start_month > 1 else (first, 12)
    return starts, month_end(year, month)


def default_cycle(starts: date, ends: date, year_start_month: int, today: date) -> dict:
    """The reporting cycle imported progress belongs to unless the person says otherwise: the plan's
    quarter holding today, else (a past or future plan) its last quarter, with an update deadline six
    weeks after the quarter ends; {} for a plan whose year is not in quarters of the partnership's year."""
    for day in (today, ends) if starts <= today <= ends else (ends,):
        end_month = next(m for m in quarter_end_months(year_start_month) if 0 <= (m - day.month) % 12 < 3)
        end_year = day.year + (1 if end_month < day.month else 0)
        period = Period.ending(PeriodType.QUARTER, month_end(end_year, end_month), year_start_month)
        if starts <= period.start and period.end <= ends:
            return {
                "cycle_name": period.label,
                "period_start": period.start,
                "period_end": period.end,
                "update_deadline": period.end + timedelta(days=42),
            }
    return {}
