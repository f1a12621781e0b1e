"""The plan as its readers see it, live: the list of plans, a plan's priorities, and a priority with
its context, notes, actions (with their latest published progress) and indicators."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from actions.models import Action
from actions.rows import action_rows, row_values
from actions.themes import chosen_theme
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from indicators.models import Indicator
from indicators.selectors import indicator_summaries
from priorities.lineage import rolled_into, with_lineage
from priorities.models import Plan, PlanPriority
from priorities.policies import PLANS


def get_plan(access, slug: str) -> Plan:
    """A plan this person may read, or 404."""
    # With the plan it rolled forward into, for "Rolled forward into …" (issue 25): no query more.
    return get_object_or_404(Plan.objects.visible_to(access).select_related("next"), slug=slug)


@partnership_view(Can.READ)
def plan_list(request):
    plans = Plan.objects.visible_to(request.access).annotate(priority_count=Count("plan_priorities", distinct=True))
    return render(request, "priorities/plan_list.html", {"plans": plans})


@partnership_view(Can.READ)
def plan_detail(request, plan: str):
    plan = get_plan(request.access, plan)
    theme, theme_form = chosen_theme(request)
    counted = Count("actions", filter=Q(actions__themes=theme)) if theme else Count("actions")
    # In the plan's order: a query with a count (GROUP BY) drops the model's default ordering.
    priorities = plan.plan_priorities.select_related("priority").annotate(action_count=counted).order_by("order", "pk")
    next_plan = rolled_into(plan)  # "Rolled forward into …" (issue 25)
    priorities = with_lineage(request.access, plan, priorities, next_plan)  # "Formerly …", "Continues in …"
    themed = None
    if theme is not None:
        themed = action_rows(
            row_values(Action.objects.visible_to(request.access).filter(plan_priority__plan=plan, themes=theme)),
            partnership=request.access.partnership,
        )
    context = {
        "plan": plan,
        "next_plan": next_plan,
        "priorities": priorities,
        "theme": theme,
        "theme_form": theme_form,
        "themed": themed,
        # The Working Group puts the priorities in order; with a theme chosen the list is a count, not the plan.
        "may_move": theme is None and PLANS.permits(request.access, "change", plan),
    }
    return render(request, "priorities/plan_detail.html", context)


@partnership_view(Can.READ)
def priority_detail(request, plan: str, priority: str):
    plan = get_plan(request.access, plan)
    theme, theme_form = chosen_theme(request)
    actions = Action.objects.visible_to(request.access).with_plan_details()
    if theme is not None:
        actions = actions.filter(themes=theme)
    plan_priority = get_object_or_404(
        PlanPriority.objects.select_related("priority").prefetch_related(
            "notes",
            Prefetch("actions", queryset=actions),
        ),
        plan=plan,
        priority__slug=priority,
    )
    # "Formerly …", and where it went once the plan rolled forward (issue 25)
    (plan_priority,) = with_lineage(request.access, plan, [plan_priority], rolled_into(plan))
    indicators = Indicator.objects.visible_to(request.access).filter(priority=plan_priority.priority)
    context = {
        "plan": plan,
        "plan_priority": plan_priority,
        "siblings": plan.plan_priorities.select_related("priority"),
        "indicators": indicator_summaries(indicators),
        "theme": theme,
        "theme_form": theme_form,
    }
    return render(request, "priorities/priority_detail.html", context)
