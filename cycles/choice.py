"""Which plan and reporting cycle a dashboard or list shows: chosen in the address (`?plan=<slug>`,
`?cycle=<pk>`), else the one with open work.

Plans overlap at the year's end: next year's plan is started while the last quarter of this one is
still open, and both are live until that quarter closes. So the default is the *earliest open*
cycle of any of the partnership's plans (the one partners still owe work for); when none is open,
the latest cycle of any plan; when there are no cycles, the newest plan with none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from csa_tracker.accounts.fragments import kept_while_shared_work_unchanged
from csa_tracker.accounts.models import Partnership
from csa_tracker.dates import day_in_words
from priorities.models import Plan

from .models import CycleState, ReportingCycle


def open_cycles(partnership) -> list[ReportingCycle]:
    """Every open cycle of every plan of the partnership, oldest period first."""
    return list(
        ReportingCycle.objects.in_partnership(partnership)
        .filter(state=CycleState.OPEN)
        .select_related("plan")
        .order_by("period_start", "pk")
    )


def default_cycle(partnership) -> ReportingCycle | None:
    """The earliest open cycle, else the latest cycle of any plan, else None."""
    return ReportingCycle.objects.current_in(partnership)


@dataclass
class CycleChoice:
    """The plan and cycle a page shows, the others it could show, and whether the person chose them."""

    partnership: Partnership  # whose plans these are
    plans: list[Plan]  # newest first (one a year)
    plan: Plan | None
    cycle: ReportingCycle | None
    # The shown plan's cycles and the open cycles of other plans, newest first: never every year's.
    cycles: list[ReportingCycle] = field(default_factory=list)
    open: list[ReportingCycle] = field(default_factory=list)  # open cycles, oldest first
    chosen: bool = False

    def chooser(self) -> SafeString:
        """The plan and reporting cycle chooser's HTML (`includes/cycle_chooser.html`)."""
        return self._kept_chooser(plans_only=False)

    def plans_chooser(self) -> SafeString:
        """The chooser's HTML offering plans only (the governing group's dashboard)."""
        return self._kept_chooser(plans_only=True)

    def _kept_chooser(self, *, plans_only: bool) -> SafeString:
        # Kept per shown plan and cycle and whether they were chosen while shared work is unchanged: it
        # shows only plans and cycles, which no progress update or reading changes (issue 26: rendering
        # it was a tenth of each built dashboard).
        def render() -> SafeString:
            return render_to_string("includes/cycle_chooser.html", {"choice": self, "plans_only": plans_only})

        shown = (self.plan.pk if self.plan else None, self.cycle.pk if self.cycle else None, self.chosen, plans_only)
        return kept_while_shared_work_unchanged(self.partnership, "cycle-chooser", render, *shown)

    @property
    def words(self) -> str:
        """What the page shows, as a sentence."""
        if self.plan is None:
            return "There is no plan yet."
        if self.cycle is None:
            return f"Showing {self.plan.title}, which has no reporting cycle yet."
        how = "as you chose" if self.chosen else "the cycle with open work" if self.cycle in self.open else "the latest"
        return (
            f"Showing {self.cycle.name} of {self.plan.title} ({self.cycle.get_state_display().lower()}; "
            f"updates due by {day_in_words(self.cycle.update_deadline)}): {how}."
        )

    @property
    def other_open(self) -> list[ReportingCycle]:
        return [cycle for cycle in self.open if cycle != self.cycle]

    def by_plan(self) -> list[tuple[Plan, list[ReportingCycle]]]:
        """For the chooser: each plan with cycles here (the shown one, and any with an open cycle),
        newest first, with those cycles, newest first."""
        return [(plan, [cycle for cycle in self.cycles if cycle.plan_id == plan.pk]) for plan in self.plans]

    def _unlisted(self) -> list[Plan]:
        listed = {cycle.plan_id for cycle in self.cycles}
        return [plan for plan in self.plans if plan.pk not in listed]

    @property
    def earlier_plans(self) -> list[Plan]:
        """The plans the chooser does not list (reached by `?plan=`) starting before the shown one, newest
        first; every unlisted plan when no plan is shown. Each has `has_cycles` (False: "no cycle yet")."""
        if self.plan is None:
            return self._unlisted()
        return [plan for plan in self._unlisted() if (plan.starts, plan.pk) < (self.plan.starts, self.plan.pk)]

    @property
    def later_plans(self) -> list[Plan]:
        """The unlisted plans starting after the shown one (next year's plan being prepared), newest first;
        a tester saw next year's plan, with no cycle yet, listed as an earlier plan's cycles."""
        if self.plan is None:
            return []
        return [plan for plan in self._unlisted() if (plan.starts, plan.pk) > (self.plan.starts, self.plan.pk)]


