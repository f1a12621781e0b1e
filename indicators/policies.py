"""Who may do what to indicators, their readings, areas and populations
(`csa_tracker.accounts.policies` explains the shape)."""

from __future__ import annotations

from csa_tracker.accounts.models import Organisation
from csa_tracker.accounts.policies import READ_ANY, Act, Can, Policy
from workflow.policies import ReviewedItemPolicy

NOT_YOURS = "Your organisation does not lead this indicator."
SETTINGS_ONLY = "Only the Working Group and administrators change the partnership's indicators and areas."


class IndicatorPolicy(Policy):
    """Everyone the partnership lets in reads its indicators; partners submit readings for those their
    organisations lead (never a retired one), the Working Group for all; the Working Group and
    administrators change them in the settings."""

    acts = {
        "read": READ_ANY,
        "write_progress": Act(Can.WRITE_PROGRESS, NOT_YOURS),
        "change": Act(Can.MANAGE_SETTINGS, SETTINGS_ONLY),
    }

    def narrow(self, indicators, access, act: str):
        if act != "write_progress":
            return indicators
        indicators = indicators.filter(retired_on__isnull=True)
        if access.can(Can.REVIEW):
            return indicators
        # Keys from the link table, not a join through it: no DISTINCT (as actions.policies, issue 26).
        led = indicators.model.leads.through.objects.filter(organisation_id__in=access.organisation_ids)
        return indicators.filter(pk__in=led.values("indicator_id"))

    def object_refusal(self, access, act: str, indicator) -> str:
        if act != "write_progress":
            return ""
        if indicator.retired_on is not None:
            return f"“{indicator}” is retired: readings are no longer taken for it."
        if not access.can(Can.REVIEW) and not {org.pk for org in indicator.leads.all()} & access.organisation_ids:
            return NOT_YOURS
        return ""

    def acting_organisation(self, access, indicator):
        """The organisation a person acts for on `indicator`: one of theirs that leads it (by name), else
        their first."""
        ids = access.organisation_ids
        return (
            indicator.leads.filter(pk__in=ids).order_by("name").first()
            or Organisation.objects.filter(pk__in=ids).order_by("name").first()
        )


class AreaPolicy(Policy):
    """The partnership's areas and their populations (a settings list)."""

    acts = {"read": READ_ANY, "change": Act(Can.MANAGE_SETTINGS, SETTINGS_ONLY)}


INDICATORS = IndicatorPolicy()
AREAS = AreaPolicy()
READINGS = ReviewedItemPolicy(
    partnership_path="indicator__partnership", subject_field="indicator", subject_policy=INDICATORS
)
