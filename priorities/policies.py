"""Who may do what to plans and their priorities (`csa_tracker.accounts.policies` explains the shape)."""

from csa_tracker.accounts.policies import READ_ANY, Act, Can, Policy


class PlanPolicy(Policy):
    """Everyone the partnership lets in reads its plans; the Working Group adds and changes them and
    rolls them forward; the Working Group and administrators set a plan's report settings."""

    acts = {
        "read": READ_ANY,
        "create": Act(Can.MANAGE_PLAN, "Only the Working Group adds plans."),
        "change": Act(Can.MANAGE_PLAN, "Only the Working Group changes the plan and its priorities."),
        "roll_forward": Act(Can.MANAGE_PLAN, "Only the Working Group starts a new plan."),
        "change_settings": Act(
            Can.MANAGE_SETTINGS, "Only the Working Group and administrators change the partnership's settings."
        ),
    }


class PlanPriorityPolicy(Policy):
    partnership_path = "plan__partnership"
    acts = {
        "read": READ_ANY,
        "create": Act(Can.MANAGE_PLAN, "Only the Working Group adds priorities to a plan."),
        "change": Act(Can.MANAGE_PLAN, "Only the Working Group changes the plan's priorities."),
    }


PLANS = PlanPolicy()
PLAN_PRIORITIES = PlanPriorityPolicy()