def plans_and_live_cycles(partnership) -> tuple[list[Plan], list[ReportingCycle]]:
    """The partnership's plans, newest first, each with `has_cycles`; and every cycle (with its plan) of
    the plans with an open cycle, oldest first. Read once per work generation: plans and cycles change
    rarely, and every change is audited, which moves `Partnership.shared_work_generation` (issue 26: compiling
    these two queries was an eighth of each built dashboard). No progress update or reading changes them,
    so they are kept while shared work is unchanged. The cache not answering means reading them."""

    def read() -> tuple[list[Plan], list[ReportingCycle]]:
        with_cycles = Exists(ReportingCycle.objects.filter(plan=OuterRef("pk")))
        plans = Plan.objects.for_partnership(partnership).annotate(has_cycles=with_cycles).order_by("-starts", "-pk")
        in_partnership = ReportingCycle.objects.in_partnership(partnership).select_related("plan")
        # The open cycles, and the shown plan's cycles whenever it has open work (the usual case).
        with_open_work = in_partnership.filter(state=CycleState.OPEN).values("plan_id")
        live = in_partnership.filter(plan__in=with_open_work).order_by("period_start", "pk")
        return list(plans), list(live)

    return kept_while_shared_work_unchanged(partnership, "cycle-choice", read)


def choose_cycle(request, partnership) -> CycleChoice:
    """Read `plan` and `cycle` from the query string; a value we do not know is dropped with a message.
    Reads the plans (one a year) and every cycle of the plans with open work (`plans_and_live_cycles`;
    the shown plan's cycles separately when it has none): never every year's."""
    plans, live = plans_and_live_cycles(partnership)
    in_partnership = ReportingCycle.objects.in_partnership(partnership).select_related("plan")
    newest_first = ("-period_start", "-pk")
    opened = [found for found in live if found.state == CycleState.OPEN]
    plan = cycle = None
    wanted_plan, wanted_cycle = request.GET.get("plan", ""), request.GET.get("cycle", "")
    if wanted_cycle:
        cycle = in_partnership.filter(pk=wanted_cycle).first() if wanted_cycle.isdigit() else None
        if cycle is None:
            messages.warning(request, f"“{wanted_cycle}” is not a reporting cycle here; showing the default.")
    if wanted_plan and cycle is None:
        plan = next((found for found in plans if found.slug == wanted_plan), None)
        if plan is None:
            messages.warning(request, f"“{wanted_plan}” is not a plan here; showing the default.")
        else:
            own = list(in_partnership.filter(plan=plan).order_by(*newest_first))
            cycle = next((found for found in reversed(own) if found.state == CycleState.OPEN), None) or (
                own[0] if own else None
            )
    chosen = cycle is not None or plan is not None
    if cycle is not None:
        plan = cycle.plan
    elif plan is None:
        cycle = opened[0] if opened else in_partnership.order_by(*newest_first).first()
        plan = cycle.plan if cycle else (plans[0] if plans else None)
    if plan is not None and any(found.plan_id == plan.pk for found in opened):
        shown = [found for found in reversed(live) if found.plan_id == plan.pk]
    else:
        shown = list(in_partnership.filter(plan=plan).order_by(*newest_first)) if plan else []
    others = [found for found in reversed(opened) if plan is None or found.plan_id != plan.pk]
    cycles = sorted([*shown, *others], key=lambda found: (found.period_start, found.pk), reverse=True)
    return CycleChoice(
        partnership=partnership, plans=plans, plan=plan, cycle=cycle, cycles=cycles, open=opened, chosen=chosen
    )
