"""What a page says when no reporting cycle takes progress updates: which cycle is locked or published,
that the next one is not open yet, and whom to ask (the Working Group, by name with an e-mail link).

Pages that would offer "Write update" show this instead, so no page links to a write page that refuses
(issue 25)."""

from __future__ import annotations

from dataclasses import dataclass

from csa_tracker.accounts.policies import Can, members_who_can

from .models import CycleState, ReportingCycle


@dataclass
class NoCycleNotice:
    """`cycle`: the plan's latest cycle (locked or published), or None when it has none yet;
    `contacts`: the Working Group's active members, by name."""

    plan: object
    cycle: ReportingCycle | None
    contacts: list

    @property
    def words(self) -> str:
        """The sentence the page shows, without the contacts."""
        plan = f" for {self.plan.title}" if self.plan is not None else ""
        if self.cycle is None:
            return f"No reporting cycle is open{plan}: the Working Group has not opened one yet."
        how = "locked while the Working Group reviews it" if self.cycle.state == CycleState.LOCKED else "published"
        return (
            f"No reporting cycle is open{plan}, so progress cannot be written now: {self.cycle.name} is {how}, "
            "and the next cycle is not open yet."
        )


def no_cycle_notice(partnership, plan=None) -> NoCycleNotice:
    """The notice for `plan` (or the whole partnership when None): two queries, whatever the data."""
    cycles = ReportingCycle.objects.in_partnership(partnership)
    if plan is not None:
        cycles = cycles.filter(plan=plan)
    latest = cycles.select_related("plan").order_by("-period_start", "-pk").first()
    contacts = list(members_who_can(partnership, Can.REVIEW).order_by("first_name", "last_name", "username"))
    return NoCycleNotice(plan=plan, cycle=latest, contacts=contacts)
