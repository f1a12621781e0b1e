"""Where a plan's priorities came from in last year's plan (issue 25): "Formerly “…” in …" when a
priority was renamed at roll-forward, and "Includes actions carried from “…” (…)" when another
priority was merged into it. Read in one query whatever the number of priorities, none for a plan
that rolled forward from no other.

And where they went, on last year's plan once it has rolled forward (issue 25, "links only go
backwards"): "Continues in … as “…”", "Dropped at the roll-forward into …" or "Merged into “…” in …",
read in one more query whatever the number of priorities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.db.models import F

from .models import Plan, PlanPriority


@dataclass(frozen=True)
class Earlier:
    """A priority as last year's plan put it: its title there, and what its page's address needs."""

    title: str
    plan_title: str
    plan_slug: str
    priority_slug: str


@dataclass(frozen=True)
class Later:
    """Where a priority went at the roll-forward into the next plan: `kind` is "continues" (the same
    priority, `title` its title there), "merged" (its open actions carried into the priority `title`)
    or "dropped" (not in the next plan; `title` and `priority_slug` empty)."""

    kind: str
    title: str
    plan_title: str
    plan_slug: str
    priority_slug: str


@dataclass
class Lineage:
    """One priority of this plan against last year's: `formerly` is the same priority's earlier
    version when its title differed (else None); `merged_from` the other priorities of last year whose
    open actions were carried into it, in last year's order."""

    formerly: Earlier | None = None
    merged_from: list[Earlier] = field(default_factory=list)
    later: Later | None = None

    def __bool__(self) -> bool:
        return self.formerly is not None or bool(self.merged_from) or self.later is not None


def rolled_into(plan: Plan) -> Plan | None:
    """The plan `plan` rolled forward into, else None. No query when `plan` was read with
    `select_related("next")`, one otherwise. Whoever reads `plan` reads it: a plan rolls forward only
    within its partnership (`Plan.clean`)."""
    try:
        return plan.next
    except Plan.next.RelatedObjectDoesNotExist:
        return None


def _priorities(access, plan_id: int, *, carried: Literal["to", "from"]):
    """The priorities of the plan `plan_id` as `access` may read them, in their order, as values: pk, title,
    order, priority_id, priority__slug, plan__title, plan__slug, and `carried` (the priority its actions were
    carried to, for `carried="to"` on last year's plan, or from, for `carried="from"` on next year's; None
    for none) with `carried_plan` (that priority's plan): a row per priority and priority carried, in one
    query."""
    link = f"actions__carried_{carried}__plan_priority"
    return (
        PlanPriority.objects.visible_to(access)
        .filter(plan_id=plan_id)
        .values(
            "pk",
            "title",
            "order",
            "priority_id",
            "priority__slug",
            "plan__title",
            "plan__slug",
            carried=F(f"{link}_id"),
            carried_plan=F(f"{link}__plan_id"),
        )
        .order_by("order", "pk")
        .distinct()
    )


def lineage(access, plan: Plan, plan_priorities, next_plan: Plan | None = None) -> dict[int, Lineage]:
    """{PlanPriority pk: Lineage} for `plan_priorities` (this plan's, each with `priority_id`), read
    against `plan.previous`: one query (the previous plan's priorities as `access` may read them, each
    with the priorities its actions were carried into), none when the plan has no previous one. A
    priority with nothing to say has an empty (false) Lineage. Titles are compared as written.
    With `next_plan` (`rolled_into`), each Lineage's `later` says where the priority went: one query more."""
    found = {pp.pk: Lineage() for pp in plan_priorities}
    if next_plan is not None and found:
        _later(access, next_plan, plan_priorities, found)
    if plan.previous_id is None or not found:
        return found
    by_priority = {pp.priority_id: pp.pk for pp in plan_priorities}
    rows = _priorities(access, plan.previous_id, carried="to")
    titles = {pp.pk: pp.title for pp in plan_priorities}
    merged_seen: set[tuple[int, int]] = set()
    for row in rows:
        earlier = Earlier(row["title"], row["plan__title"], row["plan__slug"], row["priority__slug"])
        same = by_priority.get(row["priority_id"])
        if same is not None and found[same].formerly is None and row["title"] != titles[same]:
            found[same].formerly = earlier
        into = row["carried"]
        if into in found and row["carried_plan"] == plan.pk and into != same and (into, row["pk"]) not in merged_seen:
            merged_seen.add((into, row["pk"]))
            found[into].merged_from.append(earlier)
    return found


def _later(access, next_plan: Plan, plan_priorities, found: dict[int, Lineage]) -> None:
    """Each of `plan_priorities`' `later` against `next_plan`'s priorities, in one query: the same
    priority there continues it; else the one its actions were carried into took it in (merged); else
    it was dropped (its open actions stayed behind)."""
    rows = _priorities(access, next_plan.pk, carried="from")
    same, merged = {}, {}
    for row in rows:
        same.setdefault(row["priority_id"], row)
        if row["carried"] is not None:
            merged.setdefault(row["carried"], row)
    for pp in plan_priorities:
        row = same.get(pp.priority_id)
        kind = "continues"
        if row is None:
            row, kind = merged.get(pp.pk), "merged"
        if row is None:
            found[pp.pk].later = Later("dropped", "", next_plan.title, next_plan.slug, "")
        else:
            found[pp.pk].later = Later(kind, row["title"], next_plan.title, next_plan.slug, row["priority__slug"])


def with_lineage(access, plan: Plan, plan_priorities, next_plan: Plan | None = None) -> list[PlanPriority]:
    """`plan_priorities` as a list, each with `.lineage` (`lineage`), for the plan and priority pages;
    `next_plan` (`rolled_into`) adds where each went."""
    listed = list(plan_priorities)
    found = lineage(access, plan, listed, next_plan)
    for plan_priority in listed:
        plan_priority.lineage = found[plan_priority.pk]
    return listed
