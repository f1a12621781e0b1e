"""Who may do what to published reports and the partnership's Word template
(`csa_tracker.accounts.policies` explains the shape)."""

from csa_tracker.accounts.policies import READ_ANY, Act, Can, Policy


class ReportPolicy(Policy):
    """Published reports are for everyone the partnership lets in (what each reader sees of one is
    `reports.audience`); the Working Group publishes them and their corrections."""

    partnership_path = "plan__partnership"
    acts = {
        "read": READ_ANY,
        "publish": Act(Can.MANAGE_PLAN, "Only the partnership's Working Group publishes its reports."),
    }


class ReportSettingsPolicy(Policy):
    acts = {"change": Act(Can.MANAGE_PLAN, "Only the Working Group changes the report's Word template.")}


REPORTS = ReportPolicy()
REPORT_SETTINGS = ReportSettingsPolicy()
