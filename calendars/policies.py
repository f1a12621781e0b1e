"""Which of a reporting cycle's dates go in a person's own calendar feed (`csa_tracker.accounts.policies`
explains the shape of policies; the partnership's feed has every date, as its cycles are for everyone)."""

from __future__ import annotations

from csa_tracker.accounts.policies import Can

# The dates of a cycle (ReportingCycle fields), each with the capability of the people it concerns.
DATES = {
    "update_deadline": Can.WRITE_PROGRESS,  # partners and the Working Group write progress by it
    "review_meeting": Can.REVIEW,  # the Working Group reviews at it
    "governing_meeting": Can.OVERSEE,  # the governing group (and the Working Group, administrators) meet
}


def dates_that_concern(access) -> tuple[str, ...]:
    """The cycle dates in this person's own feed, by what their roles let them do (issue 28)."""
    return tuple(name for name, capability in DATES.items() if access.can(capability))
