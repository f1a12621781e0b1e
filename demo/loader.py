"""Load a plan from its TOML transcription (fixtures/kent_2017_18.toml; any plan file of the same shape).

Every write is keyed on a natural identity (names, slugs, order), so loading twice changes nothing.
"""

from __future__ import annotations

import tomllib
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from actions.models import Action, FundingSource, ProgressUpdate, Status
from csa_tracker.accounts.models import Organisation, Partnership
from cycles.models import CycleState, ReportingCycle
from indicators.models import ComparabilityNote, Geography, Indicator, IndicatorReading, Population
from priorities.models import Note, Plan, PlanPriority, Priority
from workflow.models import ReviewState

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
KENT_PLAN = FIXTURES / "kent_2017_18.toml"
MAIDSTONE_PLAN = FIXTURES / "maidstone_2017_18.toml"
DEMO_PLANS = [KENT_PLAN, MAIDSTONE_PLAN]
GEOGRAPHIES = FIXTURES / "geographies.toml"

# Lower severity is better; a move up the scale is "status worsened".
STATUSES = [
    {"name": "Not started", "order": 1, "severity": 2, "is_complete": False},
    {"name": "In progress", "order": 2, "severity": 1, "is_complete": False},
    {"name": "Delayed", "order": 3, "severity": 3, "is_complete": False},
    {"name": "Completed", "order": 4, "severity": 0, "is_complete": True},
]


def upsert(model, lookup: dict, values: dict):
    """Like update_or_create, but saves only when a value differs, so reloading writes nothing
    (and adds no audit history)."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
    return obj


def read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_statuses(partnership: Partnership) -> dict[str, Status]:
    """The partnership's own status vocabulary (each demo partnership gets the same four)."""
    return {row["name"]: upsert(Status, {"partnership": partnership, "name": row["name"]}, row) for row in STATUSES}


def load_geographies(partnership: Partnership, path: Path = GEOGRAPHIES) -> dict[str, Geography]:
    """The partnership's own areas, with their populations (each demo partnership gets the whole file)."""
    found: dict[str, Geography] = {}
    for row in read_toml(path)["geographies"]:
        parent = found.get(row.get("parent", ""))
        geography = upsert(
            Geography,
            {"partnership": partnership, "name": row["name"]},
            {"code": row["code"], "kind": row["kind"], "parent": parent},
        )
        for year, value in row.get("population", {}).items():
            upsert(Population, {"geography": geography, "year": int(year)}, {"value": value})
        found[geography.name] = geography
    return found


def _published_at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@transaction.atomic
def load_plan(path: Path = KENT_PLAN) -> Plan:
    data = read_toml(path)
    fields = dict(data["partnership"])
    parent = fields.pop("parent", "")
    fields["parent"] = Partnership.objects.get(slug=parent) if parent else None
    partnership = upsert(Partnership, {"slug": fields["slug"]}, fields)
    statuses = load_statuses(partnership)
    geographies = load_geographies(partnership)
    organisations = {
        row["name"]: upsert(Organisation, {"partnership": partnership, "name": row["name"]}, row)
        for row in data["organisations"]
    }
    plan_data = data["plan"]
    plan = upsert(
        Plan,
        {"partnership": partnership, "slug": f"{plan_data['starts'].year}-{str(plan_data['ends'].year)[-2:]}"},
        {
            "title": plan_data["title"],
            "starts": plan_data["starts"],
            "ends": plan_data["ends"],
            "introduction": plan_data["introduction"].strip(),
        },
    )
    cycle_data = data["cycle"]
    cycle = upsert(
        ReportingCycle,
        {"plan": plan, "name": cycle_data["name"]},
        {
            "period_start": cycle_data["period_start"],
            "period_end": cycle_data["period_end"],
            "update_deadline": cycle_data["update_deadline"],
            "state": CycleState.PUBLISHED,
        },
    )
    published_at = _published_at(cycle_data["published"])

    for order, row in enumerate(data["priorities"], start=1):
        priority, _ = Priority.objects.get_or_create(partnership=partnership, slug=row["slug"])
        plan_priority = upsert(
            PlanPriority,
            {"plan": plan, "priority": priority},
            {"title": row["title"], "order": order, "context": row["context"].strip()},
        )
        for note in row.get("notes", []):
            upsert(
                Note,
                {"plan_priority": plan_priority, "number": note["number"]},
                {key: note[key].strip() for key in ("text", "source_title", "publisher", "published", "url")},
            )
        for action_order, action_row in enumerate(row.get("actions", []), start=1):
            _load_action(plan_priority, action_order, action_row, organisations, statuses, cycle, published_at)
        for indicator_order, indicator_row in enumerate(row.get("indicators", []), start=1):
            _load_indicator(
                partnership, priority, indicator_order, indicator_row, geographies, organisations, published_at
            )
    return plan


def _load_action(plan_priority, order, row, organisations, statuses, cycle, published_at) -> None:
    partnership = plan_priority.plan.partnership
    funding = (
        FundingSource.objects.get_or_create(partnership=partnership, name=row["funding"])[0] if row["funding"] else None
    )
    status = statuses[row["status"]]
    action = upsert(
        Action,
        {"plan_priority": plan_priority, "order": order},
        {"wording": row["wording"].strip(), "funding": funding, "status": status},
    )
    for relation, names in ((action.leads, row["leads"]), (action.supporters, row["supporting"])):
        wanted = {organisations[name].pk for name in names}
        if set(relation.values_list("pk", flat=True)) != wanted:
            relation.set(wanted)
    lead = organisations[row["leads"][0]]
    upsert(
        ProgressUpdate,
        {"action": action, "cycle": cycle, "state": ReviewState.PUBLISHED},
        {
            "text": row["progress"].strip(),
            "status": status,
            "organisation": lead,
            "submitted_at": published_at,
            "published_at": published_at,
        },
    )


def _load_indicator(partnership, priority, order, row, geographies, organisations, published_at) -> None:
    indicator = upsert(
        Indicator,
        {"partnership": partnership, "slug": row["slug"]},
        {
            "priority": priority,
            "name": row["name"],
            "unit": row["unit"],
            "polarity": row["polarity"],
            "period_type": row["period_type"],
            "geography": geographies[row["geography"]],
            "source": row["source"],
            "headline": row["headline"],
            "order": order,
        },
    )
    # The organisation that publishes the figures supplies the readings; national sources have no lead.
    if row["source"] in organisations and not indicator.leads.exists():
        indicator.leads.add(organisations[row["source"]])
    for note in row.get("comparability_notes", []):
        upsert(ComparabilityNote, {"indicator": indicator, "effective_from": note["from"]}, {"text": note["text"]})
    for reading in row.get("readings", []):
        # Published from the seed: stamped with what it is published with, as publishing does (issue 23).
        upsert(
            IndicatorReading,
            {
                "indicator": indicator,
                "geography": indicator.geography,
                "period_end": reading["period_end"],
                "state": ReviewState.PUBLISHED,
            },
            {
                "period_start": reading["period_start"],
                "value": Decimal(reading["value"]),
                "approximate": reading.get("approximate", False),
                "source_note": row["source"],
                "submitted_at": published_at,
                "published_at": published_at,
            },
        ).stamp_published()
