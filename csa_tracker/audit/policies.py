"""Who reads the partnership's whole audit trail (`csa_tracker.accounts.policies` explains the shape)."""

from csa_tracker.accounts.policies import Act, Can, Policy


class AuditPolicy(Policy):
    """The Working Group and administrators read the partnership's whole trail; an item's own history
    is read through the item's page, by the item's policy."""

    acts = {"read": Act(Can.READ_AUDIT, "Only the Working Group and administrators read the audit trail.")}


AUDIT = AuditPolicy()
