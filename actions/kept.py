"""What is kept of a plan's actions between builds of the pages that show them all: the completeness
board (`reviews.board.shown_actions`) and the Working Group dashboard (`dashboards.selectors.plan_lists`)
read one piece, `plan_actions`, rather than a copy each (issue 26)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from csa_tracker.accounts.fragments import shared_piece
from csa_tracker.accounts.policies import Can, members_to_email

from .models import Action

# The order of a plan's actions wherever they are listed whole: by priority, then as the plan lists them.
PLAN_ORDER = ("plan_priority__order", "order", "pk")


def plan_actions(access, plan_id: int) -> tuple[list[tuple], dict[int, tuple[str, str, bool]]]:
    """Every action of the plan `plan_id` that `access` may read, in the plan's order (PLAN_ORDER), as a
    plain tuple (key, wording, due date, plan priority's key, its title, its priority's key, its lead
    organisations' keys by name, its themes' keys); and every organisation leading one, by name, as
    {key: (name, display name, whether a reminder reaches anyone there)}. Raises nothing: an unknown
    plan, or one `access` may read nothing of, is ([], {}).

    Nothing here depends on a cycle's progress (an action's status and states are read apart, by those
    who show them): an action's wording, due date, priority, themes and leads, and whether a reminder
    reaches anyone at a lead (`policies.members_to_email`), change only through audited changes to the
    plan, its organisations and their people, which move the shared work generation; so it is kept per
    generation and audience (`fragments.shared_piece`; issue 26: the leads' query with its EXISTS cost
    more to build than the rest of the board's queries). Tuples, not named ones, since the cache
    unpickles those ten times faster. Three queries when it is read."""

    def read() -> tuple[list[tuple], dict[int, tuple[str, str, bool]]]:
        in_plan = {"action__plan_priority__plan": plan_id}
        actions = Action.objects.visible_to(access).filter(plan_priority__plan=plan_id).order_by(*PLAN_ORDER)
        values = actions.values_list(
            "pk", "wording", "due_date", "plan_priority_id", "plan_priority__title", "plan_priority__priority_id"
        )
        reachable = members_to_email(access.partnership, Can.FOLLOW_OWN_WORK).filter(
            organisation=OuterRef("organisation_id")
        )
        found = (
            Action.leads.through.objects.filter(**in_plan)
            .order_by("organisation__name", "organisation_id")
            .values_list(
                "action_id", "organisation_id", "organisation__short_name", "organisation__name", Exists(reachable)
            )
        )
        leads: dict[int, list[int]] = {}
        organisations: dict[int, tuple[str, str, bool]] = {}
        for action_id, pk, short_name, name, reaches in found:
            leads.setdefault(action_id, []).append(pk)
            organisations[pk] = (name, short_name or name, reaches)
        themes: dict[int, list[int]] = {}
        for action_id, theme_id in Action.themes.through.objects.filter(**in_plan).values_list("action_id", "theme_id"):
            themes.setdefault(action_id, []).append(theme_id)
        rows = [(*row, tuple(leads.get(row[0], ())), tuple(themes.get(row[0], ()))) for row in values]
        return rows, organisations

    return shared_piece(access, "plan-actions", read, plan_id)
