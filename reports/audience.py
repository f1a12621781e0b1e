"""What each reader may see of a frozen report. A report version is frozen once, for the partnership;
the parts some roles may not read (the escalations to the governing group) are removed here, by the
same rule the escalation pages use, before any page, PDF or comparison is made from it."""

from __future__ import annotations

from workflow.models import may_read_escalations


def snapshot_for(access, snapshot: dict) -> dict:
    """The snapshot as `access` may read it: without its escalations for those who may not read them."""
    if may_read_escalations(access):
        return snapshot
    return {name: value for name, value in snapshot.items() if name != "escalations"}
