"""Who may do what to the plan's actions and to the partnership's status, funding and theme lists
(`csa_tracker.accounts.policies` explains the shape)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from csa_tracker.accounts.models import Organisation
from csa_tracker.accounts.policies import READ_ANY, Act, Can, Policy
from workflow.policies import ReviewedItemPolicy

NOT_YOURS = "Your organisation does not lead or support this."


class ActionPolicy(Policy):
    """Everyone the partnership lets in reads its plan; partners write progress on the actions their
    organisations lead or support, the Working Group on all; only the Working Group changes the plan."""

    partnership_path = "plan_priority__plan__partnership"
    acts = {
        "read": READ_ANY,
        "write_progress": Act(Can.WRITE_PROGRESS, NOT_YOURS),
        "change": Act(Can.MANAGE_PLAN, "Only the Working Group changes the action plan."),
        "roll_forward": Act(Can.MANAGE_PLAN, "Only the Working Group starts a new plan."),
    }

    def narrows_to_own_organisations(self, access, act: str) -> bool:
        """Whether `narrow` keeps only the actions the person's organisations lead or support (a partner
        writing progress), not every action of the partnership (the Working Group)."""
        return act == "write_progress" and not access.can(Can.REVIEW)

    def narrow(self, actions, access, act: str):
        if self.narrows_to_own_organisations(access, act):
            # A row of the two link tables for the action, not joins through them: no row fan-out, so no
            # DISTINCT, and a query that stays cheap to build and to plan wherever it is nested (issue 26).
            # EXISTS, not `pk IN` the organisations' keys: PostgreSQL then reads the few actions the rest
            # of the query asks for (a plan's, by its priorities) instead of every action of every plan.
            orgs = access.organisation_ids
            model = actions.model
            led = model.leads.through.objects.filter(organisation_id__in=orgs, action_id=OuterRef("pk"))
            supported = model.supporters.through.objects.filter(organisation_id__in=orgs, action_id=OuterRef("pk"))
            return actions.filter(Exists(led) | Exists(supported))
        return actions

    def object_refusal(self, access, act: str, action) -> str:
        if act == "write_progress" and not access.can(Can.REVIEW):
            organisations = {org.pk for org in action.leads.all()} | {org.pk for org in action.supporters.all()}
            if not organisations & access.organisation_ids:
                return NOT_YOURS
        return ""

    def acting_organisation(self, access, action=None):
        """The organisation a person acts for on `action`: one of theirs that leads or supports it (by
        name), else (or with no action) their first."""
        theirs = Organisation.objects.filter(pk__in=access.organisation_ids).order_by("name")
        if action is None:
            return theirs.first()
        involved = Q(led_actions=action.pk) | Q(supported_actions=action.pk)
        return theirs.filter(involved).first() or theirs.first()


class VocabularyPolicy(Policy):
    """The partnership's statuses, funding sources and themes."""

    acts = {
        "read": READ_ANY,
        "change": Act(Can.MANAGE_SETTINGS, "Only the Working Group and administrators change the partnership's lists."),
    }


ACTIONS = ActionPolicy()
VOCABULARIES = VocabularyPolicy()
UPDATES = ReviewedItemPolicy(
    partnership_path="action__plan_priority__plan__partnership", subject_field="action", subject_policy=ACTIONS
)
