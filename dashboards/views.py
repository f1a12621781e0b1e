from django.shortcuts import render
from django.utils import timezone

from actions.models import Action
from actions.themes import chosen_theme
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.models import Role
from reviews.selectors import queue_summary, recent_escalations, returned_to

from . import selectors


@partnership_view(Role.GOVERNING, Role.WORKING_GROUP, Role.ADMIN)
def governing_dashboard(request):
    plan = selectors.current_plan(request.access.partnership)
    if plan is None:
        return render(request, "priorities/no_plan.html")
    theme, theme_form = chosen_theme(request)
    cards = selectors.priority_cards(request.access, plan, theme)
    context = {
        "plan": plan,
        "cards": cards,
        "theme": theme,
        "theme_form": theme_form,
        "escalations": recent_escalations(request.access),
        "districts": selectors.district_figures(request.access),
    }
    return render(request, "dashboards/governing.html", context)


@partnership_view(Role.WORKING_GROUP, Role.ADMIN)
def working_group_dashboard(request):
    access, today = request.access, timezone.localdate()
    plan = selectors.current_plan(access.partnership)
    if plan is None:
        return render(request, "priorities/no_plan.html")
    cycle = selectors.current_cycle(plan)
    theme, theme_form = chosen_theme(request)
    overdue = selectors.overdue_actions(access, plan, today)
    actions = Action.objects.visible_to(access)
    if theme is not None:
        overdue, actions = overdue.filter(themes=theme), actions.filter(themes=theme)
    context = {
        "plan": plan,
        "cycle": cycle,
        "today": today,
        "theme": theme,
        "theme_form": theme_form,
        "overdue": selectors.Shortlist.of(overdue),
        "unreported": selectors.Shortlist.of(selectors.unreported_actions(actions, plan, cycle)),
        "stale": selectors.stale_indicators(access, today),
        "queue": queue_summary(access),
        "escalations": recent_escalations(access),
    }
    return render(request, "dashboards/working_group.html", context)


@partnership_view(Role.PARTNER)
def my_dashboard(request):
    plan = selectors.current_plan(request.access.partnership)
    if plan is None:
        return render(request, "priorities/no_plan.html")
    cycle = selectors.current_cycle(plan)
    actions = selectors.my_actions(request.access, plan, cycle)
    context = {
        "plan": plan,
        "cycle": cycle,
        "due": [action for action in actions if cycle and not action.reported],
        "others": [action for action in actions if not cycle or action.reported],
        "returned": returned_to(request.access),
    }
    return render(request, "dashboards/mine.html", context)
