"""Who may do what to reporting cycles (`csa_tracker.accounts.policies` explains the shape)."""

from csa_tracker.accounts.policies import READ_ANY, Act, Can, Policy

ONLY_WG = "Only the Working Group changes a reporting cycle."


class CyclePolicy(Policy):
    """Everyone the partnership lets in sees its cycles and their deadlines; the Working Group creates,
    edits, locks, reopens and publishes them and asks leads for their updates."""

    partnership_path = "plan__partnership"
    acts = {"read": READ_ANY, "manage": Act(Can.MANAGE_PLAN, ONLY_WG)}


CYCLES_POLICY = CyclePolicy()
