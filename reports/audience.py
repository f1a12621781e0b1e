"""What each reader may see of a frozen report. A report version is frozen once, for the partnership;
the parts some roles may not read (the escalations to the governing group and its requests for action)
are removed here, by the same rule the escalation pages use, before any page, PDF, Word file or
comparison is made from it.

Stored files are made once per audience: "full" for those who may read escalations, "members" for
everyone else (partners, and residents when the partnership's published material is public).
"""

from __future__ import annotations

from workflow.policies import may_read_escalations

FULL, MEMBERS = "full", "members"
AUDIENCES = (FULL, MEMBERS)
# The parts of a snapshot only FULL reads.
FULL_ONLY = ("escalations", "governing_requests")


def audience_of(access) -> str:
    """FULL for the roles that read escalations, else MEMBERS."""
    return FULL if may_read_escalations(access) else MEMBERS


def snapshot_as(snapshot: dict, audience: str) -> dict:
    """The snapshot an audience reads: without its escalations and requests for MEMBERS."""
    if audience == FULL:
        return snapshot
    return {name: value for name, value in snapshot.items() if name not in FULL_ONLY}


def snapshot_for(access, snapshot: dict) -> dict:
    """The snapshot as `access` may read it."""
    return snapshot_as(snapshot, audience_of(access))
